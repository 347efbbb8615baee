package io.recolens.model;

/** Additive engagement counts of one window × experiment × variant × surface × segment (table {@code variant_engagement}). */
public class EngagementRow {
    public long windowStart;
    public long windowEnd;
    public String experiment;
    public String variant;
    public String surface;
    public String segment;
    public long impressions;
    public long itemImpressions;
    public long clicks;
    /** Impressions with at least one attributed click. */
    public long clickedImpressions;

    public EngagementRow() {}

    @Override
    public String toString() {
        return "Engagement{" + windowStart + " " + experiment + "=" + variant + " " + surface + "/" + segment
                + " imp=" + impressions + " items=" + itemImpressions + " clicks=" + clicks + "}";
    }
}
