package io.recolens.jobs.functions;

import io.recolens.connectors.iceberg.LatencyBuckets;
import io.recolens.model.SideEffectRow;
import io.recolens.model.SpanRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A trace's side-effect contributions pre-aggregated per window × service × operation without a variant, so
 * they can be emitted for the trace's variants at close and again for an experiment that a late record brings.
 */
public final class TracePartials {
    private TracePartials() {}

    /** The contribution of one span, experiment and variant unset. */
    public static SideEffectRow of(SpanRecord s, long windowMs) {
        SideEffectRow row = new SideEffectRow();
        row.windowStart = Math.floorDiv(s.startMs, windowMs) * windowMs;
        row.windowEnd = row.windowStart + windowMs;
        row.service = s.service == null ? "unknown_service" : s.service;
        row.operation = s.name == null ? "" : s.name;
        row.latencyHistogram = new long[LatencyBuckets.BUCKET_COUNT];
        SideEffects.addSpan(row, s);
        return row;
    }

    public static List<SideEffectRow> of(List<SpanRecord> spans, long windowMs) {
        List<SideEffectRow> partials = new ArrayList<>();
        for (SpanRecord s : spans) add(partials, of(s, windowMs));
        return partials;
    }

    /** Adds a partial into the list, merging it with the one of the same window, service and operation. */
    public static void add(List<SideEffectRow> partials, SideEffectRow partial) {
        for (SideEffectRow p : partials) {
            if (p.windowStart == partial.windowStart && Objects.equals(p.service, partial.service)
                    && Objects.equals(p.operation, partial.operation)) {
                SideEffects.merge(p, partial);
                return;
            }
        }
        partials.add(copy(partial));
    }

    /** One row per partial and experiment, each a fresh copy carrying the experiment's variant. */
    public static List<SideEffectRow> forVariants(Collection<SideEffectRow> partials, Map<String, String> variants) {
        List<SideEffectRow> rows = new ArrayList<>(partials.size() * variants.size());
        for (SideEffectRow p : partials) {
            for (Map.Entry<String, String> v : new TreeMap<>(variants).entrySet()) {
                SideEffectRow row = copy(p);
                row.experiment = v.getKey();
                row.variant = v.getValue();
                rows.add(row);
            }
        }
        return rows;
    }

    static SideEffectRow copy(SideEffectRow p) {
        SideEffectRow row = new SideEffectRow();
        row.windowStart = p.windowStart;
        row.windowEnd = p.windowEnd;
        row.experiment = p.experiment;
        row.variant = p.variant;
        row.service = p.service;
        row.operation = p.operation;
        row.latencyHistogram = new long[p.latencyHistogram.length];
        SideEffects.merge(row, p);
        return row;
    }
}
