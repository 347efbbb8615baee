package io.recolens.jobs.functions;

import io.recolens.model.LineageRow;
import io.recolens.model.UnitDailyRow;
import java.util.Map;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** Turns one attributed impression into one per-unit contribution per experiment it ran in. */
public class UnitDailyContributions implements FlatMapFunction<LineageRow, UnitDailyRow> {
    private static final long serialVersionUID = 1L;
    private static final long DAY_MS = 86_400_000L;

    /** Width of the flush bucket: a divisor of a day, so a bucket never spans two days. */
    private final long windowMs;

    public UnitDailyContributions(long windowMs) {
        this.windowMs = windowMs;
    }

    @Override
    public void flatMap(LineageRow row, Collector<UnitDailyRow> out) {
        if (row.unitKey == null) return;
        int day = (int) Math.floorDiv(row.servedAt, DAY_MS);
        long bucketStart = Math.floorDiv(row.servedAt, windowMs) * windowMs;
        long clicks = row.clicks.size();
        for (Map.Entry<String, String> e : row.experiments.entrySet()) {
            UnitDailyRow c = new UnitDailyRow();
            c.day = day;
            c.bucketStart = bucketStart;
            // Cut here already so no aggregate key holds a huge value; the limits proper come after the sums.
            c.experiment = CardinalityLimiter.cut(e.getKey());
            c.variant = CardinalityLimiter.cut(e.getValue());
            c.unitKey = row.unitKey;
            c.impressions = 1;
            c.itemImpressions = row.items.size();
            c.clicks = clicks;
            c.clickedImpressions = clicks > 0 ? 1 : 0;
            out.collect(c);
        }
    }
}
