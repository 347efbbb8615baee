package io.recolens.jobs.functions;

import io.recolens.model.LineageRow;
import io.recolens.model.TraceSummary;

/**
 * What {@link TraceAssembler} sends {@link ClickAttributor}, keyed by impression ID: either a lineage row to hold
 * until its attribution window ends, or a newer summary of the row's trace (a late span changed it).
 */
public class AttributionInput {
    public String impressionId;
    /** Set for a lineage row; null for a summary update. */
    public LineageRow row;
    /** Set for a summary update; null for a lineage row. */
    public TraceSummary summary;
    public String traceId;
    /** Event time of what caused the message: the impression, or the late span. */
    public long eventTime;

    public AttributionInput() {}

    public static AttributionInput row(LineageRow row) {
        AttributionInput in = new AttributionInput();
        in.impressionId = row.impressionId;
        in.row = row;
        in.traceId = row.traceId;
        in.eventTime = row.servedAt;
        return in;
    }

    public static AttributionInput summaryUpdate(String impressionId, String traceId, TraceSummary summary, long eventTime) {
        AttributionInput in = new AttributionInput();
        in.impressionId = impressionId;
        in.summary = summary;
        in.traceId = traceId;
        in.eventTime = eventTime;
        return in;
    }

    public boolean isSummaryUpdate() {
        return row == null;
    }

    @Override
    public String toString() {
        return isSummaryUpdate() ? "SummaryUpdate{" + impressionId + " spans=" + summary.spanCount + "}" : "Row{" + row + "}";
    }
}
