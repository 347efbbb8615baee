package io.recolens.jobs.config;

import java.io.Serializable;

/** How many distinct values each aggregate dimension may take before the overflow bucket is used, and when an unused one is forgotten. */
public final class CardinalityLimits implements Serializable {
    private static final long serialVersionUID = 2L;
    /** Default of {@code limits.forget-after}: a week of event time. */
    public static final long DEFAULT_FORGET_AFTER_MS = 7 * 86_400_000L;

    public final int experiments;
    public final int variantsPerExperiment;
    public final int surfaces;
    public final int segments;
    public final int services;
    public final int operationsPerService;
    /** Event time after which an admitted value that was not used again is forgotten. */
    public final long forgetAfterMs;

    public CardinalityLimits(int experiments, int variantsPerExperiment, int surfaces, int segments, int services, int operationsPerService) {
        this(experiments, variantsPerExperiment, surfaces, segments, services, operationsPerService, DEFAULT_FORGET_AFTER_MS);
    }

    public CardinalityLimits(int experiments, int variantsPerExperiment, int surfaces, int segments, int services, int operationsPerService,
            long forgetAfterMs) {
        this.experiments = experiments;
        this.variantsPerExperiment = variantsPerExperiment;
        this.surfaces = surfaces;
        this.segments = segments;
        this.services = services;
        this.operationsPerService = operationsPerService;
        this.forgetAfterMs = forgetAfterMs;
    }
}
