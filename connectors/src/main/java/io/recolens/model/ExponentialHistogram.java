package io.recolens.model;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A sparse base-2 exponential latency histogram at fixed scale {@value #SCALE}, the column
 * {@code variant_side_effects.latency_exp_histogram}: counts keyed by bucket index, merged by summing counts of
 * equal indexes (in SQL: explode the map, GROUP BY the index, SUM).
 *
 * <p>Scheme (the OpenTelemetry exponential histogram's, values in microseconds): with base
 * {@code b = 2^(2^-SCALE)}, bucket {@code i} counts durations {@code d} with {@code b^i < d <= b^(i+1)}, so
 * {@code i = ceil(log2(d) * 2^SCALE) - 1}. Durations under 1 microsecond (0 included) count in the bucket of 1
 * microsecond (index -1). A percentile is reported as the upper bound of the bucket holding the nearest-rank
 * value, so it is never below the exact value and at most {@code b - 1} = {@value #MAX_RELATIVE_ERROR} above it.
 * Scale 7 is the smallest scale whose bound is under 1%; scale 6 would give 1.09%.
 *
 * <p>Mutable and Flink-POJO shaped (public no-arg constructor, public fields): {@code indexes} sorted ascending
 * and {@code counts} parallel to it, both exactly as long as the number of non-empty buckets.
 */
public class ExponentialHistogram {

    /** The fixed scale: 2^7 = 128 buckets per doubling. Never changes for a table (property {@value #TABLE_PROPERTY}). */
    public static final int SCALE = 7;

    /** Table property recording the scheme, checked like the fixed bucket bounds. */
    public static final String TABLE_PROPERTY = "recolens.latency.exp-histogram";

    /** The property's value: scheme, scale, unit of the values. */
    public static final String PROPERTY_VALUE = "base2-exponential;scale=" + SCALE + ";unit=us;bucket=(b^i,b^(i+1)]";

    /** Upper bound of the relative error of a reported percentile: 2^(2^-7) - 1. */
    public static final double MAX_RELATIVE_ERROR = 0.005429901112802726;

    private static final double BUCKETS_PER_DOUBLING = 1 << SCALE;

    /** Sorted bucket indexes of the non-empty buckets. */
    public int[] indexes = new int[0];
    /** Counts parallel to {@link #indexes}, each positive. */
    public long[] counts = new long[0];

    public ExponentialHistogram() {}

    /** The bucket index of a duration in microseconds. */
    public static int indexOf(long durationMicros) {
        if (durationMicros <= 1) {
            return -1;
        }
        double log = Math.log(durationMicros) / Math.log(2) * BUCKETS_PER_DOUBLING;
        int i = (int) Math.ceil(log) - 1;
        // Math.log is not exact: correct by one where the double landed on the wrong side of a bound.
        if (durationMicros <= lowerBoundMicros(i)) {
            i--;
        } else if (durationMicros > lowerBoundMicros(i + 1)) {
            i++;
        }
        return i;
    }

    /** Lower (exclusive) bound of bucket {@code index} in microseconds: b^index. */
    public static double lowerBoundMicros(int index) {
        return Math.pow(2.0, index / BUCKETS_PER_DOUBLING);
    }

    /** Upper (inclusive) bound of bucket {@code index} in milliseconds: b^(index+1) / 1000, as the SQL files compute it. */
    public static double upperBoundMillis(int index) {
        return Math.pow(2.0, (index + 1) / BUCKETS_PER_DOUBLING) / 1000.0;
    }

    /** Counts one duration. */
    public void add(long durationMicros) {
        add(indexOf(durationMicros), 1);
    }

    /** Adds {@code count} to bucket {@code index}. */
    public void add(int index, long count) {
        if (count == 0) {
            return;
        }
        int at = Arrays.binarySearch(indexes, index);
        if (at >= 0) {
            counts[at] += count;
            return;
        }
        int insert = -at - 1;
        int[] newIndexes = new int[indexes.length + 1];
        long[] newCounts = new long[counts.length + 1];
        System.arraycopy(indexes, 0, newIndexes, 0, insert);
        System.arraycopy(counts, 0, newCounts, 0, insert);
        newIndexes[insert] = index;
        newCounts[insert] = count;
        System.arraycopy(indexes, insert, newIndexes, insert + 1, indexes.length - insert);
        System.arraycopy(counts, insert, newCounts, insert + 1, counts.length - insert);
        indexes = newIndexes;
        counts = newCounts;
    }

    /** Adds every bucket of {@code other} (null adds nothing): the element-wise SUM of the SQL files. */
    public void merge(ExponentialHistogram other) {
        if (other == null) {
            return;
        }
        if (indexes.length == 0) {
            indexes = other.indexes.clone();
            counts = other.counts.clone();
            return;
        }
        for (int k = 0; k < other.indexes.length; k++) {
            add(other.indexes[k], other.counts[k]);
        }
    }

    /** A deep copy. */
    public ExponentialHistogram copy() {
        ExponentialHistogram h = new ExponentialHistogram();
        h.indexes = indexes.clone();
        h.counts = counts.clone();
        return h;
    }

    /** Total count. */
    public long total() {
        long t = 0;
        for (long c : counts) {
            t += c;
        }
        return t;
    }

    /** Number of non-empty buckets. */
    public int size() {
        return indexes.length;
    }

    /** index → count, sorted; the table column's value. */
    public Map<Integer, Long> toMap() {
        Map<Integer, Long> m = new TreeMap<>();
        for (int k = 0; k < indexes.length; k++) {
            m.put(indexes[k], counts[k]);
        }
        return m;
    }

    /** A histogram from a column value (index → count); null or empty gives an empty histogram. */
    public static ExponentialHistogram fromMap(Map<?, ?> column) {
        ExponentialHistogram h = new ExponentialHistogram();
        if (column != null) {
            for (Map.Entry<?, ?> e : column.entrySet()) {
                if (e.getKey() != null && e.getValue() != null) {
                    h.add(((Number) e.getKey()).intValue(), ((Number) e.getValue()).longValue());
                }
            }
        }
        return h;
    }

    /**
     * The q-quantile in milliseconds: the upper bound of the bucket holding the value of rank
     * {@code max(1, ceil(q * total))} (nearest rank, as the fixed-bucket histogram and the SQL files define it).
     *
     * @return NaN for an empty histogram
     */
    public double percentileMillis(double q) {
        if (!(q >= 0.0 && q <= 1.0)) {
            throw new IllegalArgumentException("quantile must be in [0, 1], got " + q);
        }
        long total = total();
        if (total == 0) {
            return Double.NaN;
        }
        long rank = Math.max(1L, (long) Math.ceil(q * total - 1e-9));
        long seen = 0;
        for (int k = 0; k < indexes.length; k++) {
            seen += counts[k];
            if (seen >= rank) {
                return upperBoundMillis(indexes[k]);
            }
        }
        return upperBoundMillis(indexes[indexes.length - 1]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExponentialHistogram h && Arrays.equals(indexes, h.indexes) && Arrays.equals(counts, h.counts);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(indexes) + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "ExponentialHistogram" + toMap();
    }
}
