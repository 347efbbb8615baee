package io.recolens.jobs.functions;

import io.recolens.jobs.config.JobSettings;
import io.recolens.model.AnomalyRow;
import io.recolens.model.FeatureRef;
import io.recolens.model.LineageRow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Join 3, keyed by lineage ID and salt ({@link LineageKeys}): every lineage row waits until event time
 * {@code served_at + lineage.provenance-wait}, then each of its features gets the provenance a span of its lineage
 * described (source, pipeline trace, production time). Provenance counts when the span started no later than
 * {@code served_at + wait}, whether it arrived before or after the impression, so streaming and batch (where every
 * timer fires at the end of the key) pick the same span. Of several runs for one feature (version), the latest
 * produced no later than the serving wins, else the earliest after it.
 *
 * <p>Side output: {@code missing_ancestry} and {@code stale_feature} anomalies per impression and feature.
 * Provenance is kept {@code lineage.provenance-retention} of event time after the key's last row or span, cleared by
 * an event-time timer; at the end of event time nothing is forgotten.
 */
public class ProvenanceJoin extends KeyedCoProcessFunction<String, LineageRow, Provenance, LineageRow> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<AnomalyRow> ANOMALIES = new OutputTag<>("lineage-anomalies") {};

    private static final Comparator<LineageRow> ROW_ORDER =
            Comparator.comparingLong((LineageRow r) -> r.servedAt).thenComparing(r -> r.impressionId);

    private final long waitMs;
    private final long staleAfterMs;
    private final long retentionMs;

    private transient ListState<Provenance> provenance;
    /** Rows waiting for provenance, by the event time they are written at. */
    private transient MapState<Long, List<LineageRow>> waiting;
    private transient ValueState<Long> lastUse;
    private transient ValueState<Long> expireAt;

    public ProvenanceJoin(JobSettings settings) {
        this(settings.provenanceWaitMs, settings.staleAfterMs, settings.provenanceRetentionMs);
    }

    public ProvenanceJoin(long waitMs, long staleAfterMs, long retentionMs) {
        this.waitMs = waitMs;
        this.staleAfterMs = staleAfterMs;
        this.retentionMs = retentionMs;
    }

    @Override
    public void open(OpenContext openContext) {
        provenance = getRuntimeContext().getListState(new ListStateDescriptor<>("provenance", Provenance.class));
        waiting = getRuntimeContext().getMapState(new MapStateDescriptor<>("waiting-rows", Types.LONG,
                Types.LIST(TypeInformation.of(LineageRow.class))));
        lastUse = getRuntimeContext().getState(new ValueStateDescriptor<>("last-use", Long.class));
        expireAt = getRuntimeContext().getState(new ValueStateDescriptor<>("expire-at", Long.class));
    }

    @Override
    public void processElement1(LineageRow row, Context ctx, Collector<LineageRow> out) throws Exception {
        if (EventTime.isEnd(ctx.timerService().currentWatermark())) {
            // No timer fires after the final watermark: join with what is here.
            emit(row, ctx, out);
            return;
        }
        long due = row.servedAt + waitMs;
        List<LineageRow> rows = waiting.get(due);
        if (rows == null) {
            rows = new ArrayList<>();
            EventTime.schedule(ctx.timerService(), due);
        }
        rows.add(row);
        waiting.put(due, rows);
        touch(row.servedAt, ctx);
    }

    @Override
    public void processElement2(Provenance p, Context ctx, Collector<LineageRow> out) throws Exception {
        for (Provenance known : provenance.get()) {
            if (known.spanId != null && known.spanId.equals(p.spanId) && known.traceId.equals(p.traceId)) return;
        }
        provenance.add(p);
        if (!EventTime.isEnd(ctx.timerService().currentWatermark())) touch(p.startMs, ctx);
    }

    private void touch(long eventTime, Context ctx) throws Exception {
        Long last = lastUse.value();
        if (last == null || eventTime > last) lastUse.update(eventTime);
        if (expireAt.value() == null) {
            long at = Math.max(eventTime, last == null ? eventTime : last) + retentionMs;
            expireAt.update(at);
            EventTime.schedule(ctx.timerService(), at);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<LineageRow> out) throws Exception {
        List<Long> due = new ArrayList<>();
        for (Long at : waiting.keys()) {
            if (at <= timestamp) due.add(at);
        }
        if (!due.isEmpty()) {
            List<LineageRow> rows = new ArrayList<>();
            for (Long at : due) {
                rows.addAll(waiting.get(at));
                waiting.remove(at);
            }
            rows.sort(ROW_ORDER);
            for (LineageRow row : rows) emit(row, ctx, out);
        }
        Long expiry = expireAt.value();
        if (expiry != null && expiry == timestamp && !EventTime.isEnd(ctx.timerService().currentWatermark())) {
            long last = lastUse.value() == null ? Long.MIN_VALUE : lastUse.value();
            if (last + retentionMs > timestamp || !waiting.isEmpty()) {
                long next = Math.max(last + retentionMs, timestamp + 1);
                expireAt.update(next);
                EventTime.schedule(ctx.timerService(), next);
            } else {
                provenance.clear();
                lastUse.clear();
                expireAt.clear();
            }
        }
    }

    private void emit(LineageRow row, Context ctx, Collector<LineageRow> out) throws Exception {
        List<Provenance> known = new ArrayList<>();
        for (Provenance p : provenance.get()) known.add(p);
        List<FeatureRef> enriched = new ArrayList<>(row.features.size());
        for (FeatureRef served : row.features) {
            FeatureRef f = served.copy();
            Provenance p = pick(known, f, row.servedAt, waitMs);
            if (p == null) {
                f.source = null;
                f.pipelineTraceId = null;
                f.producedAt = null;
                ctx.output(ANOMALIES, LineageFindings.of(LineageFindings.MISSING_ANCESTRY, row.servedAt, row.traceId, row.impressionId,
                        row.lineageId, row.experiments, "feature " + f.name + "@" + f.version + ": no provenance span of lineage "
                                + row.lineageId + " started before served_at + lineage.provenance-wait=" + waitMs + " ms"));
            } else {
                f.source = p.featureSource;
                f.pipelineTraceId = p.traceId;
                f.producedAt = p.producedAt;
                if (row.servedAt - p.producedAt > staleAfterMs) {
                    ctx.output(ANOMALIES, LineageFindings.of(LineageFindings.STALE_FEATURE, row.servedAt, row.traceId, row.impressionId,
                            row.lineageId, row.experiments, "feature " + f.name + "@" + f.version + " was produced "
                                    + (row.servedAt - p.producedAt) + " ms before serving by pipeline trace " + p.traceId
                                    + ", over lineage.stale-after=" + staleAfterMs + " ms"));
                }
            }
            enriched.add(f);
        }
        row.features = enriched;
        out.collect(row);
    }

    /** The provenance of one served feature, or null; see the class comment for the choice among several runs. */
    static Provenance pick(List<Provenance> known, FeatureRef f, long servedAt, long waitMs) {
        Provenance before = null;
        Provenance after = null;
        for (Provenance p : known) {
            if (!p.featureName.equals(f.name)) continue;
            if (p.featureVersion != null && f.version != null && !p.featureVersion.equals(f.version)) continue;
            // Only what the wait allows: batch sees every span of the key, streaming only those before the timer.
            if (p.startMs > servedAt + waitMs) continue;
            if (p.producedAt <= servedAt) {
                if (before == null || later(p, before)) before = p;
            } else if (after == null || later(after, p)) {
                after = p;
            }
        }
        return before != null ? before : after;
    }

    private static boolean later(Provenance a, Provenance b) {
        if (a.producedAt != b.producedAt) return a.producedAt > b.producedAt;
        return (a.traceId + a.spanId).compareTo(b.traceId + b.spanId) > 0;
    }
}
