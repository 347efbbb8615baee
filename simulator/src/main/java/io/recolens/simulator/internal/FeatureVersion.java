package io.recolens.simulator.internal;

/** One feature as served under a lineage: version plus where the feature pipeline read it from. */
public record FeatureVersion(String name, String version, String source, String pipelineRunId) {}
