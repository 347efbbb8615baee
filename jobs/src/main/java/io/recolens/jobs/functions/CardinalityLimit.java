package io.recolens.jobs.functions;

import io.recolens.jobs.config.CardinalityLimits;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Enforces the cardinality limits of one aggregate table in keyed state. Keyed by the table's name (one key, see
 * {@link #byTable}), so every row of the table meets the same admitted set whatever the job's parallelism; the input
 * is the additive aggregator's output, one row per window and key, so one task keeps up.
 *
 * <p>Deterministic: rows wait for the watermark to pass their timestamp (the aggregator's flush time) and all rows of
 * one instant are decided together in {@link LimitedDimensions#order} order, so the same input gives the same
 * admitted values and the same overflow sums at any parallelism and in batch. Per instant: values used again are
 * marked used, values unused for {@code limits.forget-after} are forgotten (their slots free up), then new values
 * take free slots. Rows whose every limited value is registered in {@code experiments.known} pass at once.
 * Checkpointed: admitted values, their last use and the waiting rows are keyed state.
 */
public class CardinalityLimit<R> extends KeyedProcessFunction<String, R, R> implements ResultTypeQueryable<R> {
    private static final long serialVersionUID = 1L;
    private static final char SEP = '\u0001';

    private final LimitedDimensions<R> dimensions;
    private final CardinalityLimits limits;
    private final Map<String, Set<String>> known;
    private final TypeInformation<R> type;

    /** scope SEP value → event time of its last use. */
    private transient MapState<String, Long> lastUsed;
    /** scope → admitted values in it. */
    private transient MapState<String, Integer> sizes;
    /** instant → how many rows wait for it; the rows themselves under instant SEP index. */
    private transient MapState<Long, Integer> waitingCounts;
    private transient MapState<String, R> waiting;
    /** No admitted value can expire before this instant: a lower bound, so most instants skip the sweep. */
    private transient ValueState<Long> earliestExpiry;

    public CardinalityLimit(LimitedDimensions<R> dimensions, CardinalityLimits limits, Map<String, Set<String>> known, TypeInformation<R> type) {
        this.dimensions = dimensions;
        this.limits = limits;
        this.known = known;
        this.type = type;
    }

    /** The key selector: every row of the table under one key, the table's name. */
    public static <R> KeySelector<R, String> byTable(String table) {
        return new TableKey<>(table);
    }

    @Override
    public void open(OpenContext openContext) {
        lastUsed = getRuntimeContext().getMapState(new MapStateDescriptor<>("last-used", Types.STRING, Types.LONG));
        sizes = getRuntimeContext().getMapState(new MapStateDescriptor<>("scope-sizes", Types.STRING, Types.INT));
        waitingCounts = getRuntimeContext().getMapState(new MapStateDescriptor<>("waiting-counts", Types.LONG, Types.INT));
        waiting = getRuntimeContext().getMapState(new MapStateDescriptor<>("waiting-rows", Types.STRING, type));
        earliestExpiry = getRuntimeContext().getState(new ValueStateDescriptor<>("earliest-expiry", Types.LONG));
    }

    @Override
    public void processElement(R row, Context ctx, Collector<R> out) throws Exception {
        if (dimensions.alwaysAdmitted(row, known)) {
            out.collect(row);
            return;
        }
        Long ts = ctx.timestamp();
        long watermark = ctx.timerService().currentWatermark();
        if (ts == null || ts <= watermark) {
            // Late for its instant (or after the final watermark): no timer would fire in time, decide now.
            decide(List.of(row), ts == null ? watermark : Math.max(ts, watermark), ctx.timerService(), out);
            return;
        }
        Integer n = waitingCounts.get(ts);
        int index = n == null ? 0 : n;
        waiting.put(ts + String.valueOf(SEP) + index, row);
        waitingCounts.put(ts, index + 1);
        EventTime.schedule(ctx.timerService(), ts);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<R> out) throws Exception {
        Integer n = waitingCounts.get(timestamp);
        List<R> rows = new ArrayList<>(n == null ? 0 : n);
        if (n != null) {
            for (int i = 0; i < n; i++) {
                String key = timestamp + String.valueOf(SEP) + i;
                rows.add(waiting.get(key));
                waiting.remove(key);
            }
            waitingCounts.remove(timestamp);
        }
        decide(rows, timestamp, ctx.timerService(), out);
    }

    private void decide(List<R> rows, long now, org.apache.flink.streaming.api.TimerService timers, Collector<R> out) throws Exception {
        List<R> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparing(dimensions::order));
        CardinalityLimiter.Slots slots = new StateSlots();
        CardinalityLimiter touch = new CardinalityLimiter(limits, known, slots, now, false);
        for (R row : sorted) {
            // Only marks use: in this pass every value comes back as it was (cut to the longest kept).
            dimensions.limit(row, touch);
        }
        forgetUnused(now);
        CardinalityLimiter admit = new CardinalityLimiter(limits, known, slots, now, true);
        for (R row : sorted) {
            dimensions.limit(row, admit);
            out.collect(row);
        }
        Long earliest = earliestExpiry.value();
        if (earliest != null && earliest != Long.MAX_VALUE) {
            // Frees the slot even when no rows come: state shrinks on its own (one timer per instant at most).
            EventTime.schedule(timers, earliest);
        }
    }

    private void forgetUnused(long now) throws Exception {
        Long earliest = earliestExpiry.value();
        if (earliest != null && now < earliest) return;
        long next = Long.MAX_VALUE;
        Iterator<Map.Entry<String, Long>> it = lastUsed.iterator();
        while (it.hasNext()) {
            Map.Entry<String, Long> e = it.next();
            long expiry = expiry(e.getValue());
            if (expiry <= now) {
                String scope = e.getKey().substring(0, e.getKey().indexOf(SEP));
                it.remove();
                Integer size = sizes.get(scope);
                if (size == null || size <= 1) {
                    sizes.remove(scope);
                } else {
                    sizes.put(scope, size - 1);
                }
            } else {
                next = Math.min(next, expiry);
            }
        }
        if (next == Long.MAX_VALUE) {
            earliestExpiry.clear();
        } else {
            earliestExpiry.update(next);
        }
    }

    private long expiry(long used) {
        long e = used + limits.forgetAfterMs;
        return e < used ? Long.MAX_VALUE : e;
    }

    @Override
    public TypeInformation<R> getProducedType() {
        return type;
    }

    /** Slots in this operator's keyed state. */
    private final class StateSlots implements CardinalityLimiter.Slots {
        @Override
        public Long lastUsed(String scope, String value) throws Exception {
            return lastUsed.get(scope + SEP + value);
        }

        @Override
        public void use(String scope, String value, long time) throws Exception {
            String key = scope + SEP + value;
            if (!lastUsed.contains(key)) {
                Integer size = sizes.get(scope);
                sizes.put(scope, size == null ? 1 : size + 1);
            }
            lastUsed.put(key, time);
            Long earliest = earliestExpiry.value();
            long expiry = expiry(time);
            if (earliest == null || expiry < earliest) {
                earliestExpiry.update(expiry);
            }
        }

        @Override
        public int size(String scope) throws Exception {
            Integer size = sizes.get(scope);
            return size == null ? 0 : size;
        }
    }

    /** Every row of one table under one key. */
    private static final class TableKey<R> implements KeySelector<R, String> {
        private static final long serialVersionUID = 1L;
        private final String table;

        TableKey(String table) {
            this.table = table;
        }

        @Override
        public String getKey(R row) {
            return table;
        }
    }
}
