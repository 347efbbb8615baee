package io.recolens.jobs.functions;

import io.recolens.jobs.config.JobSettings;
import io.recolens.model.AnomalyRow;
import io.recolens.model.Click;
import io.recolens.model.ClickRef;
import io.recolens.model.LineageRow;
import io.recolens.model.SlateItem;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
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
 * Join 2, keyed by impression ID: holds an impression for {@code attribution.window} of event time and
 * attributes the clicks that land inside it on an item of its slate. Clicks that arrive first wait for their
 * impression; a repeated click ID counts once; a click whose impression does not come within
 * {@code attribution.orphan-timeout} is an orphan. Emits the impression's final lineage row, clicks included.
 */
public class ClickAttributor extends KeyedCoProcessFunction<String, LineageRow, Click, LineageRow> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<AnomalyRow> ANOMALIES = new OutputTag<>("click-anomalies") {};

    private static final Comparator<Click> CLICK_ORDER =
            Comparator.comparingLong((Click c) -> c.clickedAt).thenComparing(c -> c.clickId);

    private final long windowMs;
    private final long orphanTimeoutMs;
    private final long lateRetentionMs;

    private transient ValueState<LineageRow> impression;
    private transient ListState<Click> pendingClicks;
    private transient ValueState<Long> attributeAt;
    /** Set once the impression is attributed: remembers that it was, to catch duplicates and late clicks. */
    private transient ValueState<Long> attributedUntil;
    private transient Counter duplicates;
    private transient Counter attributed;

    public ClickAttributor(JobSettings settings) {
        this(settings.attributionWindowMs, settings.orphanTimeoutMs, settings.lateRetentionMs);
    }

    public ClickAttributor(long windowMs, long orphanTimeoutMs, long lateRetentionMs) {
        this.windowMs = windowMs;
        this.orphanTimeoutMs = orphanTimeoutMs;
        this.lateRetentionMs = lateRetentionMs;
    }

    @Override
    public void open(OpenContext openContext) {
        StateTtlConfig backstop = StateTtlConfig.newBuilder(java.time.Duration.ofMillis((orphanTimeoutMs + lateRetentionMs) * 4 + 3_600_000L)).build();
        ValueStateDescriptor<LineageRow> impressionDesc = new ValueStateDescriptor<>("impression", LineageRow.class);
        impressionDesc.enableTimeToLive(backstop);
        ListStateDescriptor<Click> clicksDesc = new ListStateDescriptor<>("pending-clicks", Click.class);
        clicksDesc.enableTimeToLive(backstop);
        impression = getRuntimeContext().getState(impressionDesc);
        pendingClicks = getRuntimeContext().getListState(clicksDesc);
        attributeAt = getRuntimeContext().getState(new ValueStateDescriptor<>("attribute-at", Long.class));
        attributedUntil = getRuntimeContext().getState(new ValueStateDescriptor<>("attributed-until", Long.class));
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicateRecords");
        attributed = getRuntimeContext().getMetricGroup().counter("attributedClicks");
    }

    @Override
    public void processElement1(LineageRow row, Context ctx, Collector<LineageRow> out) throws Exception {
        if (impression.value() != null || attributedUntil.value() != null) {
            duplicates.inc();
            return;
        }
        impression.update(row);
        long at = row.servedAt + windowMs;
        if (EventTime.isEnd(ctx.timerService().currentWatermark())) {
            // No timer fires after the final watermark: attribute with the clicks that are here.
            attribute(ctx, out, at);
            return;
        }
        ctx.timerService().registerEventTimeTimer(at);
        attributeAt.update(at);
    }

    @Override
    public void processElement2(Click click, Context ctx, Collector<LineageRow> out) throws Exception {
        if (attributedUntil.value() != null) {
            AnomalyRow a = anomaly(AnomalyRow.LATE_CLICK, click, "click arrived after impression " + click.impressionId
                    + " was attributed; it is not counted (raise watermark.out-of-orderness if this is frequent)");
            ctx.output(ANOMALIES, a);
            return;
        }
        pendingClicks.add(click);
        if (impression.value() == null) {
            if (EventTime.isEnd(ctx.timerService().currentWatermark())) {
                reportOrphans(Long.MAX_VALUE, ctx);
            } else {
                ctx.timerService().registerEventTimeTimer(click.clickedAt + orphanTimeoutMs);
            }
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<LineageRow> out) throws Exception {
        Long attributeTime = attributeAt.value();
        if (attributeTime != null && attributeTime == timestamp) {
            attribute(ctx, out, timestamp);
            return;
        }
        Long until = attributedUntil.value();
        if (until != null && until == timestamp) {
            attributedUntil.clear();
            return;
        }
        if (impression.value() == null && attributedUntil.value() == null) {
            reportOrphans(timestamp, ctx);
        }
    }

    private void attribute(Context ctx, Collector<LineageRow> out, long attributeTime) throws Exception {
        LineageRow row = impression.value();
        Set<String> slate = new HashSet<>();
        for (SlateItem item : row.items) slate.add(item.itemId);
        Set<String> seen = new HashSet<>();
        List<ClickRef> clicks = new ArrayList<>();
        for (Click c : sortedPending()) {
            if (!seen.add(c.clickId)) {
                duplicates.inc();
                continue;
            }
            if (c.clickedAt < row.servedAt || c.clickedAt > row.servedAt + windowMs) {
                ctx.output(ANOMALIES, anomaly(AnomalyRow.CLICK_OUTSIDE_WINDOW, c, "clicked " + (c.clickedAt - row.servedAt)
                        + " ms after the impression; the attribution window is " + windowMs + " ms"));
            } else if (!slate.contains(c.itemId)) {
                ctx.output(ANOMALIES, anomaly(AnomalyRow.CLICK_ITEM_NOT_IN_SLATE, c, "item " + c.itemId + " is not in the served slate"));
            } else {
                clicks.add(new ClickRef(c.clickId, c.itemId, c.position, c.clickedAt));
            }
        }
        row.clicks = clicks;
        attributed.inc(clicks.size());
        out.collect(row);
        impression.clear();
        pendingClicks.clear();
        attributeAt.clear();
        long until = attributeTime + lateRetentionMs;
        attributedUntil.update(until);
        if (!EventTime.isEnd(ctx.timerService().currentWatermark())) {
            ctx.timerService().registerEventTimeTimer(until);
        }
    }

    private void reportOrphans(long now, Context ctx) throws Exception {
        List<Click> keep = new ArrayList<>();
        Set<String> reported = new HashSet<>();
        for (Click c : sortedPending()) {
            if (c.clickedAt + orphanTimeoutMs <= now) {
                if (reported.add(c.clickId)) {
                    ctx.output(ANOMALIES, anomaly(AnomalyRow.ORPHAN_CLICK, c, "no impression " + c.impressionId
                            + " arrived within " + orphanTimeoutMs + " ms of the click"));
                } else {
                    duplicates.inc();
                }
            } else {
                keep.add(c);
            }
        }
        pendingClicks.update(keep);
    }

    private List<Click> sortedPending() throws Exception {
        List<Click> all = new ArrayList<>();
        for (Click c : pendingClicks.get()) all.add(c);
        all.sort(CLICK_ORDER);
        return all;
    }

    private static AnomalyRow anomaly(String kind, Click c, String detail) {
        AnomalyRow a = AnomalyRow.of(kind, c.clickedAt, c.traceId, detail);
        a.impressionId = c.impressionId;
        a.clickId = c.clickId;
        if (c.experiments != null && c.experiments.size() == 1) {
            var e = c.experiments.entrySet().iterator().next();
            a.experiment = e.getKey();
            a.variant = e.getValue();
        }
        return a;
    }
}
