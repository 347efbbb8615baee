package io.recolens.jobs.functions;

import io.recolens.model.SideEffectRow;
import io.recolens.model.TraceSummary;
import java.util.List;

/** Bookkeeping of a trace still collecting records: its event-time extent, its close timer and its span cap. */
public class OpenTrace {
    public long firstAt = Long.MAX_VALUE;
    public long lastAt = Long.MIN_VALUE;
    /** Event time of the registered close timer; {@code Long.MIN_VALUE} before the first one. */
    public long closeAt = Long.MIN_VALUE;
    /** Spans appended to the raw span list (duplicates included: they take room until the trace closes). */
    public int keptSpans;
    /** Spans past {@code trace.max-spans}: not kept raw, only summed into the two fields below. */
    public int spansOverCap;
    /** Summary of the spans past the cap; null while under it. */
    public TraceSummary overCapSummary;
    /** Side-effect contributions of the spans past the cap (no experiment, no variant); null while under it. */
    public List<SideEffectRow> overCapPartials;

    public OpenTrace() {}
}
