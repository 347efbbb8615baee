package io.recolens.model;

/** One lineage or join finding (table {@code lineage_anomalies}). */
public class AnomalyRow {
    /** Anomaly kinds, as stored in the {@code kind} column. */
    public static final String VARIANT_CONFLICT = "variant_conflict";
    public static final String ORPHAN_CLICK = "orphan_click";
    public static final String SPAN_WITHOUT_IMPRESSION = "span_without_impression";
    public static final String UNKNOWN_VARIANT = "unknown_variant";
    public static final String CLICK_OUTSIDE_WINDOW = "click_outside_window";
    public static final String CLICK_ITEM_NOT_IN_SLATE = "click_item_not_in_slate";
    /** A click that arrived after its impression was already attributed (later than the watermark allowed). */
    public static final String LATE_CLICK = "late_click";
    /**
     * A record that came later than {@code lateness.allowed} (or a trace-summary change that came after its lineage
     * row was written); {@code detail} names the record kind (impression, span, click) and how late it was.
     */
    public static final String LATE_RECORD = "late_record";
    /** A trace went past {@code trace.max-spans} (spans kept raw) or {@code trace.max-duration}; {@code detail} says which and how much. */
    public static final String TRACE_CAP = "trace_cap";
    /** An impression got more than {@code attribution.max-pending-clicks} waiting clicks; the extra ones were not kept. */
    public static final String CLICK_CAP = "click_cap";
    /** A timer found state it expected missing (e.g. a restore that lost it): counted and reported, never dereferenced. */
    public static final String STATE_MISSING = "state_missing";
    /** A soft record limit dropped part of a record at decode time; the detail says what and which limit. */
    public static final String RECORD_TRIMMED = "record_trimmed";

    public String kind;
    /** Event time of the finding (epoch ms): the impression, click or first span it is about. */
    public long eventTime;
    public String traceId;
    public String impressionId;
    public String clickId;
    public String lineageId;
    public String experiment;
    public String variant;
    public String detail;

    public AnomalyRow() {}

    public static AnomalyRow of(String kind, long eventTime, String traceId, String detail) {
        AnomalyRow a = new AnomalyRow();
        a.kind = kind;
        a.eventTime = eventTime;
        a.traceId = traceId;
        a.detail = detail;
        return a;
    }

    @Override
    public String toString() {
        return "Anomaly{" + kind + " trace=" + traceId + " imp=" + impressionId + " click=" + clickId + ": " + detail + "}";
    }
}
