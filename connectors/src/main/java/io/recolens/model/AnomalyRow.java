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
