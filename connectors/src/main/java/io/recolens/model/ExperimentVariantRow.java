package io.recolens.model;

/** A row that belongs to one experiment variant: the cardinality limits rewrite both names together. */
public interface ExperimentVariantRow {
    String experimentName();

    String variantName();

    void assignVariant(String experiment, String variant);
}
