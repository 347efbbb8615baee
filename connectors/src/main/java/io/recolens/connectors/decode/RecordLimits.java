package io.recolens.connectors.decode;

import java.io.Serializable;

/**
 * Per-record limits checked at decode time, so that one hostile record costs about what an ordinary one costs
 * and cannot flood state or tables. A hard limit makes the record a dead letter naming the limit; a soft limit
 * trims the record, and what was dropped travels with it ({@code trimmed}) to become a {@code record_trimmed}
 * anomaly. Defaults sit far above what a real recommendation request carries.
 *
 * @param maxExperiments hard: experiments named by one impression (or echoed by one click); each one would be an
 *     exposure and an aggregate row, so trimming would silently drop assignments: the record is refused
 * @param maxSlateItems soft: slate items kept per impression, in slate order
 * @param maxFeatures soft: feature references kept per impression
 * @param maxStringChars hard: characters of any ID, label, experiment or variant name; longer ones are not IDs
 * @param maxSpansPerMessage soft: spans read from one OTLP message
 * @param maxAttributesPerSpan soft: attributes read per span (and per span event)
 * @param maxJsonDepth hard: nesting depth of a JSON record; real records nest 3 levels deep
 * @param maxNumberChars hard: characters of one JSON number
 * @param maxSpanDurationMs hard: end minus start of one span; a longer one is a clock error (a flipped bit in a
 *     timestamp makes a 40 ms span last months) and would swamp its variant's latency and duration sums
 */
public record RecordLimits(int maxExperiments, int maxSlateItems, int maxFeatures, int maxStringChars,
                           int maxSpansPerMessage, int maxAttributesPerSpan, int maxJsonDepth, int maxNumberChars,
                           long maxSpanDurationMs)
        implements Serializable {

    /** Default of {@code limits.record.span-duration}: a day, far above a serving request, above a nightly feature pipeline run. */
    public static final long DEFAULT_MAX_SPAN_DURATION_MS = 24 * 3_600_000L;

    public static final RecordLimits DEFAULTS = new RecordLimits(64, 200, 128, 512, 10_000, 128, 32, 64, DEFAULT_MAX_SPAN_DURATION_MS);

    /** The configuration keys of the limits, named in dead letters and anomalies so an operator knows what to raise. */
    public static final String KEY_EXPERIMENTS = "limits.record.experiments";
    public static final String KEY_SLATE_ITEMS = "limits.record.slate-items";
    public static final String KEY_FEATURES = "limits.record.features";
    public static final String KEY_STRING_CHARS = "limits.record.string-chars";
    public static final String KEY_SPANS_PER_MESSAGE = "limits.record.spans-per-message";
    public static final String KEY_ATTRIBUTES_PER_SPAN = "limits.record.attributes-per-span";
    public static final String KEY_JSON_DEPTH = "limits.record.json-depth";
    public static final String KEY_NUMBER_CHARS = "limits.record.number-chars";
    public static final String KEY_SPAN_DURATION = "limits.record.span-duration";

    /** A JSON factory whose parsers stop at these limits (depth, number length, string length), before any work. */
    public com.fasterxml.jackson.core.JsonFactory jsonFactory(int maxRecordBytes) {
        return com.fasterxml.jackson.core.JsonFactory.builder()
                .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
                        .maxNestingDepth(maxJsonDepth)
                        .maxNumberLength(maxNumberChars)
                        .maxStringLength(Math.max(maxRecordBytes, 1024))
                        .build())
                .build();
    }

    /** Null when {@code value} is within {@link #maxStringChars}, else the reason naming the field and the key. */
    public String checkLength(String field, String value) {
        if (value == null || value.length() <= maxStringChars) return null;
        return "field '" + field + "' has " + value.length() + " characters, over the limit of " + maxStringChars
                + " (" + KEY_STRING_CHARS + ")";
    }

    public RecordLimits {
        if (maxExperiments < 1 || maxSlateItems < 1 || maxFeatures < 1 || maxStringChars < 1 || maxSpansPerMessage < 1
                || maxAttributesPerSpan < 1 || maxJsonDepth < 4 || maxNumberChars < 20 || maxSpanDurationMs < 1) {
            throw new IllegalArgumentException("record limits must be positive (JSON depth at least 4, number length at least 20): " + this);
        }
    }
}
