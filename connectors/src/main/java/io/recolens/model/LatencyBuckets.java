package io.recolens.model;

/**
 * The fixed latency buckets of {@code variant_side_effects.latency_histogram}. Fixed bounds make histograms
 * mergeable by element-wise sum across any rows, in any engine.
 */
public final class LatencyBuckets {
    private LatencyBuckets() {}

    /** Upper bounds in microseconds (inclusive); the last bucket holds everything above the last bound. */
    private static final long[] UPPER_MICROS = {
        500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000,
        1_000_000, 2_000_000, 5_000_000, 10_000_000, 30_000_000
    };

    /** Number of buckets, including the overflow bucket. */
    public static final int COUNT = UPPER_MICROS.length + 1;

    /** Index of the bucket holding a duration. */
    public static int bucketOf(long durationMicros) {
        int lo = 0;
        int hi = UPPER_MICROS.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (durationMicros <= UPPER_MICROS[mid]) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** Upper bound of a bucket in milliseconds; {@code +Infinity} for the overflow bucket. */
    public static double upperBoundMs(int bucket) {
        return bucket < UPPER_MICROS.length ? UPPER_MICROS[bucket] / 1000.0 : Double.POSITIVE_INFINITY;
    }

    /** The bounds as written in the table property {@code recolens.latency.bucket-bounds-ms}. */
    public static String boundsProperty() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < UPPER_MICROS.length; i++) {
            if (i > 0) sb.append(',');
            double ms = UPPER_MICROS[i] / 1000.0;
            sb.append(ms == Math.rint(ms) ? String.valueOf((long) ms) : String.valueOf(ms));
        }
        return sb.toString();
    }

    /**
     * The upper bound (ms) of the bucket holding the q-quantile: a conservative estimate, never below the true
     * value by more than one bucket. NaN when the histogram is empty.
     */
    public static double percentileMs(long[] counts, double q) {
        long total = 0;
        for (long c : counts) total += c;
        if (total == 0) return Double.NaN;
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) return upperBoundMs(i);
        }
        return upperBoundMs(counts.length - 1);
    }
}
