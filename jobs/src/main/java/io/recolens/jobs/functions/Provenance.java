package io.recolens.jobs.functions;

import io.recolens.model.SpanRecord;

/**
 * One provenance fact read from a span that carries {@code lineage.id} together with {@code feature.name}: which
 * pipeline run (trace) produced which feature version from which source, and when. {@link #salt} says which of the
 * lineage's salted keys this copy goes to (see {@link LineageKeys}).
 */
public class Provenance {
    public String lineageId;
    public String featureName;
    public String featureVersion;
    public String featureSource;
    public String modelName;
    public String modelVersion;
    public String traceId;
    public String spanId;
    /** Event time of the span (its start), epoch ms: what the wait is measured on. */
    public long startMs;
    /** End of the pipeline step, epoch ms: when the feature version was produced. */
    public long producedAt;
    public int salt;

    public Provenance() {}

    /** A span describes provenance only with both attributes; one with only {@code lineage.id} merely references a lineage. */
    public static boolean describes(SpanRecord s) {
        return s.lineageId != null && !s.lineageId.isEmpty() && s.featureName != null && !s.featureName.isEmpty();
    }

    public static Provenance of(SpanRecord s, int salt) {
        Provenance p = new Provenance();
        p.lineageId = s.lineageId;
        p.featureName = s.featureName;
        p.featureVersion = s.featureVersion;
        p.featureSource = s.featureSource;
        p.modelName = s.modelName;
        p.modelVersion = s.modelVersion;
        p.traceId = s.traceId;
        p.spanId = s.spanId;
        p.startMs = s.startMs;
        p.producedAt = s.endMs();
        p.salt = salt;
        return p;
    }

    @Override
    public String toString() {
        return "Provenance{" + lineageId + " " + featureName + "@" + featureVersion + " trace=" + traceId + " at " + producedAt + "}";
    }
}
