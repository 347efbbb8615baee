package io.recolens.model;

/** Additive backend cost of one window × experiment × variant × service × operation (table {@code variant_side_effects}). */
public class SideEffectRow {
    public long windowStart;
    public long windowEnd;
    public String experiment;
    public String variant;
    public String service;
    public String operation;
    public long spanCount;
    public long errorCount;
    public long durationSumMicros;
    /** Span counts per latency bucket; bounds in {@code LatencyBuckets}. Merged by element-wise sum. */
    public long[] latencyHistogram;
    public long dbCalls;
    public long dbTimeMicros;
    public long cacheHits;
    public long cacheMisses;
    /**
     * Span counts per base-2 exponential bucket (scale 7, at most 0.55% relative error); null in rows from
     * before the column existed. Merged by summing counts per index.
     */
    public ExponentialHistogram latencyExpHistogram;

    public SideEffectRow() {}

    @Override
    public String toString() {
        return "SideEffect{" + windowStart + " " + experiment + "=" + variant + " " + service + ":" + operation
                + " spans=" + spanCount + " err=" + errorCount + "}";
    }
}
