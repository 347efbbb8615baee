package io.recolens.model;

/** Additive per-unit sums of one day × experiment × variant × unit (table {@code experiment_unit_daily}). */
public class UnitDailyRow implements ExperimentVariantRow {
    /** Days since 1970-01-01 (UTC). */
    public int day;
    public String experiment;
    public String variant;
    public String unitKey;
    public long impressions;
    public long itemImpressions;
    public long clicks;
    public long clickedImpressions;
    /** Start of the aggregate window this partial sum was flushed for; part of the job's key, not a table column. */
    public long bucketStart;

    public UnitDailyRow() {}

    @Override public String experimentName() { return experiment; }
    @Override public String variantName() { return variant; }
    @Override public void assignVariant(String experiment, String variant) { this.experiment = experiment; this.variant = variant; }

    @Override
    public String toString() {
        return "UnitDaily{" + day + " " + experiment + "=" + variant + " " + unitKey + " imp=" + impressions + " clicks=" + clicks + "}";
    }
}
