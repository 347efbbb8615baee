package io.recolens.jobs.functions;

import io.recolens.model.EngagementRow;
import io.recolens.model.LineageRow;
import java.util.Map;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** Turns one attributed impression into one engagement contribution per experiment it ran in. */
public class EngagementContributions implements FlatMapFunction<LineageRow, EngagementRow> {
    private static final long serialVersionUID = 1L;

    private final long windowMs;

    public EngagementContributions(long windowMs) {
        this.windowMs = windowMs;
    }

    @Override
    public void flatMap(LineageRow row, Collector<EngagementRow> out) {
        long windowStart = Math.floorDiv(row.servedAt, windowMs) * windowMs;
        long clicks = row.clicks.size();
        for (Map.Entry<String, String> e : row.experiments.entrySet()) {
            EngagementRow c = new EngagementRow();
            c.windowStart = windowStart;
            c.windowEnd = windowStart + windowMs;
            // Cut here already so no aggregate key holds a huge value; the limits proper come after the sums.
            c.experiment = CardinalityLimiter.cut(e.getKey());
            c.variant = CardinalityLimiter.cut(e.getValue());
            c.surface = CardinalityLimiter.cut(row.surface);
            c.segment = CardinalityLimiter.cut(row.segment);
            c.impressions = 1;
            c.itemImpressions = row.items.size();
            c.clicks = clicks;
            c.clickedImpressions = clicks > 0 ? 1 : 0;
            out.collect(c);
        }
    }
}
