package io.recolens.jobs.functions;

import io.recolens.model.ExposureRow;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by experiment × variant × unit: keeps the earliest exposure until the watermark has passed it by
 * {@code settleMs} (so a slightly earlier one arriving later still wins), writes it once, then remembers the
 * unit until event time {@code firstExposureAt + retention} (an event-time timer, not a TTL) to suppress repeats.
 */
public class FirstExposure extends KeyedProcessFunction<String, ExposureRow, ExposureRow> {
    private static final long serialVersionUID = 1L;

    private final long settleMs;
    private final long retentionMs;
    private transient ValueState<ExposureRow> earliest;
    /** Set once the exposure is written: the event time until which the unit is remembered. */
    private transient ValueState<Long> writtenUntil;

    public FirstExposure(long settleMs, long retentionMs) {
        this.settleMs = settleMs;
        this.retentionMs = retentionMs;
    }

    @Override
    public void open(OpenContext openContext) {
        earliest = getRuntimeContext().getState(new ValueStateDescriptor<>("earliest", ExposureRow.class));
        // A new name: the earlier "written" flag carried a processing-time TTL, which Flink cannot restore without it.
        writtenUntil = getRuntimeContext().getState(new ValueStateDescriptor<>("written-until", Long.class));
    }

    @Override
    public void processElement(ExposureRow x, Context ctx, Collector<ExposureRow> out) throws Exception {
        if (writtenUntil.value() != null) return;
        ExposureRow current = earliest.value();
        if (EventTime.isEnd(ctx.timerService().currentWatermark())) {
            // No timer fires after the final watermark: write the earliest of what is here now.
            ExposureRow first = current == null || x.firstExposureAt < current.firstExposureAt ? x : current;
            out.collect(first);
            earliest.clear();
            writtenUntil.update(first.firstExposureAt + retentionMs);
            return;
        }
        boolean earlier = current != null && (x.firstExposureAt < current.firstExposureAt
                || (x.firstExposureAt == current.firstExposureAt && x.impressionId.compareTo(current.impressionId) < 0));
        if (current == null || earlier) {
            earliest.update(x);
            // An earlier candidate settles earlier; the stale later timer then finds nothing to write.
            EventTime.schedule(ctx.timerService(), Math.max(x.firstExposureAt + settleMs, ctx.timerService().currentWatermark() + 1));
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ExposureRow> out) throws Exception {
        ExposureRow current = earliest.value();
        if (current != null) {
            out.collect(current);
            earliest.clear();
            long until = Math.max(current.firstExposureAt + retentionMs, timestamp + 1);
            writtenUntil.update(until);
            EventTime.schedule(ctx.timerService(), until);
            return;
        }
        Long until = writtenUntil.value();
        // Not at the end of event time: a candidate arriving after a drain's final watermark (from an input that was
        // idle then) would otherwise write the unit's exposure a second time (found by ExactlyOnceITCase).
        if (until != null && timestamp >= until && !EventTime.isEnd(ctx.timerService().currentWatermark())) {
            writtenUntil.clear();
        }
    }
}
