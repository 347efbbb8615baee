package io.recolens.jobs.functions;

import io.recolens.jobs.config.JobSettings;
import io.recolens.model.AnomalyRow;
import io.recolens.model.Impression;
import io.recolens.model.SpanRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by trace ID, apart from trace assembly: compares each impression's model with the {@code model.name} /
 * {@code model.version} spans of its trace report, and emits one {@code model_version_mismatch} per impression and
 * model name whose spans report another version. Only impressions and spans that name a model come here (a few per
 * trace), so its state stays small. A trace is checked {@code trace.gap} of event time after its latest record, as
 * trace assembly closes it; its spans and the impressions already checked are remembered {@code lateness.allowed}
 * longer, so a late or repeated impression is checked once against them.
 */
public class ModelVersionCheck extends KeyedCoProcessFunction<String, Impression, SpanRecord, AnomalyRow> {
    private static final long serialVersionUID = 1L;

    private static final Comparator<Impression> ORDER =
            Comparator.comparingLong((Impression i) -> i.servedAt).thenComparing(i -> i.impressionId);

    private final long gapMs;
    private final long latenessMs;

    private transient ListState<Impression> impressions;
    private transient ListState<SpanRecord> spans;
    private transient MapState<String, Boolean> checked;
    private transient ValueState<Long> checkAt;
    private transient ValueState<Long> forgetAt;

    public ModelVersionCheck(JobSettings settings) {
        this(settings.traceGapMs, settings.allowedLatenessMs);
    }

    public ModelVersionCheck(long gapMs, long latenessMs) {
        this.gapMs = gapMs;
        this.latenessMs = latenessMs;
    }

    /** Impressions worth checking. */
    public static boolean namesModel(Impression i) {
        return i.modelName != null && i.modelVersion != null;
    }

    /** Spans worth checking. */
    public static boolean namesModel(SpanRecord s) {
        return s.modelName != null && s.modelVersion != null;
    }

    /**
     * An impression naming a model as the check needs it: its slate, features and baggage stay behind, so the shuffle
     * to this keyed operator and its state carry a few strings instead of the whole served slate. Still an
     * {@link Impression}, so state written by earlier versions restores as it is.
     */
    public static final class ImpressionsNamingAModel implements FlatMapFunction<Impression, Impression> {
        private static final long serialVersionUID = 1L;

        @Override
        public void flatMap(Impression i, Collector<Impression> out) {
            if (!namesModel(i)) return;
            Impression slim = new Impression();
            slim.impressionId = i.impressionId;
            slim.traceId = i.traceId;
            slim.lineageId = i.lineageId;
            slim.servedAt = i.servedAt;
            slim.experiments = i.experiments;
            slim.modelName = i.modelName;
            slim.modelVersion = i.modelVersion;
            out.collect(slim);
        }
    }

    /** A span naming a model as the check needs it (trace, service, model, time); see {@link ImpressionsNamingAModel}. */
    public static final class SpansNamingAModel implements FlatMapFunction<SpanRecord, SpanRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public void flatMap(SpanRecord s, Collector<SpanRecord> out) {
            if (!namesModel(s)) return;
            SpanRecord slim = new SpanRecord();
            slim.traceId = s.traceId;
            slim.spanId = s.spanId;
            slim.service = s.service;
            slim.startMs = s.startMs;
            slim.modelName = s.modelName;
            slim.modelVersion = s.modelVersion;
            out.collect(slim);
        }
    }

    @Override
    public void open(OpenContext openContext) {
        impressions = getRuntimeContext().getListState(new ListStateDescriptor<>("model-impressions", Impression.class));
        spans = getRuntimeContext().getListState(new ListStateDescriptor<>("model-spans", SpanRecord.class));
        checked = getRuntimeContext().getMapState(new MapStateDescriptor<>("checked-impressions", Types.STRING, Types.BOOLEAN));
        checkAt = getRuntimeContext().getState(new ValueStateDescriptor<>("check-at", Long.class));
        forgetAt = getRuntimeContext().getState(new ValueStateDescriptor<>("forget-at", Long.class));
    }

    @Override
    public void processElement1(Impression impression, Context ctx, Collector<AnomalyRow> out) throws Exception {
        impressions.add(impression);
        extend(impression.servedAt, ctx, out);
    }

    @Override
    public void processElement2(SpanRecord span, Context ctx, Collector<AnomalyRow> out) throws Exception {
        spans.add(span);
        extend(span.startMs, ctx, out);
    }

    private void extend(long eventTime, Context ctx, Collector<AnomalyRow> out) throws Exception {
        if (EventTime.isEnd(ctx.timerService().currentWatermark())) {
            check(out);
            return;
        }
        Long current = checkAt.value();
        long candidate = eventTime + gapMs;
        if (current == null || candidate > current) {
            if (current != null) ctx.timerService().deleteEventTimeTimer(current);
            checkAt.update(candidate);
            EventTime.schedule(ctx.timerService(), candidate);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AnomalyRow> out) throws Exception {
        Long current = checkAt.value();
        if (current != null && current == timestamp) {
            check(out);
            checkAt.clear();
            Long forget = forgetAt.value();
            if (forget != null) ctx.timerService().deleteEventTimeTimer(forget);
            forgetAt.update(timestamp + latenessMs);
            EventTime.schedule(ctx.timerService(), timestamp + latenessMs);
        }
        Long forget = forgetAt.value();
        if (forget != null && forget == timestamp && checkAt.value() == null && !EventTime.isEnd(ctx.timerService().currentWatermark())) {
            impressions.clear();
            spans.clear();
            checked.clear();
            forgetAt.clear();
        }
    }

    private void check(Collector<AnomalyRow> out) throws Exception {
        List<Impression> imps = new ArrayList<>();
        for (Impression i : impressions.get()) imps.add(i);
        List<SpanRecord> all = new ArrayList<>();
        for (SpanRecord s : spans.get()) all.add(s);
        // Only when both sides are here: a trace's spans alone, or an impression alone, have nothing to compare.
        if (!imps.isEmpty() && !all.isEmpty()) {
            imps.sort(ORDER);
            Set<String> seen = new HashSet<>();
            for (Impression i : imps) {
                if (!seen.add(i.impressionId) || checked.contains(i.impressionId)) continue;
                boolean sameModel = false;
                Set<String> reported = new TreeSet<>();
                for (SpanRecord s : all) {
                    if (!i.modelName.equals(s.modelName)) continue;
                    sameModel = true;
                    if (!i.modelVersion.equals(s.modelVersion)) reported.add(s.modelVersion + " (" + s.service + ")");
                }
                // Until a span of the same model is here the impression stays unchecked: one within lateness still counts.
                if (!sameModel) continue;
                checked.put(i.impressionId, true);
                if (reported.isEmpty()) continue;
                out.collect(LineageFindings.of(LineageFindings.MODEL_VERSION_MISMATCH, i.servedAt, i.traceId, i.impressionId, i.lineageId,
                        i.experiments, "impression says model " + i.modelName + " version " + i.modelVersion + ", spans of its trace report "
                                + reported));
            }
        }
    }
}
