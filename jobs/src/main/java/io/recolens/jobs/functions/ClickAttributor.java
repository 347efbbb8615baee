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
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Join 2, keyed by impression ID: holds an impression's lineage row for {@code attribution.window} of event time
 * and attributes the clicks that land inside it on an item of its slate. Clicks that arrive first wait for their
 * impression; a repeated click ID counts once; a click whose impression does not come within
 * {@code attribution.orphan-timeout} is an orphan. Emits the impression's final lineage row, clicks included.
 *
 * <p>The whole row is held because it is this function's output: lineage_history keeps each impression once, with
 * its clicks, so nothing of it can be written before the window ends. Waiting clicks are kept as
 * {@link PendingClick}s, at most {@code attribution.max-pending-clicks} per impression (more: {@code clicksOverCap},
 * one {@code click_cap} anomaly). A summary update from {@link TraceAssembler} (a late span) replaces the held row's
 * trace summary; one that comes after the row was written is a {@code late_record} anomaly. All state is cleared by
 * event-time timers; a timer that finds its row missing reports {@code state_missing} instead of failing.
 *
 * <p>Late clicks: after attribution and within {@code lateness.allowed} a click is a {@code late_click} anomaly;
 * a click that finds no state and is more than {@code lateness.allowed} behind the watermark is a
 * {@code late_record} anomaly (kind=click). Both count in {@code lateRecordsDropped}.
 */
public class ClickAttributor extends KeyedCoProcessFunction<String, AttributionInput, Click, LineageRow> implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<AnomalyRow> ANOMALIES = new OutputTag<>("click-anomalies") {};

    public static final int DEFAULT_MAX_PENDING_CLICKS = 1000;

    private static final Comparator<PendingClick> CLICK_ORDER =
            Comparator.comparingLong((PendingClick c) -> c.clickedAt).thenComparing(c -> c.clickId);

    private final long windowMs;
    private final long orphanTimeoutMs;
    private final long latenessMs;
    private final int maxPendingClicks;

    private transient ValueState<LineageRow> impression;
    private transient ListState<PendingClick> pendingClicks;
    private transient ValueState<ClickTally> tally;
    /** Set while the impression waits: the event time of its attribution timer. */
    private transient ValueState<Long> attributeAt;
    /** Set once the impression is attributed: remembers that it was, to catch duplicates and late clicks. */
    private transient ValueState<Long> attributedUntil;
    private transient Counter duplicates;
    private transient Counter attributed;
    private transient Counter clicksOverCap;
    private transient Counter lateRecordsDropped;
    private transient Counter stateMissing;
    private transient Counter summaryUpdates;
    private final StateCount waitingImpressions = new StateCount("waiting-impressions");

    public ClickAttributor(JobSettings settings) {
        this(settings.attributionWindowMs, settings.orphanTimeoutMs, settings.allowedLatenessMs, settings.maxPendingClicks);
    }

    public ClickAttributor(long windowMs, long orphanTimeoutMs, long latenessMs) {
        this(windowMs, orphanTimeoutMs, latenessMs, DEFAULT_MAX_PENDING_CLICKS);
    }

    public ClickAttributor(long windowMs, long orphanTimeoutMs, long latenessMs, int maxPendingClicks) {
        this.windowMs = windowMs;
        this.orphanTimeoutMs = orphanTimeoutMs;
        this.latenessMs = latenessMs;
        this.maxPendingClicks = maxPendingClicks;
    }

    @Override
    public void open(OpenContext openContext) {
        // New state names: the earlier descriptors carried a processing-time TTL, which Flink cannot restore without it.
        impression = getRuntimeContext().getState(new ValueStateDescriptor<>("waiting-impression", LineageRow.class));
        pendingClicks = getRuntimeContext().getListState(new ListStateDescriptor<>("waiting-clicks", PendingClick.class));
        tally = getRuntimeContext().getState(new ValueStateDescriptor<>("click-tally", ClickTally.class));
        attributeAt = getRuntimeContext().getState(new ValueStateDescriptor<>("attribute-at", Long.class));
        attributedUntil = getRuntimeContext().getState(new ValueStateDescriptor<>("attributed-until", Long.class));
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicateRecords");
        attributed = getRuntimeContext().getMetricGroup().counter("attributedClicks");
        clicksOverCap = getRuntimeContext().getMetricGroup().counter("clicksOverCap");
        lateRecordsDropped = getRuntimeContext().getMetricGroup().counter("lateRecordsDropped");
        stateMissing = getRuntimeContext().getMetricGroup().counter("stateMissing");
        summaryUpdates = getRuntimeContext().getMetricGroup().counter("summaryUpdates");
        waitingImpressions.register(getRuntimeContext().getMetricGroup(), "waitingImpressions", "impressionsHeld", "impressionsReleased");
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        waitingImpressions.initialize(context);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        waitingImpressions.snapshot();
    }

    /** Impressions this subtask holds in their attribution window (the waitingImpressions gauge). */
    long waitingImpressions() {
        return waitingImpressions.held();
    }

    @Override
    public void processElement1(AttributionInput in, Context ctx, Collector<LineageRow> out) throws Exception {
        if (in.isSummaryUpdate()) {
            updateSummary(in, ctx);
            return;
        }
        LineageRow row = in.row;
        // attribute-at is a small read; the held row is only read when it is needed.
        if (attributeAt.value() != null || attributedUntil.value() != null) {
            duplicates.inc();
            return;
        }
        impression.update(row);
        waitingImpressions.add();
        long at = row.servedAt + windowMs;
        if (EventTime.isEnd(ctx.timerService().currentWatermark())) {
            // No timer fires after the final watermark: attribute with the clicks that are here.
            attribute(ctx, out, at);
            return;
        }
        EventTime.schedule(ctx.timerService(), at);
        attributeAt.update(at);
    }

    private void updateSummary(AttributionInput in, Context ctx) throws Exception {
        if (attributeAt.value() != null) {
            LineageRow row = impression.value();
            if (row != null) {
                row.trace = in.summary;
                impression.update(row);
                summaryUpdates.inc();
                return;
            }
        }
        lateRecordsDropped.inc();
        AnomalyRow a = AnomalyRow.of(AnomalyRow.LATE_RECORD, in.eventTime, in.traceId, "kind=span: a late span changed the summary of trace "
                + in.traceId + " (now " + in.summary.spanCount + " spans) after the lineage row of impression " + ctx.getCurrentKey()
                + " was written; the row keeps the earlier summary (attribution.window shorter than trace.max-duration + trace.gap + lateness.allowed?)");
        a.impressionId = ctx.getCurrentKey();
        ctx.output(ANOMALIES, a);
    }

    @Override
    public void processElement2(Click click, Context ctx, Collector<LineageRow> out) throws Exception {
        if (attributedUntil.value() != null) {
            lateRecordsDropped.inc();
            ctx.output(ANOMALIES, anomaly(AnomalyRow.LATE_CLICK, PendingClick.of(click), click.impressionId, "click arrived after impression "
                    + click.impressionId + " was attributed; it is not counted (raise watermark.out-of-orderness if this is frequent)"));
            return;
        }
        boolean waiting = attributeAt.value() != null;
        long watermark = ctx.timerService().currentWatermark();
        if (!waiting && !EventTime.isEnd(watermark) && watermark != Long.MIN_VALUE && click.clickedAt + latenessMs <= watermark) {
            lateRecordsDropped.inc();
            ctx.output(ANOMALIES, anomaly(AnomalyRow.LATE_RECORD, PendingClick.of(click), click.impressionId, "kind=click: "
                    + (watermark - click.clickedAt) + " ms behind the watermark, past lateness.allowed=" + latenessMs
                    + " ms, and impression " + click.impressionId + " is not waiting (written and forgotten, or not arrived): not counted"));
            return;
        }
        ClickTally counts = tally.value();
        if (counts == null) counts = new ClickTally();
        if (counts.pending >= maxPendingClicks) {
            clicksOverCap.inc();
            counts.overCap++;
            tally.update(counts);
            return;
        }
        pendingClicks.add(PendingClick.of(click));
        counts.pending++;
        tally.update(counts);
        if (!waiting) {
            if (EventTime.isEnd(watermark)) {
                reportOrphans(Long.MAX_VALUE, ctx);
            } else {
                EventTime.schedule(ctx.timerService(), click.clickedAt + orphanTimeoutMs);
            }
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<LineageRow> out) throws Exception {
        Long attributeTime = attributeAt.value();
        if (attributeTime != null) {
            // Orphan timers of clicks that came before their impression do nothing: the clicks wait for attribution.
            if (attributeTime == timestamp) attribute(ctx, out, timestamp);
            return;
        }
        Long until = attributedUntil.value();
        if (until != null) {
            // Not at the end of event time: a click arriving after a drain's final watermark must still be known as late.
            if (timestamp >= until && !EventTime.isEnd(ctx.timerService().currentWatermark())) attributedUntil.clear();
            return;
        }
        reportOrphans(timestamp, ctx);
    }

    private void attribute(Context ctx, Collector<LineageRow> out, long attributeTime) throws Exception {
        LineageRow row = impression.value();
        attributeAt.clear();
        waitingImpressions.remove();
        if (row == null) {
            // Cannot happen with timers alone (no TTL); a restore that lost state must not crash the job in a loop.
            stateMissing.inc();
            AnomalyRow a = AnomalyRow.of(AnomalyRow.STATE_MISSING, attributeTime - windowMs, null, "impression "
                    + ctx.getCurrentKey() + ": its attribution timer fired but the lineage row is missing; its waiting clicks are reported as orphans");
            a.impressionId = ctx.getCurrentKey();
            ctx.output(ANOMALIES, a);
            reportOrphans(Long.MAX_VALUE, ctx);
            return;
        }
        String impressionId = ctx.getCurrentKey();
        Set<String> slate = new HashSet<>();
        for (SlateItem item : row.items) slate.add(item.itemId);
        Set<String> seen = new HashSet<>();
        List<ClickRef> clicks = new ArrayList<>();
        for (PendingClick c : sortedPending()) {
            if (!seen.add(c.clickId)) {
                duplicates.inc();
                continue;
            }
            if (c.clickedAt < row.servedAt || c.clickedAt > row.servedAt + windowMs) {
                ctx.output(ANOMALIES, anomaly(AnomalyRow.CLICK_OUTSIDE_WINDOW, c, impressionId, "clicked " + (c.clickedAt - row.servedAt)
                        + " ms after the impression; the attribution window is " + windowMs + " ms"));
            } else if (!slate.contains(c.itemId)) {
                ctx.output(ANOMALIES, anomaly(AnomalyRow.CLICK_ITEM_NOT_IN_SLATE, c, impressionId, "item " + c.itemId + " is not in the served slate"));
            } else {
                clicks.add(new ClickRef(c.clickId, c.itemId, c.position, c.clickedAt));
            }
        }
        row.clicks = clicks;
        attributed.inc(clicks.size());
        out.collect(row);
        reportClickCap(row.servedAt, row.traceId, ctx);
        impression.clear();
        pendingClicks.clear();
        tally.clear();
        long until = attributeTime + latenessMs;
        attributedUntil.update(until);
        if (!EventTime.isEnd(ctx.timerService().currentWatermark())) {
            EventTime.schedule(ctx.timerService(), until);
        }
    }

    private void reportOrphans(long now, Context ctx) throws Exception {
        String impressionId = ctx.getCurrentKey();
        List<PendingClick> keep = new ArrayList<>();
        Set<String> reported = new HashSet<>();
        long firstOrphan = Long.MAX_VALUE;
        String traceId = null;
        for (PendingClick c : sortedPending()) {
            if (c.clickedAt + orphanTimeoutMs <= now) {
                if (reported.add(c.clickId)) {
                    ctx.output(ANOMALIES, anomaly(AnomalyRow.ORPHAN_CLICK, c, impressionId, "no impression " + impressionId
                            + " arrived within " + orphanTimeoutMs + " ms of the click"));
                } else {
                    duplicates.inc();
                }
                firstOrphan = Math.min(firstOrphan, c.clickedAt);
                traceId = c.traceId;
            } else {
                keep.add(c);
            }
        }
        if (keep.isEmpty()) {
            reportClickCap(firstOrphan == Long.MAX_VALUE ? now : firstOrphan, traceId, ctx);
            pendingClicks.clear();
            tally.clear();
        } else {
            pendingClicks.update(keep);
            ClickTally counts = tally.value();
            if (counts == null) counts = new ClickTally();
            counts.pending = keep.size();
            tally.update(counts);
        }
    }

    private void reportClickCap(long eventTime, String traceId, Context ctx) throws Exception {
        ClickTally counts = tally.value();
        if (counts != null && counts.overCap > 0) {
            AnomalyRow a = AnomalyRow.of(AnomalyRow.CLICK_CAP, eventTime, traceId, counts.overCap
                    + " click(s) past attribution.max-pending-clicks=" + maxPendingClicks + " were not kept and not counted");
            a.impressionId = ctx.getCurrentKey();
            ctx.output(ANOMALIES, a);
        }
    }

    private List<PendingClick> sortedPending() throws Exception {
        List<PendingClick> all = new ArrayList<>();
        Iterable<PendingClick> stored = pendingClicks.get();
        if (stored != null) for (PendingClick c : stored) all.add(c);
        all.sort(CLICK_ORDER);
        return all;
    }

    private static AnomalyRow anomaly(String kind, PendingClick c, String impressionId, String detail) {
        AnomalyRow a = AnomalyRow.of(kind, c.clickedAt, c.traceId, detail);
        a.impressionId = impressionId;
        a.clickId = c.clickId;
        a.experiment = c.experiment;
        a.variant = c.variant;
        return a;
    }
}
