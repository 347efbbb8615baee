package io.recolens.model;

import java.util.HashMap;
import java.util.Map;

/**
 * One OpenTelemetry span, flattened from an OTLP batch to the fields recolens reads. IDs are
 * lowercase hex, as OTLP/JSON and the W3C trace context write them.
 */
public class SpanRecord implements Trimmable {
    public String traceId;
    public String spanId;
    /** Empty for a root span. */
    public String parentSpanId;
    /** Resource attribute {@code service.name}. */
    public String service;
    /** Span name: the operation. */
    public String name;
    public int kind;
    /** Start time, epoch milliseconds (event time). */
    public long startMs;
    /** Duration in microseconds. */
    public long durationMicros;
    /** Status code ERROR, or an {@code exception} event. */
    public boolean error;
    /** The span is a database call ({@code db.system} or {@code db.system.name} set). */
    public boolean database;
    /** {@code cache.hit}: 1 hit, 0 miss, -1 not a cache lookup. */
    public int cacheHit = -1;
    /** Experiment → variant from {@code experiment.*} span attributes. */
    public Map<String, String> attributeVariants = new HashMap<>();
    /** Experiment (flag key) → variant from {@code feature_flag.evaluation} / {@code feature_flag} events. */
    public Map<String, String> flagVariants = new HashMap<>();
    /** {@code lineage.id} and the provenance attributes that travel with it (empty when absent). */
    public String lineageId;
    public String featureName;
    public String featureVersion;
    public String featureSource;
    public String modelName;
    public String modelVersion;

    /** What a soft record limit dropped at decode time (e.g. "items: 20000 > 200, kept 200"); null when nothing. */
    public String trimmed;

    public SpanRecord() {}

    @Override
    public String trimmed() {
        return trimmed;
    }

    @Override
    public long eventTime() {
        return startMs;
    }

    @Override
    public String traceId() {
        return traceId;
    }

    /** Records one soft-limit trim; several trims of one record are joined. */
    public void addTrim(String what) {
        trimmed = trimmed == null ? what : trimmed + "; " + what;
    }

    public long endMs() {
        return startMs + durationMicros / 1000;
    }

    public boolean isRoot() {
        return parentSpanId == null || parentSpanId.isEmpty();
    }

    @Override
    public String toString() {
        return "Span{" + service + ":" + name + " " + traceId + "/" + spanId + " at " + startMs + " " + durationMicros + "us}";
    }
}
