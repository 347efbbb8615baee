package io.recolens.model;

/** Additive lineage completeness of one day × experiment × variant (table {@code lineage_completeness}). */
public class CompletenessRow implements ExperimentVariantRow {
    /** Days since the epoch (UTC), as Flink's DATE is. */
    public int day;
    public String experiment;
    public String variant;
    public long impressions;
    public long completeImpressions;
    public long features;
    public long featuresWithAncestry;
    public long staleFeatures;
    /** Start of the flush bucket (a day in batch, {@code unit-daily.flush-interval} in streaming); part of the key, not written. */
    public long bucketStart;

    public CompletenessRow() {}

    @Override public String experimentName() { return experiment; }
    @Override public String variantName() { return variant; }
    @Override public void assignVariant(String experiment, String variant) { this.experiment = experiment; this.variant = variant; }

    @Override
    public String toString() {
        return "Completeness{" + day + " " + experiment + "=" + variant + " " + completeImpressions + "/" + impressions + "}";
    }
}
