package io.recolens.connectors.iceberg;

import java.util.Arrays;
import java.util.StringJoiner;

/**
 * The fixed latency buckets of {@code variant_side_effects.latency_histogram}: upper bounds in
 * milliseconds 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 30000 and an
 * overflow bucket.
 *
 * <p>Bucket {@code i} counts durations {@code d} with {@code bound[i-1] < d <= bound[i]} (upper
 * bound inclusive, like Prometheus' {@code le}); durations of 0 or less land in bucket 0. The bounds
 * never change for an existing table: histograms written with other bounds cannot be summed, which
 * is why the table property {@value #TABLE_PROPERTY} records them and {@link TableBootstrap} refuses
 * a table whose property differs.
 */
public final class LatencyBuckets {

    /** Table property holding the bounds in milliseconds, comma separated, last one {@code Infinity}. */
    public static final String TABLE_PROPERTY = "recolens.latency.bucket-bounds-ms";

    /** Finite upper bounds in microseconds; integer micros because 0.5 ms is the smallest bound. */
    private static final long[] BOUNDS_MICROS = {
        500L, 1_000L, 2_000L, 5_000L, 10_000L, 20_000L, 50_000L, 100_000L, 200_000L, 500_000L,
        1_000_000L, 2_000_000L, 5_000_000L, 10_000_000L, 30_000_000L
    };

    /** Number of buckets, the overflow bucket included: the length of every histogram. */
    public static final int BUCKET_COUNT = BOUNDS_MICROS.length + 1;

    /** Index of the overflow bucket (durations above 30 s). */
    public static final int OVERFLOW_BUCKET = BOUNDS_MICROS.length;

    private LatencyBuckets() {}

    /**
     * Upper bounds in microseconds, one per bucket; the overflow bucket's is {@link Long#MAX_VALUE}.
     * A fresh copy, so callers cannot change the shared bounds.
     */
    public static long[] bounds() {
        long[] copy = Arrays.copyOf(BOUNDS_MICROS, BUCKET_COUNT);
        copy[OVERFLOW_BUCKET] = Long.MAX_VALUE;
        return copy;
    }

    /** Upper bound of one bucket in milliseconds; {@link Double#POSITIVE_INFINITY} for the overflow bucket. */
    public static double upperBoundMillis(int bucket) {
        if (bucket < 0 || bucket >= BUCKET_COUNT) {
            throw new IndexOutOfBoundsException("bucket " + bucket + " outside 0.." + OVERFLOW_BUCKET);
        }
        return bucket == OVERFLOW_BUCKET ? Double.POSITIVE_INFINITY : BOUNDS_MICROS[bucket] / 1000.0;
    }

    /** The bucket a span duration falls in. Binary search over 15 bounds: at most 4 comparisons, no allocation. */
    public static int bucketOf(long durationMicros) {
        int lo = 0;
        int hi = BOUNDS_MICROS.length;
        // Invariant: the answer is in [lo, hi]; hi == length means overflow.
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (durationMicros <= BOUNDS_MICROS[mid]) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** A new, empty histogram of {@link #BUCKET_COUNT} counts. */
    public static long[] newHistogram() {
        return new long[BUCKET_COUNT];
    }

    /**
     * The q-quantile of a histogram, as the upper bound (ms) of the bucket holding it.
     *
     * <p>The upper bound is reported, not an interpolated value, because it is the only honest
     * statement a bucketed histogram supports ("at least q of the spans took at most this long"),
     * and Trino and Spark users can compute exactly the same number in SQL from the summed
     * histogram. The quantile's rank is {@code ceil(q * total)} (at least 1), so q = 0 gives the first
     * non-empty bucket and q = 1 the last one.
     *
     * @param counts a histogram of {@link #BUCKET_COUNT} counts
     * @param q a quantile in [0, 1], e.g. 0.99
     * @return the bound in milliseconds; {@link Double#POSITIVE_INFINITY} when the quantile is in the
     *     overflow bucket (more than 30 s); {@link Double#NaN} for an empty histogram
     */
    public static double percentile(long[] counts, double q) {
        if (counts == null || counts.length != BUCKET_COUNT) {
            throw new IllegalArgumentException("a latency histogram has " + BUCKET_COUNT + " buckets, got "
                    + (counts == null ? "null" : counts.length));
        }
        if (!(q >= 0.0 && q <= 1.0)) {
            throw new IllegalArgumentException("quantile must be in [0, 1], got " + q);
        }
        long total = 0;
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("negative bucket count " + c);
            }
            total += c;
        }
        if (total == 0) {
            return Double.NaN;
        }
        // The epsilon keeps binary rounding (0.07 * 100 = 7.000000000000001) from moving the rank up a bucket.
        long rank = Math.max(1L, (long) Math.ceil(q * total - 1e-9));
        long seen = 0;
        for (int i = 0; i < BUCKET_COUNT; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return upperBoundMillis(i);
            }
        }
        // Unreachable: rank <= total == seen after the loop.
        return upperBoundMillis(OVERFLOW_BUCKET);
    }

    /** The bounds as the table property writes them: milliseconds, comma separated, ending in {@code Infinity}. */
    public static String propertyValue() {
        StringJoiner joiner = new StringJoiner(",");
        for (int i = 0; i < BUCKET_COUNT; i++) {
            double ms = upperBoundMillis(i);
            if (Double.isInfinite(ms)) {
                joiner.add("Infinity");
            } else if (ms == Math.rint(ms)) {
                joiner.add(Long.toString((long) ms));
            } else {
                joiner.add(Double.toString(ms));
            }
        }
        return joiner.toString();
    }
}
