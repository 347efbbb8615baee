package io.recolens.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExponentialHistogramTest {

    @Test
    void theStatedBoundIsTwoToTheMinusScaleMinusOneAndUnderOnePercent() {
        assertThat(ExponentialHistogram.MAX_RELATIVE_ERROR).isEqualTo(Math.pow(2, Math.pow(2, -ExponentialHistogram.SCALE)) - 1);
        assertThat(ExponentialHistogram.MAX_RELATIVE_ERROR).isLessThan(0.01);
    }

    @Test
    void everyDurationLandsInsideItsBucket() {
        Random random = new Random(1);
        for (int n = 0; n < 200_000; n++) {
            long micros = n < 5000 ? n + 2 : (long) Math.exp(random.nextDouble() * 30);
            if (micros < 2) continue;
            int i = ExponentialHistogram.indexOf(micros);
            assertThat((double) micros).as("%d us in bucket %d", micros, i)
                    .isGreaterThan(ExponentialHistogram.lowerBoundMicros(i))
                    .isLessThanOrEqualTo(ExponentialHistogram.lowerBoundMicros(i + 1));
        }
        // Exact powers of two sit on a bucket's upper bound: 2 us is (2^(127/128), 2].
        assertThat(ExponentialHistogram.indexOf(2)).isEqualTo(127);
        assertThat(ExponentialHistogram.indexOf(1024)).isEqualTo(10 * 128 - 1);
        assertThat(ExponentialHistogram.indexOf(1025)).isEqualTo(10 * 128);
        assertThat(ExponentialHistogram.indexOf(1)).isEqualTo(-1);
        assertThat(ExponentialHistogram.indexOf(0)).isEqualTo(-1);
        assertThat(ExponentialHistogram.indexOf(-7)).isEqualTo(-1);
    }

    @Test
    void percentilesAreNeverBelowAndAtMostTheBoundAboveTheExactNearestRankValue() {
        Random random = new Random(42);
        long[] values = new long[100_000];
        ExponentialHistogram h = new ExponentialHistogram();
        for (int n = 0; n < values.length; n++) {
            // A lognormal body around 10 ms with a slow tail: the shape of service latencies.
            double ms = Math.exp(Math.log(10) + 0.6 * random.nextGaussian()) + (random.nextDouble() < 0.03 ? 200 * random.nextDouble() : 0);
            values[n] = Math.max(1, Math.round(ms * 1000));
            h.add(values[n]);
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        for (double q : new double[] {0.01, 0.5, 0.9, 0.95, 0.99, 0.999, 1.0}) {
            long rank = Math.max(1, (long) Math.ceil(q * sorted.length - 1e-9));
            double exactMs = sorted[(int) rank - 1] / 1000.0;
            double got = h.percentileMillis(q);
            assertThat(got).as("q=%s", q).isGreaterThanOrEqualTo(exactMs);
            assertThat(got / exactMs - 1).as("relative error at q=%s", q).isLessThanOrEqualTo(ExponentialHistogram.MAX_RELATIVE_ERROR + 1e-12);
        }
        assertThat(h.size()).as("sparse: far fewer buckets than values").isLessThan(2000);
    }

    @Test
    void mergingInAnyOrderEqualsCountingEverything() {
        Random random = new Random(3);
        ExponentialHistogram all = new ExponentialHistogram();
        ExponentialHistogram[] parts = new ExponentialHistogram[7];
        for (int p = 0; p < parts.length; p++) parts[p] = new ExponentialHistogram();
        for (int n = 0; n < 20_000; n++) {
            long v = 1 + (long) (random.nextDouble() * random.nextDouble() * 5_000_000);
            all.add(v);
            parts[random.nextInt(parts.length)].add(v);
        }
        ExponentialHistogram forward = new ExponentialHistogram();
        for (ExponentialHistogram p : parts) forward.merge(p);
        ExponentialHistogram backward = new ExponentialHistogram();
        for (int p = parts.length - 1; p >= 0; p--) backward.merge(parts[p].copy());
        backward.merge(null);
        assertThat(forward).isEqualTo(all);
        assertThat(backward).isEqualTo(all);
        assertThat(ExponentialHistogram.fromMap(all.toMap())).isEqualTo(all);
        assertThat(all.total()).isEqualTo(20_000);
        int[] idx = all.indexes();
        for (int k = 1; k < idx.length; k++) assertThat(idx[k]).isGreaterThan(idx[k - 1]);
    }

    @Test
    void deferredMergingEqualsImmediateMergingOnceSealed() {
        Random random = new Random(11);
        ExponentialHistogram immediate = new ExponentialHistogram();
        ExponentialHistogram deferred = new ExponentialHistogram();
        immediate.add(500);
        deferred.add(500);
        for (int i = 0; i < 5_000; i++) {
            ExponentialHistogram part = new ExponentialHistogram();
            for (int k = random.nextInt(3); k >= 0; k--) part.add((long) Math.exp(random.nextDouble() * 18));
            immediate.merge(part);
            deferred.mergeDeferred(part);
        }
        byte[] before = deferred.packed.clone();
        deferred.seal();
        assertThat(deferred.packed).isEqualTo(immediate.packed).isNotEqualTo(before);
        deferred.seal();
        assertThat(deferred.packed).isEqualTo(immediate.packed);
        // Every reader seals first, so a held accumulator never shows a stale sum.
        ExponentialHistogram held = new ExponentialHistogram();
        held.mergeDeferred(immediate);
        assertThat(held.toMap()).isEqualTo(immediate.toMap());
        held.mergeDeferred(immediate);
        assertThat(held.total()).isEqualTo(2 * immediate.total());
        assertThat(held).isEqualTo(merged(immediate, immediate));
    }

    private static ExponentialHistogram merged(ExponentialHistogram a, ExponentialHistogram b) {
        ExponentialHistogram h = a.copy();
        h.merge(b);
        return h;
    }

    @Test
    void thePackedFormRoundTripsNegativeIndexesAndLargeCounts() {
        ExponentialHistogram h = new ExponentialHistogram();
        h.add(-1, 3);
        h.add(5000, Long.MAX_VALUE / 4);
        h.add(1700, 1);
        h.add(1700, 2);
        assertThat(h.toMap()).containsExactly(java.util.Map.entry(-1, 3L), java.util.Map.entry(1700, 3L),
                java.util.Map.entry(5000, Long.MAX_VALUE / 4));
        ExponentialHistogram one = new ExponentialHistogram();
        one.add(12_000);
        // One bucket: two bytes of index (zigzag varint) and one of count.
        assertThat(one.packed).hasSize(3);
    }

    @Test
    void emptyHistogramHasNoPercentileAndBadQuantilesAreRefused() {
        assertThat(new ExponentialHistogram().percentileMillis(0.5)).isNaN();
        assertThatThrownBy(() -> new ExponentialHistogram().percentileMillis(1.5)).hasMessageContaining("[0, 1]");
        ExponentialHistogram one = new ExponentialHistogram();
        one.add(20_000);
        assertThat(one.percentileMillis(0.0)).isEqualTo(one.percentileMillis(1.0)).isBetween(20.0, 20.0 * 1.0055);
    }
}
