package io.recolens.stats.drift;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** How raw values become the named bins the drift measure compares. */
public final class Bins {
    /** Popularity tiers by rank of an item's count: top 1 %, 1–5 %, 5–20 %, 20–50 %, the rest. */
    static final double[] TIER_UPPER_RANKS = {0.01, 0.05, 0.20, 0.50};
    static final String[] TIER_NAMES = {"top_1pct", "top_1_5pct", "top_5_20pct", "top_20_50pct", "bottom_50pct"};

    private Bins() {}

    /**
     * Popularity tier of each item, ranking items by their count over baseline and window together: under no change
     * both ranges then expect the same mass in each tier (ranking by the baseline alone would put every item first
     * seen in the window into the bottom tier). Ties go to the better tier.
     */
    public static Map<String, String> popularityTiers(Map<String, Long> counts) {
        List<Map.Entry<String, Long>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        Map<String, String> tiers = new java.util.HashMap<>(sorted.size() * 2);
        int n = sorted.size();
        int tier = 0;
        long previous = -1;
        for (int rank = 0; rank < n; rank++) {
            long c = sorted.get(rank).getValue();
            while (tier < TIER_UPPER_RANKS.length && rank >= Math.ceil(TIER_UPPER_RANKS[tier] * n) && c != previous) {
                tier++;
            }
            tiers.put(sorted.get(rank).getKey(), TIER_NAMES[tier]);
            previous = c;
        }
        return tiers;
    }

    /** Decile edges of a sample (nine values, ascending); fewer when the sample has fewer distinct values. */
    public static double[] decileEdges(double[] sample) {
        if (sample.length == 0) return new double[0];
        double[] sorted = sample.clone();
        Arrays.sort(sorted);
        List<Double> edges = new ArrayList<>();
        for (int d = 1; d < 10; d++) {
            double edge = sorted[Math.min(sorted.length - 1, (int) Math.floor(d * sorted.length / 10.0))];
            if (edges.isEmpty() || edge > edges.get(edges.size() - 1)) edges.add(edge);
        }
        return edges.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The bin of a score between decile edges: {@code d0} (below the first edge) to {@code d9}, with the edge range. */
    public static String scoreBin(double score, double[] edges) {
        int i = 0;
        while (i < edges.length && score >= edges[i]) i++;
        String low = i == 0 ? "-inf" : String.format(java.util.Locale.ROOT, "%.4f", edges[i - 1]);
        String high = i == edges.length ? "+inf" : String.format(java.util.Locale.ROOT, "%.4f", edges[i]);
        return "d" + i + " [" + low + "," + high + ")";
    }

    /**
     * The latency bin of a base-2 exponential histogram index at scale 7, coarsened to scale 1 (each bin spans a
     * factor of sqrt 2): 2^6 fine buckets per coarse one. Named by its bounds in milliseconds.
     */
    public static String latencyBin(int scale7Index) {
        int coarse = Math.floorDiv(scale7Index, 64);
        double lowMicros = Math.pow(2, coarse / 2.0);
        double highMicros = Math.pow(2, (coarse + 1) / 2.0);
        return String.format(java.util.Locale.ROOT, "%s-%sms", ms(lowMicros), ms(highMicros));
    }

    private static String ms(double micros) {
        double v = micros / 1000.0;
        if (v >= 10) return String.valueOf(Math.round(v));
        if (v >= 1) return String.format(java.util.Locale.ROOT, "%.1f", v);
        return String.format(java.util.Locale.ROOT, "%.3f", v);
    }
}
