package io.recolens.simulator.internal;

import java.util.List;

/**
 * One served slate before serialisation; {@code featureHashes} follows {@code lineage.features()}, {@code modelVersion} is the version the
 * impression states (the lineage's unless a mismatch was injected), and
 * {@code variants} follows {@link io.recolens.simulator.Experiment#ALL}.
 */
public record ImpressionRecord(
    String impressionId,
    String traceId,
    Lineage lineage,
    String userId,
    String sessionId,
    String surface,
    long timestampMs,
    boolean timestampAsEpochMillis,
    List<String> variants,
    List<String> featureHashes,
    List<SlateItem> items,
    String baggage,
    String modelVersion) {}
