package io.recolens.jobs.functions;

import io.recolens.model.CompletenessRow;
import io.recolens.model.FeatureRef;
import io.recolens.model.LineageRow;
import java.util.Map;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** Turns one lineage row, provenance joined, into one completeness contribution per experiment it ran in. */
public class CompletenessContributions implements FlatMapFunction<LineageRow, CompletenessRow> {
    private static final long serialVersionUID = 1L;
    private static final long DAY_MS = 86_400_000L;

    /** Width of the flush bucket: a divisor of a day, so a bucket never spans two days. */
    private final long bucketMs;
    private final long staleAfterMs;

    public CompletenessContributions(long bucketMs, long staleAfterMs) {
        this.bucketMs = bucketMs;
        this.staleAfterMs = staleAfterMs;
    }

    @Override
    public void flatMap(LineageRow row, Collector<CompletenessRow> out) {
        long withAncestry = 0;
        long stale = 0;
        for (FeatureRef f : row.features) {
            if (f.hasAncestry()) {
                withAncestry++;
                if (f.producedAt != null && row.servedAt - f.producedAt > staleAfterMs) stale++;
            }
        }
        boolean complete = withAncestry == row.features.size();
        for (Map.Entry<String, String> e : row.experiments.entrySet()) {
            CompletenessRow c = new CompletenessRow();
            c.day = (int) Math.floorDiv(row.servedAt, DAY_MS);
            c.bucketStart = Math.floorDiv(row.servedAt, bucketMs) * bucketMs;
            c.experiment = CardinalityLimiter.cut(e.getKey());
            c.variant = CardinalityLimiter.cut(e.getValue());
            c.impressions = 1;
            c.completeImpressions = complete ? 1 : 0;
            c.features = row.features.size();
            c.featuresWithAncestry = withAncestry;
            c.staleFeatures = stale;
            out.collect(c);
        }
    }

    /** {@code lineage_completeness}: bucket × experiment × variant, flushed after the bucket's rows have all passed join 3. */
    public static final class Sums implements Additive<CompletenessRow> {
        private static final long serialVersionUID = 1L;
        private static final char SEP = '\u0000';
        private final long bucketMs;
        private final long flushDelayMs;

        public Sums(long bucketMs, long flushDelayMs) {
            this.bucketMs = bucketMs;
            this.flushDelayMs = flushDelayMs;
        }

        @Override
        public String getKey(CompletenessRow r) {
            return String.valueOf(r.bucketStart) + SEP + r.experiment + SEP + r.variant;
        }

        @Override
        public long flushAt(CompletenessRow r) {
            return r.bucketStart + bucketMs + flushDelayMs;
        }

        @Override
        public void addInto(CompletenessRow into, CompletenessRow o) {
            into.impressions += o.impressions;
            into.completeImpressions += o.completeImpressions;
            into.features += o.features;
            into.featuresWithAncestry += o.featuresWithAncestry;
            into.staleFeatures += o.staleFeatures;
        }
    }
}
