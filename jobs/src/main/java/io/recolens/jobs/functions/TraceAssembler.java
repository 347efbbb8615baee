package io.recolens.jobs.functions;

import io.recolens.jobs.config.JobSettings;
import io.recolens.model.AnomalyRow;
import io.recolens.model.Impression;
import io.recolens.model.LineageRow;
import io.recolens.model.SideEffectRow;
import io.recolens.model.SpanRecord;
import io.recolens.model.TraceSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Join 1, keyed by trace ID: collects a trace's impressions and spans until an event-time timer closes it
 * {@code trace.gap} after its latest record (at the latest {@code trace.max-duration} after its first), then
 * resolves the trace's variants, summarizes its cost and emits one lineage row per impression (clicks still empty),
 * side-effect partial rows for every span (so a service that dropped the baggage is still sliced by variant) and
 * anomalies.
 *
 * <p>State is bounded in event time: every piece is cleared by an event-time timer (no processing-time TTL, so an
 * outage of any length loses nothing), and a timer that finds no state does nothing. An open trace keeps at most
 * {@code trace.max-spans} raw spans; later ones are only summed into the summary and side effects
 * ({@code spansOverCap}, one {@code trace_cap} anomaly).
 *
 * <p>Late data (docs/lateness.md): a closed trace is remembered as a compact {@link ClosedTrace} until
 * {@code closeTime + lateness.allowed}. Within it, a late impression gets a lineage row with the trace's variants
 * and summary, plus the trace's side-effect rows for every experiment of the impression the trace had not yet
 * emitted them for; a late span is added to the summary, emitted as side effects for the trace's variants, and the
 * new summary goes to {@link ClickAttributor} for each impression of the trace ({@link #TO_ATTRIBUTION}). A record
 * that finds no trace state and is more than {@code trace.gap + lateness.allowed} behind the watermark is past
 * lateness: metric {@code lateRecordsDropped} and a {@code late_record} anomaly; an impression still gets its own
 * lineage row (variants from the impression only), spans of one trace are tallied into one anomaly.
 */
public class TraceAssembler extends KeyedCoProcessFunction<Tuple2<Long, Long>, Impression, SpanRecord, LineageRow> implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<SideEffectRow> SIDE_EFFECTS = new OutputTag<>("side-effects") {};
    public static final OutputTag<AnomalyRow> ANOMALIES = new OutputTag<>("trace-anomalies") {};
    /** Every lineage row of the main output, plus summary updates for rows {@link ClickAttributor} still holds. */
    public static final OutputTag<AttributionInput> TO_ATTRIBUTION = new OutputTag<>("to-attribution", AttributionInputSerializer.TYPE);

    public static final int DEFAULT_MAX_SPANS = 2000;
    public static final long DEFAULT_MAX_DURATION_MS = 10 * 60_000L;

    private static final Comparator<Impression> IMPRESSION_ORDER =
            Comparator.comparingLong((Impression i) -> i.servedAt).thenComparing(i -> i.impressionId);
    private static final Comparator<SpanRecord> SPAN_ORDER =
            Comparator.comparingLong((SpanRecord s) -> s.startMs).thenComparing(s -> s.spanId);

    private final long gapMs;
    private final long latenessMs;
    private final long windowMs;
    private final Map<String, Set<String>> knownExperiments;
    private final int maxSpans;
    private final long maxDurationMs;

    private transient ListState<Impression> impressions;
    private transient ListState<SpanRecord> spans;
    private transient ValueState<OpenTrace> open;
    private transient ValueState<ClosedTrace> closed;
    private transient ValueState<LateSpans> lateSpans;
    private transient Counter duplicates;
    private transient Counter lateRecords;
    private transient Counter lateRecordsDropped;
    private transient Counter spansOverCap;
    private transient Counter tracesOverMaxDuration;
    private transient Counter summaryUpdates;
    private final StateCount openTraces = new StateCount("open-traces");

    public TraceAssembler(JobSettings settings) {
        this(settings.traceGapMs, settings.allowedLatenessMs, settings.aggregateWindowMs, settings.knownExperiments,
                settings.traceMaxSpans, settings.traceMaxDurationMs);
    }

    public TraceAssembler(long gapMs, long latenessMs, long windowMs, Map<String, Set<String>> knownExperiments) {
        this(gapMs, latenessMs, windowMs, knownExperiments, DEFAULT_MAX_SPANS, DEFAULT_MAX_DURATION_MS);
    }

    public TraceAssembler(long gapMs, long latenessMs, long windowMs, Map<String, Set<String>> knownExperiments,
                          int maxSpans, long maxDurationMs) {
        this.gapMs = gapMs;
        this.latenessMs = latenessMs;
        this.windowMs = windowMs;
        this.knownExperiments = new HashMap<>(knownExperiments);
        this.maxSpans = maxSpans;
        this.maxDurationMs = maxDurationMs;
    }

    @Override
    public void open(OpenContext openContext) {
        // New state names: the earlier descriptors carried a processing-time TTL, which Flink cannot restore without it.
        impressions = getRuntimeContext().getListState(new ListStateDescriptor<>("open-impressions", Impression.class));
        spans = getRuntimeContext().getListState(new ListStateDescriptor<>("open-spans", SpanRecord.class));
        open = getRuntimeContext().getState(new ValueStateDescriptor<>("open-trace", OpenTrace.class));
        closed = getRuntimeContext().getState(new ValueStateDescriptor<>("closed-trace", ClosedTrace.class));
        lateSpans = getRuntimeContext().getState(new ValueStateDescriptor<>("late-spans", LateSpans.class));
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicateRecords");
        lateRecords = getRuntimeContext().getMetricGroup().counter("lateRecords");
        lateRecordsDropped = getRuntimeContext().getMetricGroup().counter("lateRecordsDropped");
        spansOverCap = getRuntimeContext().getMetricGroup().counter("spansOverCap");
        tracesOverMaxDuration = getRuntimeContext().getMetricGroup().counter("tracesOverMaxDuration");
        summaryUpdates = getRuntimeContext().getMetricGroup().counter("summaryUpdates");
        openTraces.register(getRuntimeContext().getMetricGroup(), "openTraces", "tracesOpened", "tracesClosed");
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        openTraces.initialize(context);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        openTraces.snapshot();
    }

    /** Open traces this subtask holds (the openTraces gauge). */
    long openTraces() {
        return openTraces.held();
    }

    @Override
    public void processElement1(Impression impression, Context ctx, Collector<LineageRow> out) throws Exception {
        ClosedTrace done = closed.value();
        if (done != null) {
            lateImpression(done, impression, ctx, out);
            return;
        }
        OpenTrace trace = open.value();
        long watermark = ctx.timerService().currentWatermark();
        if (trace == null && isPastLateness(impression.servedAt, watermark)) {
            impressionPastLateness(impression, watermark, ctx, out);
            return;
        }
        impressions.add(impression);
        if (trace == null) openTraces.add();
        extendTrace(trace == null ? new OpenTrace() : trace, impression.servedAt, ctx, out);
    }

    @Override
    public void processElement2(SpanRecord span, Context ctx, Collector<LineageRow> out) throws Exception {
        ClosedTrace done = closed.value();
        if (done != null) {
            lateSpan(done, span, ctx);
            return;
        }
        OpenTrace trace = open.value();
        long watermark = ctx.timerService().currentWatermark();
        if (trace == null && isPastLateness(span.startMs, watermark)) {
            spanPastLateness(span, watermark, ctx);
            return;
        }
        if (trace == null) {
            trace = new OpenTrace();
            openTraces.add();
        }
        if (trace.keptSpans < maxSpans) {
            spans.add(span);
            trace.keptSpans++;
        } else {
            spansOverCap.inc();
            trace.spansOverCap++;
            if (trace.overCapSummary == null) {
                trace.overCapSummary = new TraceSummary();
                trace.overCapPartials = new ArrayList<>();
            }
            TraceSummaries.add(trace.overCapSummary, span);
            TracePartials.add(trace.overCapPartials, TracePartials.of(span, windowMs));
        }
        extendTrace(trace, span.startMs, ctx, out);
    }

    /** A record that would open a trace whose closed state, had it existed, would already have been forgotten. */
    private boolean isPastLateness(long eventTime, long watermark) {
        // After the final watermark a record from an input that was idle at the drain is closed at once instead.
        return !EventTime.isEnd(watermark) && watermark != Long.MIN_VALUE && eventTime + gapMs + latenessMs <= watermark;
    }

    private void extendTrace(OpenTrace trace, long eventTime, Context ctx, Collector<LineageRow> out) throws Exception {
        trace.firstAt = Math.min(trace.firstAt, eventTime);
        trace.lastAt = Math.max(trace.lastAt, eventTime);
        if (EventTime.isEnd(ctx.timerService().currentWatermark())) {
            // After the final watermark no timer fires again: close now (a record from an idle input after a drain).
            open.update(trace);
            closeTrace(ctx, out, eventTime);
            return;
        }
        long candidate = Math.min(trace.lastAt + gapMs, trace.firstAt + maxDurationMs);
        if (candidate != trace.closeAt) {
            if (trace.closeAt != Long.MIN_VALUE) ctx.timerService().deleteEventTimeTimer(trace.closeAt);
            EventTime.schedule(ctx.timerService(), candidate);
            trace.closeAt = candidate;
        }
        open.update(trace);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<LineageRow> out) throws Exception {
        // Timers may coincide and may be stale: each acts only on the state that names its timestamp.
        OpenTrace trace = open.value();
        if (trace != null && trace.closeAt == timestamp) {
            closeTrace(ctx, out, timestamp);
        }
        ClosedTrace done = closed.value();
        if (done != null && done.cleanupAt == timestamp && !EventTime.isEnd(ctx.timerService().currentWatermark())) {
            // At the end of event time (a drain, the end of a bounded input) nothing is forgotten: records from an
            // input that was idle then still arrive and must find the closed trace (de-duplication, late updates).
            forget(done, ctx);
        }
        LateSpans late = lateSpans.value();
        if (late != null && late.reportAt == timestamp) {
            reportLateSpans(late, ctx);
        }
    }

    private void closeTrace(Context ctx, Collector<LineageRow> out, long closeTime) throws Exception {
        OpenTrace trace = open.value();
        if (trace != null) openTraces.remove();
        if (trace == null) trace = new OpenTrace();
        ClosedTrace done = new ClosedTrace();
        List<Impression> traceImpressions = distinctImpressions(done);
        List<SpanRecord> traceSpans = distinctSpans(done);
        impressions.clear();
        spans.clear();
        open.clear();
        if (traceImpressions.isEmpty() && traceSpans.isEmpty()) {
            return;
        }
        String traceId = traceImpressions.isEmpty() ? traceSpans.get(0).traceId : traceImpressions.get(0).traceId;
        done.traceId = traceId;

        long firstEvent = firstEventTime(traceImpressions, traceSpans);
        VariantResolution resolution = VariantResolution.resolve(traceId, firstEvent, traceImpressions, traceSpans, knownExperiments);
        TraceSummary summary = TraceSummaries.of(traceSpans);
        List<SideEffectRow> partials = TracePartials.of(traceSpans, windowMs);
        if (trace.overCapSummary != null) {
            TraceSummaries.merge(summary, trace.overCapSummary);
            for (SideEffectRow p : trace.overCapPartials) TracePartials.add(partials, p);
        }
        for (AnomalyRow a : resolution.anomalies) ctx.output(ANOMALIES, a);

        for (Impression impression : traceImpressions) {
            emitLineage(lineageRow(impression, resolution.variants, resolution.sources, summary), ctx, out);
            done.impressionIds.add(impression.impressionId);
        }
        if (traceImpressions.isEmpty() && !traceSpans.isEmpty() && !isLineageOnly(traceSpans)) {
            AnomalyRow a = AnomalyRow.of(AnomalyRow.SPAN_WITHOUT_IMPRESSION, firstEvent, traceId,
                    traceSpans.size() + " span(s) from " + summary.serviceTimeMicros.keySet() + " but no impression in the trace");
            if (!resolution.variants.isEmpty()) {
                Map.Entry<String, String> first = resolution.variants.firstEntry();
                a.experiment = first.getKey();
                a.variant = first.getValue();
            }
            ctx.output(ANOMALIES, a);
        }
        if (!resolution.variants.isEmpty()) {
            emitSideEffects(partials, resolution.variants, ctx);
        }
        if (trace.spansOverCap > 0) {
            ctx.output(ANOMALIES, AnomalyRow.of(AnomalyRow.TRACE_CAP, firstEvent, traceId, trace.spansOverCap
                    + " span(s) past trace.max-spans=" + maxSpans + " were not kept: summed into the summary and side effects,"
                    + " not de-duplicated, their experiment attributes not read"));
        }
        if (closeTime == trace.firstAt + maxDurationMs && closeTime < trace.lastAt + gapMs) {
            tracesOverMaxDuration.inc();
            ctx.output(ANOMALIES, AnomalyRow.of(AnomalyRow.TRACE_CAP, firstEvent, traceId, "closed at trace.max-duration="
                    + maxDurationMs + " ms after its first record while records were still coming; later ones are late records"));
        }

        done.variants.putAll(resolution.variants);
        done.sources.putAll(resolution.sources);
        done.summary = summary;
        done.partials = partials;
        done.keptSpans = traceSpans.size();
        if (!EventTime.isEnd(ctx.timerService().currentWatermark())) {
            done.cleanupAt = closeTime + latenessMs;
            EventTime.schedule(ctx.timerService(), done.cleanupAt);
        }
        closed.update(done);
    }

    private void lateImpression(ClosedTrace done, Impression impression, Context ctx, Collector<LineageRow> out) throws Exception {
        if (done.seenIds.contains(impression.impressionId)) {
            duplicates.inc();
            return;
        }
        lateRecords.inc();
        done.seenIds.add(impression.impressionId);
        done.impressionIds.add(impression.impressionId);
        emitLineage(lineageRow(impression, done.variants, done.sources, done.summary), ctx, out);
        String where = "late impression " + impression.impressionId;
        Map<String, String> added = new TreeMap<>();
        adopt(done, impression.experiments, VariantResolution.SOURCE_IMPRESSION, where, impression.servedAt, added, ctx);
        adopt(done, impression.baggageExperiments, VariantResolution.SOURCE_BAGGAGE, where, impression.servedAt, added, ctx);
        // The trace's side effects were emitted for its variants at close; a new experiment gets all of them now, once.
        if (!added.isEmpty()) emitSideEffects(done.partials, added, ctx);
        closed.update(done);
    }

    private void lateSpan(ClosedTrace done, SpanRecord span, Context ctx) throws Exception {
        if (done.seenIds.contains(span.spanId)) {
            duplicates.inc();
            return;
        }
        boolean kept = done.keptSpans < maxSpans;
        if (kept) {
            done.seenIds.add(span.spanId);
            done.keptSpans++;
        } else {
            spansOverCap.inc();
            done.spansOverCapAfterClose++;
        }
        lateRecords.inc();
        TraceSummaries.add(done.summary, span);
        SideEffectRow own = TracePartials.of(span, windowMs);
        TracePartials.add(done.partials, own);
        // First the span alone for the experiments already emitted, then everything for experiments it brings.
        if (!done.variants.isEmpty()) emitSideEffects(List.of(own), done.variants, ctx);
        if (kept) {
            Map<String, String> added = new TreeMap<>();
            String where = "late span " + span.spanId + " of " + span.service;
            adopt(done, span.attributeVariants, VariantResolution.SOURCE_SPAN_ATTRIBUTE, where, span.startMs, added, ctx);
            adopt(done, span.flagVariants, VariantResolution.SOURCE_FLAG_EVENT, where, span.startMs, added, ctx);
            if (!added.isEmpty()) emitSideEffects(done.partials, added, ctx);
        }
        closed.update(done);
        String traceId = span.traceId;
        for (String impressionId : done.impressionIds) {
            summaryUpdates.inc();
            ctx.output(TO_ATTRIBUTION, AttributionInput.summaryUpdate(impressionId, traceId, TraceSummaries.copy(done.summary), span.startMs));
        }
    }

    /** Takes experiments the closed trace does not have yet; a disagreeing variant is a conflict and does not win. */
    private void adopt(ClosedTrace done, Map<String, String> candidates, String source, String where, long eventTime,
                       Map<String, String> added, Context ctx) {
        if (candidates == null) return;
        for (Map.Entry<String, String> e : new TreeMap<>(candidates).entrySet()) {
            String experiment = e.getKey();
            String variant = e.getValue();
            if (experiment == null || variant == null || experiment.isEmpty() || variant.isEmpty()) continue;
            String current = done.variants.get(experiment);
            if (current == null) {
                done.variants.put(experiment, variant);
                done.sources.put(experiment, source);
                added.put(experiment, variant);
            } else if (!current.equals(variant)) {
                AnomalyRow a = AnomalyRow.of(AnomalyRow.VARIANT_CONFLICT, eventTime, done.traceId, "experiment '" + experiment
                        + "': " + done.sources.get(experiment) + " says '" + current + "', " + where + " says '" + variant + "'");
                a.experiment = experiment;
                a.variant = current;
                ctx.output(ANOMALIES, a);
            }
        }
    }

    private void forget(ClosedTrace done, Context ctx) throws Exception {
        if (done.spansOverCapAfterClose > 0) {
            ctx.output(ANOMALIES, AnomalyRow.of(AnomalyRow.TRACE_CAP, done.cleanupAt - latenessMs, done.traceId,
                    done.spansOverCapAfterClose + " late span(s) past trace.max-spans=" + maxSpans
                            + " were not remembered: summed into the summary and side effects, not de-duplicated"));
        }
        closed.clear();
    }

    private void impressionPastLateness(Impression impression, long watermark, Context ctx, Collector<LineageRow> out) {
        lateRecordsDropped.inc();
        String traceId = impression.traceId;
        VariantResolution own = VariantResolution.resolve(traceId, impression.servedAt, List.of(impression), List.of(), knownExperiments);
        for (AnomalyRow a : own.anomalies) ctx.output(ANOMALIES, a);
        AnomalyRow a = AnomalyRow.of(AnomalyRow.LATE_RECORD, impression.servedAt, traceId, "kind=impression: "
                + (watermark - impression.servedAt) + " ms behind the watermark, past trace.gap + lateness.allowed=" + (gapMs + latenessMs)
                + " ms; lineage row written with the impression's own variants, without its trace's summary and side effects");
        a.impressionId = impression.impressionId;
        a.lineageId = impression.lineageId;
        if (own.variants.size() == 1) {
            a.experiment = own.variants.firstKey();
            a.variant = own.variants.firstEntry().getValue();
        }
        ctx.output(ANOMALIES, a);
        // lineage_history keeps every impression exactly once, late or not.
        emitLineage(lineageRow(impression, own.variants, own.sources, new TraceSummary()), ctx, out);
    }

    private void spanPastLateness(SpanRecord span, long watermark, Context ctx) throws Exception {
        lateRecordsDropped.inc();
        LateSpans late = lateSpans.value();
        if (late == null) {
            late = new LateSpans();
            late.traceId = span.traceId;
            // Spans of one late trace come together: one anomaly for all that arrive before the watermark moves on by a gap.
            late.reportAt = watermark + gapMs;
            EventTime.schedule(ctx.timerService(), late.reportAt);
        }
        late.count++;
        late.firstEventTime = Math.min(late.firstEventTime, span.startMs);
        late.maxBehindMs = Math.max(late.maxBehindMs, watermark - span.startMs);
        lateSpans.update(late);
    }

    private void reportLateSpans(LateSpans late, Context ctx) throws Exception {
        ctx.output(ANOMALIES, AnomalyRow.of(AnomalyRow.LATE_RECORD, late.firstEventTime, late.traceId, "kind=span: "
                + late.count + " span(s) up to " + late.maxBehindMs + " ms behind the watermark, past trace.gap + lateness.allowed="
                + (gapMs + latenessMs) + " ms; not in any trace summary or side effect"));
        lateSpans.clear();
    }

    private List<Impression> distinctImpressions(ClosedTrace done) throws Exception {
        List<Impression> all = new ArrayList<>();
        Iterable<Impression> stored = impressions.get();
        if (stored != null) for (Impression i : stored) all.add(i);
        all.sort(IMPRESSION_ORDER);
        List<Impression> distinct = new ArrayList<>(all.size());
        for (Impression i : all) {
            if (done.seenIds.add(i.impressionId)) {
                distinct.add(i);
            } else {
                duplicates.inc();
            }
        }
        return distinct;
    }

    private List<SpanRecord> distinctSpans(ClosedTrace done) throws Exception {
        Map<String, SpanRecord> byId = new LinkedHashMap<>();
        List<SpanRecord> all = new ArrayList<>();
        Iterable<SpanRecord> stored = spans.get();
        if (stored != null) for (SpanRecord s : stored) all.add(s);
        all.sort(SPAN_ORDER);
        for (SpanRecord s : all) {
            if (byId.putIfAbsent(s.spanId, s) != null) duplicates.inc();
        }
        done.seenIds.addAll(byId.keySet());
        return new ArrayList<>(byId.values());
    }

    private static long firstEventTime(List<Impression> imps, List<SpanRecord> spans) {
        long first = Long.MAX_VALUE;
        for (Impression i : imps) first = Math.min(first, i.servedAt);
        for (SpanRecord s : spans) first = Math.min(first, s.startMs);
        return first == Long.MAX_VALUE ? 0 : first;
    }

    /** Feature pipelines and model training emit traces with lineage attributes and no serving request. */
    private static boolean isLineageOnly(List<SpanRecord> spans) {
        for (SpanRecord s : spans) {
            if (s.lineageId == null || s.lineageId.isEmpty() || !s.attributeVariants.isEmpty() || !s.flagVariants.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private void emitLineage(LineageRow row, Context ctx, Collector<LineageRow> out) {
        out.collect(row);
        ctx.output(TO_ATTRIBUTION, AttributionInput.row(row));
    }

    private static void emitSideEffects(List<SideEffectRow> partials, Map<String, String> variants, Context ctx) {
        for (SideEffectRow row : TracePartials.forVariants(partials, variants)) ctx.output(SIDE_EFFECTS, row);
    }

    static LineageRow lineageRow(Impression i, Map<String, String> traceVariants, Map<String, String> traceSources, TraceSummary summary) {
        LineageRow row = new LineageRow();
        row.impressionId = i.impressionId;
        row.traceId = i.traceId;
        row.lineageId = i.lineageId;
        row.unitKey = i.unitKey;
        row.sessionId = i.sessionId;
        row.surface = i.surface;
        row.segment = i.segment;
        row.servedAt = i.servedAt;
        row.experiments.putAll(traceVariants);
        row.variantSources.putAll(traceSources);
        // The impression's own assignment always wins for its own row.
        for (Map.Entry<String, String> e : i.experiments.entrySet()) {
            row.experiments.put(e.getKey(), e.getValue());
            row.variantSources.put(e.getKey(), VariantResolution.SOURCE_IMPRESSION);
        }
        row.modelName = i.modelName;
        row.modelVersion = i.modelVersion;
        row.features.addAll(i.features);
        row.items.addAll(i.items);
        // A copy: the closed trace's summary keeps changing with late spans, an emitted row must not.
        row.trace = TraceSummaries.copy(summary);
        return row;
    }
}
