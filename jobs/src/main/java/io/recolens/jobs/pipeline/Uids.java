package io.recolens.jobs.pipeline;

/**
 * Stable operator uids. Savepoints map state by these: never rename one of a stateful operator without a
 * state migration (docs/architecture.md, "Upgrading").
 */
public final class Uids {
    private Uids() {}

    public static final String SOURCE_IMPRESSIONS = "source-impressions";
    public static final String SOURCE_CLICKS = "source-clicks";
    public static final String SOURCE_SPANS = "source-spans";
    public static final String DECODE_IMPRESSIONS = "decode-impressions";
    public static final String DECODE_CLICKS = "decode-clicks";
    public static final String DECODE_SPANS = "decode-spans";
    /** Files only: Kafka inputs decode inside the source reader. */
    public static final String WATERMARKS_IMPRESSIONS = "watermarks-impressions";
    public static final String WATERMARKS_CLICKS = "watermarks-clicks";
    public static final String WATERMARKS_SPANS = "watermarks-spans";
    /** Stateless: re-sends the end of event time on the impression path when an idle output dropped it. */
    public static final String FINAL_WATERMARK_IMPRESSIONS = "final-watermark-impressions";
    public static final String SPLIT_IMPRESSIONS = "dead-letters-impressions";
    public static final String SPLIT_CLICKS = "dead-letters-clicks";
    public static final String SPLIT_SPANS = "dead-letters-spans";
    public static final String TRACE_ASSEMBLY = "trace-assembly";
    /** Stateless: trace assembly's outputs, kept active so consumers never run ahead of a trace assembly subtask. */
    public static final String NEVER_IDLE_TRACES = "never-idle-traces";
    public static final String NEVER_IDLE_TO_ATTRIBUTION = "never-idle-to-attribution";
    public static final String NEVER_IDLE_SIDE_EFFECTS = "never-idle-side-effects";
    public static final String CLICK_ATTRIBUTION = "click-attribution";
    public static final String ENGAGEMENT_CONTRIBUTIONS = "engagement-contributions";
    public static final String ENGAGEMENT_AGGREGATE = "engagement-aggregate";
    public static final String UNIT_DAILY_CONTRIBUTIONS = "unit-daily-contributions";
    public static final String UNIT_DAILY_AGGREGATE = "unit-daily-aggregate";
    public static final String SIDE_EFFECT_AGGREGATE = "side-effect-aggregate";
    public static final String SIDE_EFFECT_COMBINE = "side-effect-combine";
    public static final String ENGAGEMENT_COMBINE = "engagement-combine";
    public static final String UNIT_DAILY_COMBINE = "unit-daily-combine";
    // Keyed cardinality limits after each aggregate (state: admitted values, their last use, waiting rows).
    public static final String ENGAGEMENT_LIMITS = "engagement-cardinality-limits";
    public static final String UNIT_DAILY_LIMITS = "unit-daily-cardinality-limits";
    public static final String SIDE_EFFECT_LIMITS = "side-effect-cardinality-limits";
    public static final String EXPOSURE_CANDIDATES = "exposure-candidates";
    public static final String FIRST_EXPOSURE = "first-exposure";
    public static final String EXPOSURE_LIMITS = "exposure-cardinality-limits";
    public static final String COMPLETENESS_LIMITS = "completeness-cardinality-limits";
    public static final String ADMITTED_EXPOSURES = "admitted-exposures";
    public static final String OVERFLOW_EXPOSURES = "overflow-exposures";
    public static final String FIRST_OVERFLOW_EXPOSURE = "first-overflow-exposure";
    // Join 3 by lineage ID and its checks (docs/lineage.md).
    public static final String PROVENANCE_SPANS = "provenance-spans";
    public static final String PROVENANCE_JOIN = "provenance-join";
    public static final String FEATURE_HASH_CHECK = "feature-hash-check";
    public static final String FEATURE_HASH_INPUT = "feature-hash-input";
    public static final String MODEL_IMPRESSIONS = "model-impressions";
    public static final String MODEL_SPANS = "model-spans";
    public static final String MODEL_VERSION_CHECK = "model-version-check";
    public static final String COMPLETENESS_CONTRIBUTIONS = "completeness-contributions";
    public static final String COMPLETENESS_AGGREGATE = "completeness-aggregate";
}
