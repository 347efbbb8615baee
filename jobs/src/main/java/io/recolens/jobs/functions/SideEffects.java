package io.recolens.jobs.functions;

import io.recolens.connectors.iceberg.LatencyBuckets;
import io.recolens.model.ExponentialHistogram;
import io.recolens.model.SideEffectRow;
import io.recolens.model.SpanRecord;

/** Adds spans and partial rows into {@link SideEffectRow}s; every field is a sum, so rows merge in any order. */
public final class SideEffects {
    private SideEffects() {}

    public static void addSpan(SideEffectRow row, SpanRecord s) {
        row.spanCount++;
        if (s.error) row.errorCount++;
        row.durationSumMicros += s.durationMicros;
        row.latencyHistogram[LatencyBuckets.bucketOf(s.durationMicros)]++;
        if (row.latencyExpHistogram == null) row.latencyExpHistogram = new ExponentialHistogram();
        row.latencyExpHistogram.add(s.durationMicros);
        if (s.database) {
            row.dbCalls++;
            row.dbTimeMicros += s.durationMicros;
        }
        if (s.cacheHit == 1) row.cacheHits++;
        else if (s.cacheHit == 0) row.cacheMisses++;
    }

    public static void merge(SideEffectRow into, SideEffectRow other) {
        mergeDeferred(into, other);
        if (into.latencyExpHistogram != null) into.latencyExpHistogram.seal();
    }

    /**
     * {@link #merge} that leaves the exponential histogram's sum unpacked until {@code latencyExpHistogram.seal()}:
     * for accumulators that take many rows before they are emitted ({@link Aggregates.SideEffects#seal}).
     */
    public static void mergeDeferred(SideEffectRow into, SideEffectRow other) {
        into.spanCount += other.spanCount;
        into.errorCount += other.errorCount;
        into.durationSumMicros += other.durationSumMicros;
        for (int i = 0; i < into.latencyHistogram.length; i++) into.latencyHistogram[i] += other.latencyHistogram[i];
        if (other.latencyExpHistogram != null) {
            if (into.latencyExpHistogram == null) into.latencyExpHistogram = new ExponentialHistogram();
            into.latencyExpHistogram.mergeDeferred(other.latencyExpHistogram);
        }
        into.dbCalls += other.dbCalls;
        into.dbTimeMicros += other.dbTimeMicros;
        into.cacheHits += other.cacheHits;
        into.cacheMisses += other.cacheMisses;
    }
}
