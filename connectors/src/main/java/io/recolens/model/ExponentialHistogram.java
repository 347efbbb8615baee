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
 * <p>Mutable and Flink-POJO shaped (public no-arg constructor, one public field). The buckets are kept packed in
 * {@link #packed}, because closed traces keep one histogram per window, service and operation in state and most
 * hold one to three buckets: per bucket, the index as a varint (zigzag for the first, then the gap to the previous
 * index) and the count as a varint, ascending by index. A one-bucket histogram is then 3 to 5 bytes (plus the
 * array length) where two arrays would take about 25.
 */
public class ExponentialHistogram {

    /** The fixed scale: 2^7 = 128 buckets per doubling. Never changes for a table (property {@value #TABLE_PROPERTY}). */
    public static final int SCALE = 7;

    /** Table property recording the scheme, checked like the fixed bucket bounds. */
    public static final String TABLE_PROPERTY = "recolens.latency.exp-histogram";

    /** The property's value: scheme, scale, unit of the values, bucket bounds, error bound of a percentile. */
    public static final String PROPERTY_VALUE = "base2-exponential;scale=" + SCALE + ";unit=us;bucket=(b^i,b^(i+1)];max-relative-error=0.00543";

    /** Upper bound of the relative error of a reported percentile: 2^(2^-7) - 1. */
    public static final double MAX_RELATIVE_ERROR = 0.005429901112802726;

    private static final double BUCKETS_PER_DOUBLING = 1 << SCALE;
    private static final byte[] EMPTY = new byte[0];

    /** The non-empty buckets, packed as described above; never null. Public for Flink's POJO serializer only. */
    public byte[] packed = EMPTY;

    /**
     * Buckets merged by {@link #mergeDeferred} and not yet packed (null when none): a combiner folds thousands of
     * one-bucket histograms into one accumulator, and re-packing it each time cost O(its buckets) per merge (a
     * tenth of the batch job's CPU). Transient, so Flink never serializes it: whoever holds an accumulator
     * {@link #seal}s it before the row leaves (emitted or written to state); every reader here seals first.
     */
    private transient int[] pendingIndexes;
    private transient long[] pendingCounts;
    private transient int pendingSize;

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
        seal();
        set(Buckets.merge(buckets(), new Buckets(new int[] {index}, new long[] {count})));
    }

    /** Adds every bucket of {@code other} (null adds nothing): the element-wise SUM of the SQL files. */
    public void merge(ExponentialHistogram other) {
        if (other == null) {
            return;
        }
        seal();
        other.seal();
        if (other.packed.length == 0) {
            return;
        }
        if (packed.length == 0) {
            packed = other.packed.clone();
            return;
        }
        set(Buckets.merge(buckets(), other.buckets()));
    }

    /**
     * Like {@link #merge}, but keeps the sum unpacked until {@link #seal}: each call costs O(buckets of
     * {@code other} × log(buckets held)), not O(buckets held).
     */
    public void mergeDeferred(ExponentialHistogram other) {
        if (other == null) {
            return;
        }
        Buckets add = other.buckets();
        if (add.indexes().length == 0) {
            return;
        }
        if (pendingIndexes == null) {
            Buckets mine = Buckets.decode(packed);
            pendingSize = mine.indexes().length;
            int capacity = Math.max(8, 2 * (pendingSize + add.indexes().length));
            pendingIndexes = Arrays.copyOf(mine.indexes(), capacity);
            pendingCounts = Arrays.copyOf(mine.counts(), capacity);
        }
        for (int k = 0; k < add.indexes().length; k++) {
            int at = Arrays.binarySearch(pendingIndexes, 0, pendingSize, add.indexes()[k]);
            if (at >= 0) {
                pendingCounts[at] += add.counts()[k];
                continue;
            }
            at = -at - 1;
            if (pendingSize == pendingIndexes.length) {
                pendingIndexes = Arrays.copyOf(pendingIndexes, 2 * pendingSize);
                pendingCounts = Arrays.copyOf(pendingCounts, 2 * pendingSize);
            }
            System.arraycopy(pendingIndexes, at, pendingIndexes, at + 1, pendingSize - at);
            System.arraycopy(pendingCounts, at, pendingCounts, at + 1, pendingSize - at);
            pendingIndexes[at] = add.indexes()[k];
            pendingCounts[at] = add.counts()[k];
            pendingSize++;
        }
    }

    /** Packs what {@link #mergeDeferred} summed into {@link #packed}; nothing to do when nothing is pending. */
    public void seal() {
        if (pendingIndexes == null) {
            return;
        }
        set(new Buckets(Arrays.copyOf(pendingIndexes, pendingSize), Arrays.copyOf(pendingCounts, pendingSize)));
        pendingIndexes = null;
        pendingCounts = null;
        pendingSize = 0;
    }

    /** A deep copy. */
    public ExponentialHistogram copy() {
        seal();
        ExponentialHistogram h = new ExponentialHistogram();
        h.packed = packed.clone();
        return h;
    }

    /** The non-empty buckets, decoded: indexes ascending, counts parallel. */
    public Buckets buckets() {
        seal();
        return Buckets.decode(packed);
    }

    /** Sorted indexes of the non-empty buckets (a fresh array). */
    public int[] indexes() {
        return buckets().indexes();
    }

    /** Counts parallel to {@link #indexes()} (a fresh array). */
    public long[] counts() {
        return buckets().counts();
    }

    /** Total count. */
    public long total() {
        long t = 0;
        for (long c : counts()) {
            t += c;
        }
        return t;
    }

    /** Number of non-empty buckets. */
    public int size() {
        return buckets().indexes().length;
    }

    /** index → count, sorted; the table column's value. */
    public Map<Integer, Long> toMap() {
        Buckets b = buckets();
        Map<Integer, Long> m = new TreeMap<>();
        for (int k = 0; k < b.indexes().length; k++) {
            m.put(b.indexes()[k], b.counts()[k]);
        }
        return m;
    }

    private void set(Buckets b) {
        packed = b.encode();
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
        Buckets b = buckets();
        long total = 0;
        for (long c : b.counts()) {
            total += c;
        }
        if (total == 0) {
            return Double.NaN;
        }
        long rank = Math.max(1L, (long) Math.ceil(q * total - 1e-9));
        long seen = 0;
        for (int k = 0; k < b.counts().length; k++) {
            seen += b.counts()[k];
            if (seen >= rank) {
                return upperBoundMillis(b.indexes()[k]);
            }
        }
        return upperBoundMillis(b.indexes()[b.indexes().length - 1]);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ExponentialHistogram h)) {
            return false;
        }
        seal();
        h.seal();
        return Arrays.equals(packed, h.packed);
    }

    @Override
    public int hashCode() {
        seal();
        return Arrays.hashCode(packed);
    }

    @Override
    public String toString() {
        return "ExponentialHistogram" + toMap();
    }

    /** Decoded buckets: indexes ascending and unique, counts parallel and positive. */
    public record Buckets(int[] indexes, long[] counts) {

        static Buckets decode(byte[] packed) {
            int n = 0;
            for (byte b : packed) {
                if (b >= 0) n++; // a varint ends at a byte without the continuation bit; two varints per bucket
            }
            int[] indexes = new int[n / 2];
            long[] counts = new long[n / 2];
            int[] pos = {0};
            int previous = 0;
            for (int k = 0; k < indexes.length; k++) {
                long v = readVarint(packed, pos);
                int index = k == 0 ? (int) ((v >>> 1) ^ -(v & 1)) : previous + (int) v;
                indexes[k] = index;
                counts[k] = readVarint(packed, pos);
                previous = index;
            }
            return new Buckets(indexes, counts);
        }

        byte[] encode() {
            byte[] out = new byte[indexes.length * 15];
            int at = 0;
            for (int k = 0; k < indexes.length; k++) {
                long v = k == 0 ? ((long) indexes[0] << 1) ^ ((long) indexes[0] >> 63) : (long) indexes[k] - indexes[k - 1];
                at = writeVarint(out, at, v & 0xFFFFFFFFL);
                at = writeVarint(out, at, counts[k]);
            }
            return Arrays.copyOf(out, at);
        }

        static Buckets merge(Buckets a, Buckets b) {
            int[] idx = new int[a.indexes.length + b.indexes.length];
            long[] cnt = new long[idx.length];
            int i = 0;
            int j = 0;
            int n = 0;
            while (i < a.indexes.length || j < b.indexes.length) {
                if (j == b.indexes.length || (i < a.indexes.length && a.indexes[i] < b.indexes[j])) {
                    idx[n] = a.indexes[i];
                    cnt[n++] = a.counts[i++];
                } else if (i == a.indexes.length || b.indexes[j] < a.indexes[i]) {
                    idx[n] = b.indexes[j];
                    cnt[n++] = b.counts[j++];
                } else {
                    idx[n] = a.indexes[i];
                    cnt[n++] = a.counts[i++] + b.counts[j++];
                }
            }
            return new Buckets(Arrays.copyOf(idx, n), Arrays.copyOf(cnt, n));
        }

        private static int writeVarint(byte[] out, int at, long v) {
            while ((v & ~0x7FL) != 0) {
                out[at++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            out[at++] = (byte) v;
            return at;
        }

        private static long readVarint(byte[] in, int[] pos) {
            long v = 0;
            int shift = 0;
            while (true) {
                byte b = in[pos[0]++];
                v |= (long) (b & 0x7F) << shift;
                if (b >= 0) return v;
                shift += 7;
            }
        }
    }
}
