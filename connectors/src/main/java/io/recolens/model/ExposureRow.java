package io.recolens.model;

/** The first exposure of one unit to one experiment variant (table {@code experiment_exposures}). */
public class ExposureRow implements ExperimentVariantRow {
    public String experiment;
    public String variant;
    public String unitKey;
    public long firstExposureAt;
    public String impressionId;
    public String surface;
    public String segment;

    public ExposureRow() {}

    @Override public String experimentName() { return experiment; }
    @Override public String variantName() { return variant; }
    @Override public void assignVariant(String experiment, String variant) { this.experiment = experiment; this.variant = variant; }

    @Override
    public String toString() {
        return "Exposure{" + experiment + "=" + variant + " " + unitKey + " at " + firstExposureAt + "}";
    }
}
