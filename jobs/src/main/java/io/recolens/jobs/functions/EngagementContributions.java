package io.recolens.jobs.functions;

import io.recolens.jobs.config.CardinalityLimits;
import io.recolens.model.EngagementRow;
import io.recolens.model.LineageRow;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.util.Collector;

/** Turns one attributed impression into one engagement contribution per experiment it ran in. */
public class EngagementContributions extends RichFlatMapFunction<LineageRow, EngagementRow> {
    private static final long serialVersionUID = 1L;

    private final long windowMs;
    private final CardinalityLimits limits;
    private transient CardinalityLimiter limiter;

    public EngagementContributions(long windowMs, CardinalityLimits limits) {
        this.windowMs = windowMs;
        this.limits = limits;
    }

    @Override
    public void open(OpenContext openContext) {
        limiter = new CardinalityLimiter(limits);
    }

    @Override
    public void flatMap(LineageRow row, Collector<EngagementRow> out) {
        long windowStart = Math.floorDiv(row.servedAt, windowMs) * windowMs;
        String surface = limiter.surface(row.surface);
        String segment = limiter.segment(row.segment);
        long clicks = row.clicks.size();
        for (Map.Entry<String, String> e : row.experiments.entrySet()) {
            EngagementRow c = new EngagementRow();
            c.windowStart = windowStart;
            c.windowEnd = windowStart + windowMs;
            c.experiment = limiter.experiment(e.getKey());
            c.variant = limiter.variant(c.experiment, e.getValue());
            c.surface = surface;
            c.segment = segment;
            c.impressions = 1;
            c.itemImpressions = row.items.size();
            c.clicks = clicks;
            c.clickedImpressions = clicks > 0 ? 1 : 0;
            out.collect(c);
        }
    }
}
