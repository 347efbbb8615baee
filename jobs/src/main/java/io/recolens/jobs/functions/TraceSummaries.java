package io.recolens.jobs.functions;

import io.recolens.model.SpanRecord;
import io.recolens.model.TraceSummary;
import java.util.List;

/** Computes what a trace cost the backend from its (de-duplicated) spans. */
public final class TraceSummaries {
    private TraceSummaries() {}

    public static TraceSummary of(List<SpanRecord> spans) {
        TraceSummary t = new TraceSummary();
        for (SpanRecord s : spans) {
            t.spanCount++;
            if (s.error) t.errorCount++;
            if (s.isRoot() && s.durationMicros > t.rootDurationMicros) t.rootDurationMicros = s.durationMicros;
            if (s.database) t.dbTimeMicros += s.durationMicros;
            if (s.cacheHit == 1) t.cacheHits++;
            else if (s.cacheHit == 0) t.cacheMisses++;
            t.serviceTimeMicros.merge(s.service == null ? "unknown_service" : s.service, s.durationMicros, Long::sum);
        }
        return t;
    }
}
