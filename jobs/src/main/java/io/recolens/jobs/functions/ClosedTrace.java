package io.recolens.jobs.functions;

import io.recolens.model.SideEffectRow;
import io.recolens.model.TraceSummary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a closed trace keeps until {@code closeTime + lateness.allowed}: enough to drop duplicates, to give a late
 * impression its trace's variants, summary and side effects, and to add a late span to the summary. No raw spans.
 */
public class ClosedTrace {
    /** The trace's ID as its records spell it (the operator's key is a fixed-length form of it). */
    public String traceId;
    /** Experiment → variant; side-effect rows of the trace have been emitted for exactly these experiments. */
    public Map<String, String> variants = new HashMap<>();
    public Map<String, String> sources = new HashMap<>();
    public TraceSummary summary = new TraceSummary();
    /** Impression and span IDs already counted (spans past {@code trace.max-spans} are not remembered). */
    public Set<String> seenIds = new HashSet<>();
    /** Impressions whose lineage rows carry this trace's summary: they get the summary again when a late span changes it. */
    public List<String> impressionIds = new ArrayList<>();
    /** The trace's side-effect contributions per window × service × operation, experiment and variant unset. */
    public List<SideEffectRow> partials = new ArrayList<>();
    /** Distinct spans remembered in {@link #seenIds}; the cap {@code trace.max-spans} applies to it. */
    public int keptSpans;
    /** Late spans past the cap, reported in one {@code trace_cap} anomaly when the trace is forgotten. */
    public int spansOverCapAfterClose;
    /** Event time of the cleanup timer; {@code Long.MIN_VALUE} when none is registered (after the final watermark). */
    public long cleanupAt = Long.MIN_VALUE;

    public ClosedTrace() {}
}
