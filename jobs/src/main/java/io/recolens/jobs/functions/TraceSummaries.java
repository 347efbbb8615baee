package io.recolens.jobs.functions;

import io.recolens.model.SpanRecord;
import io.recolens.model.TraceSummary;
import java.util.List;

/** Computes what a trace cost the backend from its (de-duplicated) spans; summaries add up span by span. */
public final class TraceSummaries {
    private TraceSummaries() {}

    public static TraceSummary of(List<SpanRecord> spans) {
        TraceSummary t = new TraceSummary();
        for (SpanRecord s : spans) add(t, s);
        return t;
    }

    public static void add(TraceSummary t, SpanRecord s) {
        t.spanCount++;
        if (s.error) t.errorCount++;
        if (s.isRoot() && s.durationMicros > t.rootDurationMicros) t.rootDurationMicros = s.durationMicros;
        if (s.database) t.dbTimeMicros += s.durationMicros;
        if (s.cacheHit == 1) t.cacheHits++;
        else if (s.cacheHit == 0) t.cacheMisses++;
        t.serviceTimeMicros.merge(s.service == null ? "unknown_service" : s.service, s.durationMicros, Long::sum);
    }

    public static void merge(TraceSummary into, TraceSummary other) {
        into.spanCount += other.spanCount;
        into.errorCount += other.errorCount;
        into.rootDurationMicros = Math.max(into.rootDurationMicros, other.rootDurationMicros);
        into.dbTimeMicros += other.dbTimeMicros;
        into.cacheHits += other.cacheHits;
        into.cacheMisses += other.cacheMisses;
        other.serviceTimeMicros.forEach((service, micros) -> into.serviceTimeMicros.merge(service, micros, Long::sum));
    }

    /** A copy that later changes to the original (a late span) do not reach. */
    public static TraceSummary copy(TraceSummary s) {
        TraceSummary t = new TraceSummary();
        merge(t, s);
        return t;
    }
}
