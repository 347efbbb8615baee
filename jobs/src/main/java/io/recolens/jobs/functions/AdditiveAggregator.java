package io.recolens.jobs.functions;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Sums additive rows per key and writes the sum when the watermark passes the key's flush time. A row that
 * comes after its key was flushed (late data, a restart) starts a new partial sum that is flushed at the next
 * watermark: streaming may write several rows for one key, and their SUM equals what batch writes once.
 */
public class AdditiveAggregator<R> extends KeyedProcessFunction<String, R, R> implements ResultTypeQueryable<R> {
    private static final long serialVersionUID = 1L;

    private final Additive<R> additive;
    private final TypeInformation<R> type;
    private transient ValueState<R> sum;

    public AdditiveAggregator(Additive<R> additive, TypeInformation<R> type) {
        this.additive = additive;
        this.type = type;
    }

    @Override
    public void open(OpenContext openContext) {
        sum = getRuntimeContext().getState(new ValueStateDescriptor<>("sum", type));
    }

    @Override
    public void processElement(R row, Context ctx, Collector<R> out) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        if (EventTime.isEnd(watermark)) {
            // No timer fires after the final watermark: this row is its own partial sum.
            out.collect(row);
            return;
        }
        R current = sum.value();
        if (current == null) {
            sum.update(row);
            EventTime.schedule(ctx.timerService(), Math.max(additive.flushAt(row), watermark + 1));
        } else {
            additive.addInto(current, row);
            additive.seal(current);
            sum.update(current);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<R> out) throws Exception {
        R current = sum.value();
        if (current != null) {
            out.collect(current);
            sum.clear();
        }
    }

    @Override
    public TypeInformation<R> getProducedType() {
        return type;
    }
}
