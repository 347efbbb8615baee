package io.recolens.simulator.internal;

import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;

/** The finished trace of one request plus the numbers the ground truth needs about it. */
public record TraceOutcome(
    String traceId,
    long rootStartNanos,
    long rootEndNanos,
    String baggageHeader,
    List<SpanData> spans,
    int errorSpans,
    long featureStoreNanos,
    int cacheHits,
    int cacheMisses,
    int dbSpans) {}
