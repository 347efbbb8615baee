package io.recolens.jobs.functions;

import io.recolens.model.EngagementRow;
import io.recolens.model.SideEffectRow;
import io.recolens.model.UnitDailyRow;

/** The {@link Additive} definitions of the three aggregate tables. */
public final class Aggregates {
    private Aggregates() {}

    private static final char SEP = '\u0000';

    /** variant_engagement: window × experiment × variant × surface × segment. */
    public static final class Engagement implements Additive<EngagementRow> {
        private static final long serialVersionUID = 1L;
        private final long flushDelayMs;

        /** @param flushDelayMs how long after a window ends its impressions are still arriving (trace gap + attribution window). */
        public Engagement(long flushDelayMs) {
            this.flushDelayMs = flushDelayMs;
        }

        @Override
        public String getKey(EngagementRow r) {
            return String.valueOf(r.windowStart) + SEP + r.experiment + SEP + r.variant + SEP + r.surface + SEP + r.segment;
        }

        @Override
        public long flushAt(EngagementRow r) {
            return r.windowEnd + flushDelayMs;
        }

        @Override
        public void addInto(EngagementRow into, EngagementRow o) {
            into.impressions += o.impressions;
            into.itemImpressions += o.itemImpressions;
            into.clicks += o.clicks;
            into.clickedImpressions += o.clickedImpressions;
        }
    }

    /**
     * experiment_unit_daily: day × experiment × variant × unit. Partial sums are flushed per bucket (a day in
     * batch, {@code unit-daily.flush-interval} in streaming; the bucket is part of the key, not of the row), so
     * no streaming operator holds a whole day per unit.
     */
    public static final class UnitDaily implements Additive<UnitDailyRow> {
        private static final long serialVersionUID = 1L;
        private final long windowMs;
        private final long flushDelayMs;

        public UnitDaily(long windowMs, long flushDelayMs) {
            this.windowMs = windowMs;
            this.flushDelayMs = flushDelayMs;
        }

        @Override
        public String getKey(UnitDailyRow r) {
            return String.valueOf(r.bucketStart) + SEP + r.experiment + SEP + r.variant + SEP + r.unitKey;
        }

        @Override
        public long flushAt(UnitDailyRow r) {
            return r.bucketStart + windowMs + flushDelayMs;
        }

        @Override
        public void addInto(UnitDailyRow into, UnitDailyRow o) {
            into.impressions += o.impressions;
            into.itemImpressions += o.itemImpressions;
            into.clicks += o.clicks;
            into.clickedImpressions += o.clickedImpressions;
        }
    }

    /** variant_side_effects: window × experiment × variant × service × operation. */
    public static final class SideEffects implements Additive<SideEffectRow> {
        private static final long serialVersionUID = 1L;
        private final long flushDelayMs;

        public SideEffects(long flushDelayMs) {
            this.flushDelayMs = flushDelayMs;
        }

        @Override
        public String getKey(SideEffectRow r) {
            return String.valueOf(r.windowStart) + SEP + r.experiment + SEP + r.variant + SEP + r.service + SEP + r.operation;
        }

        @Override
        public long flushAt(SideEffectRow r) {
            return r.windowEnd + flushDelayMs;
        }

        @Override
        public void addInto(SideEffectRow into, SideEffectRow o) {
            io.recolens.jobs.functions.SideEffects.mergeDeferred(into, o);
        }

        @Override
        public void seal(SideEffectRow row) {
            if (row.latencyExpHistogram != null) row.latencyExpHistogram.seal();
        }
    }
}
