package io.recolens.jobs.config;

import java.io.Serializable;

/** How many distinct values each aggregate dimension may take before the overflow bucket is used. */
public final class CardinalityLimits implements Serializable {
    private static final long serialVersionUID = 1L;

    public final int experiments;
    public final int variantsPerExperiment;
    public final int surfaces;
    public final int segments;
    public final int services;
    public final int operationsPerService;

    public CardinalityLimits(int experiments, int variantsPerExperiment, int surfaces, int segments, int services, int operationsPerService) {
        this.experiments = experiments;
        this.variantsPerExperiment = variantsPerExperiment;
        this.surfaces = surfaces;
        this.segments = segments;
        this.services = services;
        this.operationsPerService = operationsPerService;
    }
}
