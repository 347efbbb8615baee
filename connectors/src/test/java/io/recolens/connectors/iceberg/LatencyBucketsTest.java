package io.recolens.connectors.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Bucket edges, percentile semantics and agreement with the table property. */
class LatencyBucketsTest {

    @Test
    void upperBoundsAreInclusive() {
        assertThat(LatencyBuckets.bucketOf(0)).isZero();
        assertThat(LatencyBuckets.bucketOf(-5)).isZero();
        assertThat(LatencyBuckets.bucketOf(500)).isZero();
        assertThat(LatencyBuckets.bucketOf(501)).isEqualTo(1);
        assertThat(LatencyBuckets.bucketOf(1_000)).isEqualTo(1);
        assertThat(LatencyBuckets.bucketOf(1_001)).isEqualTo(2);
        assertThat(LatencyBuckets.bucketOf(30_000_000)).isEqualTo(14);
        assertThat(LatencyBuckets.bucketOf(30_000_001)).isEqualTo(LatencyBuckets.OVERFLOW_BUCKET);
        assertThat(LatencyBuckets.bucketOf(Long.MAX_VALUE)).isEqualTo(LatencyBuckets.OVERFLOW_BUCKET);
    }

    @Test
    void bucketOfAgreesWithALinearScanEverywhere() {
        long[] bounds = LatencyBuckets.bounds();
        for (long micros = -1; micros < 40_000_000L; micros += 997) {
            int expected = 0;
            while (micros > bounds[expected]) {
                expected++;
            }
            assertThat(LatencyBuckets.bucketOf(micros)).as("%d us", micros).isEqualTo(expected);
        }
    }

    @Test
    void boundsAreACopyWithOverflowLast() {
        long[] bounds = LatencyBuckets.bounds();
        assertThat(bounds).hasSize(16).startsWith(500L, 1_000L, 2_000L).endsWith(30_000_000L, Long.MAX_VALUE);
        bounds[0] = 7;
        assertThat(LatencyBuckets.bounds()[0]).isEqualTo(500L);
    }

    @Test
    void percentileIsTheUpperBoundOfTheBucketHoldingTheRank() {
        long[] h = LatencyBuckets.newHistogram();
        h[LatencyBuckets.bucketOf(800)] = 90;      // (0.5, 1] ms
        h[LatencyBuckets.bucketOf(150_000)] = 9;   // (100, 200] ms
        h[LatencyBuckets.bucketOf(40_000_000)] = 1; // overflow
        assertThat(LatencyBuckets.percentile(h, 0.0)).isEqualTo(1.0);
        assertThat(LatencyBuckets.percentile(h, 0.5)).isEqualTo(1.0);
        assertThat(LatencyBuckets.percentile(h, 0.9)).isEqualTo(1.0);
        assertThat(LatencyBuckets.percentile(h, 0.91)).isEqualTo(200.0);
        assertThat(LatencyBuckets.percentile(h, 0.99)).isEqualTo(200.0);
        assertThat(LatencyBuckets.percentile(h, 1.0)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(LatencyBuckets.percentile(LatencyBuckets.newHistogram(), 0.5)).isNaN();
    }

    @Test
    void binaryRoundingDoesNotMoveTheRankUpABucket() {
        long[] h = LatencyBuckets.newHistogram();
        h[LatencyBuckets.bucketOf(800)] = 7;       // ranks 1..7
        h[LatencyBuckets.bucketOf(150_000)] = 93;  // ranks 8..100
        // 0.07 * 100 is 7.000000000000001 in binary; the 7th value is still in the first bucket, as SQL computes it.
        assertThat(LatencyBuckets.percentile(h, 0.07)).isEqualTo(1.0);
    }

    @Test
    void percentileRejectsBadInput() {
        assertThatThrownBy(() -> LatencyBuckets.percentile(new long[3], 0.5)).hasMessageContaining("16 buckets");
        assertThatThrownBy(() -> LatencyBuckets.percentile(LatencyBuckets.newHistogram(), 1.5)).hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> LatencyBuckets.percentile(LatencyBuckets.newHistogram(), Double.NaN)).hasMessageContaining("[0, 1]");
    }

    @Test
    void tablePropertyEqualsTheConstants() {
        assertThat(LatencyBuckets.propertyValue()).isEqualTo("0.5,1,2,5,10,20,50,100,200,500,1000,2000,5000,10000,30000,Infinity");
        String property = TableDefinitions.load(TableDefinitions.VARIANT_SIDE_EFFECTS).properties().get(LatencyBuckets.TABLE_PROPERTY);
        assertThat(property).isEqualTo(LatencyBuckets.propertyValue());
        // Parsed back, as a SQL user would, the bounds are the class's bounds.
        String[] parts = property.split(",");
        assertThat(parts).hasSize(LatencyBuckets.BUCKET_COUNT);
        for (int i = 0; i < parts.length; i++) {
            assertThat(Double.parseDouble(parts[i])).isEqualTo(LatencyBuckets.upperBoundMillis(i));
        }
    }
}
