package io.recolens.jobs.functions;

import io.recolens.jobs.config.JobSettings;
import io.recolens.model.AnomalyRow;
import io.recolens.model.Impression;
import io.recolens.connectors.iceberg.LatencyBuckets;
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
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Join 1, keyed by trace ID: collects a trace's impressions and spans until an event-time timer closes it
 * {@code trace.gap} after its latest record, then resolves the trace's variants, summarizes its cost and emits
 * one lineage row per impression (clicks still empty), side-effect partial rows for every span (so a service
 * that dropped the baggage is still sliced by variant) and anomalies.
 */
public class TraceAssembler extends KeyedCoProcessFunction<String, Impression, SpanRecord, LineageRow> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<SideEffectRow> SIDE_EFFECTS = new OutputTag<>("side-effects") {};
    public static final OutputTag<AnomalyRow> ANOMALIES = new OutputTag<>("trace-anomalies") {};

    private static final Comparator<Impression> IMPRESSION_ORDER =
            Comparator.comparingLong((Impression i) -> i.servedAt).thenComparing(i -> i.impressionId);
    private static final Comparator<SpanRecord> SPAN_ORDER =
            Comparator.comparingLong((SpanRecord s) -> s.startMs).thenComparing(s -> s.spanId);

    private final long gapMs;
    private final long lateRetentionMs;
    private final long windowMs;
    private final Map<String, Set<String>> knownExperiments;

    private transient ListState<Impression> impressions;
    private transient ListState<SpanRecord> spans;
    private transient ValueState<Long> closeAt;
    private transient ValueState<ClosedTrace> closed;
    private transient ValueState<Long> cleanupAt;
    private transient Counter duplicates;
    private transient Counter lateRecords;

    public TraceAssembler(JobSettings settings) {
        this(settings.traceGapMs, settings.lateRetentionMs, settings.aggregateWindowMs, settings.knownExperiments);
    }

    public TraceAssembler(long gapMs, long lateRetentionMs, long windowMs, Map<String, Set<String>> knownExperiments) {
        this.gapMs = gapMs;
        this.lateRetentionMs = lateRetentionMs;
        this.windowMs = windowMs;
        this.knownExperiments = new HashMap<>(knownExperiments);
    }

    @Override
    public void open(OpenContext openContext) {
        // Timers clear this state; the TTL is only a backstop against a timer that never fires.
        StateTtlConfig backstop = StateTtlConfig.newBuilder(java.time.Duration.ofMillis(Math.max(gapMs, lateRetentionMs) * 20 + 3_600_000L)).build();
        ListStateDescriptor<Impression> impressionsDesc = new ListStateDescriptor<>("impressions", Impression.class);
        impressionsDesc.enableTimeToLive(backstop);
        ListStateDescriptor<SpanRecord> spansDesc = new ListStateDescriptor<>("spans", SpanRecord.class);
        spansDesc.enableTimeToLive(backstop);
        ValueStateDescriptor<ClosedTrace> closedDesc = new ValueStateDescriptor<>("closed", ClosedTrace.class);
        closedDesc.enableTimeToLive(backstop);
        impressions = getRuntimeContext().getListState(impressionsDesc);
        spans = getRuntimeContext().getListState(spansDesc);
        closed = getRuntimeContext().getState(closedDesc);
        closeAt = getRuntimeContext().getState(new ValueStateDescriptor<>("close-at", Long.class));
        cleanupAt = getRuntimeContext().getState(new ValueStateDescriptor<>("cleanup-at", Long.class));
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicateRecords");
        lateRecords = getRuntimeContext().getMetricGroup().counter("lateRecords");
    }

    @Override
    public void processElement1(Impression impression, Context ctx, Collector<LineageRow> out) throws Exception {
        ClosedTrace done = closed.value();
        if (done != null) {
            if (done.seenIds.contains(impression.impressionId)) {
                duplicates.inc();
                return;
            }
            lateRecords.inc();
            done.seenIds.add(impression.impressionId);
            closed.update(done);
            out.collect(lineageRow(impression, done.variants, done.sources, done.summary));
            return;
        }
        impressions.add(impression);
        extendTrace(impression.servedAt, ctx, out);
    }

    @Override
    public void processElement2(SpanRecord span, Context ctx, Collector<LineageRow> out) throws Exception {
        ClosedTrace done = closed.value();
        if (done != null) {
            if (done.seenIds.contains(span.spanId)) {
                duplicates.inc();
                return;
            }
            lateRecords.inc();
            done.seenIds.add(span.spanId);
            closed.update(done);
            if (!done.variants.isEmpty()) {
                emitSideEffects(List.of(span), done.variants, ctx);
            }
            return;
        }
        spans.add(span);
        extendTrace(span.startMs, ctx, out);
    }

    private void extendTrace(long eventTime, Context ctx, Collector<LineageRow> out) throws Exception {
        if (EventTime.isEnd(ctx.timerService().currentWatermark())) {
            // After the final watermark no timer fires again: close now (a record from an idle input after a drain).
            closeTrace(ctx, out, eventTime);
            return;
        }
        long candidate = eventTime + gapMs;
        Long current = closeAt.value();
        if (current == null || candidate > current) {
            if (current != null) ctx.timerService().deleteEventTimeTimer(current);
            ctx.timerService().registerEventTimeTimer(candidate);
            closeAt.update(candidate);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<LineageRow> out) throws Exception {
        Long close = closeAt.value();
        if (close != null && close == timestamp) {
            closeTrace(ctx, out, timestamp);
            return;
        }
        Long cleanup = cleanupAt.value();
        if (cleanup != null && cleanup == timestamp) {
            closed.clear();
            cleanupAt.clear();
        }
    }

    private void closeTrace(Context ctx, Collector<LineageRow> out, long closeTime) throws Exception {
        String traceId = ctx.getCurrentKey();
        ClosedTrace done = new ClosedTrace();
        List<Impression> traceImpressions = distinctImpressions(done);
        List<SpanRecord> traceSpans = distinctSpans(done);

        long firstEvent = firstEventTime(traceImpressions, traceSpans);
        VariantResolution resolution = VariantResolution.resolve(traceId, firstEvent, traceImpressions, traceSpans, knownExperiments);
        TraceSummary summary = TraceSummaries.of(traceSpans);
        for (AnomalyRow a : resolution.anomalies) ctx.output(ANOMALIES, a);

        for (Impression impression : traceImpressions) {
            out.collect(lineageRow(impression, resolution.variants, resolution.sources, summary));
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
            emitSideEffects(traceSpans, resolution.variants, ctx);
        }

        impressions.clear();
        spans.clear();
        closeAt.clear();
        done.variants.putAll(resolution.variants);
        done.sources.putAll(resolution.sources);
        done.summary = summary;
        closed.update(done);
        if (!EventTime.isEnd(ctx.timerService().currentWatermark())) {
            long cleanup = closeTime + lateRetentionMs;
            ctx.timerService().registerEventTimeTimer(cleanup);
            cleanupAt.update(cleanup);
        }
    }

    private List<Impression> distinctImpressions(ClosedTrace done) throws Exception {
        List<Impression> all = new ArrayList<>();
        for (Impression i : impressions.get()) all.add(i);
        all.sort(IMPRESSION_ORDER);
        List<Impression> distinct = new ArrayList<>(all.size());
        for (Impression i : all) {
            if (!done.seenIds.contains(i.impressionId)) {
                done.seenIds.add(i.impressionId);
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
        for (SpanRecord s : spans.get()) all.add(s);
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

    private void emitSideEffects(List<SpanRecord> traceSpans, Map<String, String> variants, Context ctx) {
        // Pre-aggregate within the trace: one partial row per window × service × operation × experiment.
        Map<String, SideEffectRow> partials = new LinkedHashMap<>();
        for (SpanRecord s : traceSpans) {
            long windowStart = Math.floorDiv(s.startMs, windowMs) * windowMs;
            String service = s.service == null ? "unknown_service" : s.service;
            String operation = s.name == null ? "" : s.name;
            for (Map.Entry<String, String> v : variants.entrySet()) {
                String key = windowStart + "\u0000" + service + "\u0000" + operation + "\u0000" + v.getKey();
                SideEffectRow row = partials.get(key);
                if (row == null) {
                    row = new SideEffectRow();
                    row.windowStart = windowStart;
                    row.windowEnd = windowStart + windowMs;
                    row.experiment = v.getKey();
                    row.variant = v.getValue();
                    row.service = service;
                    row.operation = operation;
                    row.latencyHistogram = new long[LatencyBuckets.BUCKET_COUNT];
                    partials.put(key, row);
                }
                SideEffects.addSpan(row, s);
            }
        }
        for (SideEffectRow row : partials.values()) ctx.output(SIDE_EFFECTS, row);
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
        row.trace = summary;
        return row;
    }
}
