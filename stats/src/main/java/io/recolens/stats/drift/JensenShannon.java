package io.recolens.stats.drift;

import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Jensen–Shannon divergence (base-2 logarithm) between two count distributions over named bins, split into one
 * non-negative term per bin. Bounded in [0, 1], symmetric, and finite for a bin that is empty on one side, which
 * PSI is not (its {@code ln(p/q)} is infinite there).
 */
public final class JensenShannon {
    private static final double LN2 = Math.log(2);

    private JensenShannon() {}

    /** The comparison of a baseline with a window: total divergence and each bin's term. */
    public record Result(double divergence, Map<String, Double> contributions, long baselineCount, long windowCount,
            Map<String, Double> baselineShares, Map<String, Double> windowShares) {

        /** The bin with the largest term (ties: the first bin name in order); null when both sides are empty. */
        public String topBin() {
            String top = null;
            double best = -1;
            for (Map.Entry<String, Double> e : contributions.entrySet()) {
                if (e.getValue() > best) {
                    best = e.getValue();
                    top = e.getKey();
                }
            }
            return top;
        }

        /** A bin's share of the divergence (0 when there is none). */
        public double share(String bin) {
            return divergence > 0 ? contributions.getOrDefault(bin, 0.0) / divergence : 0.0;
        }

        public int bins() {
            return contributions.size();
        }

        /** {@link JensenShannon#noiseFloor} for these counts and bins. */
        public double noiseFloor() {
            return JensenShannon.noiseFloor(bins(), baselineCount, windowCount);
        }
    }

    /** Compares two distributions given as counts per bin; bins missing on one side count 0 there. */
    public static Result compare(Map<String, Long> baseline, Map<String, Long> window) {
        long nb = total(baseline);
        long nw = total(window);
        TreeSet<String> bins = new TreeSet<>(baseline.keySet());
        bins.addAll(window.keySet());
        Map<String, Double> terms = new TreeMap<>();
        Map<String, Double> ps = new TreeMap<>();
        Map<String, Double> qs = new TreeMap<>();
        double sum = 0;
        for (String bin : bins) {
            double p = nb == 0 ? 0 : baseline.getOrDefault(bin, 0L) / (double) nb;
            double q = nw == 0 ? 0 : window.getOrDefault(bin, 0L) / (double) nw;
            double term = term(p, q);
            terms.put(bin, term);
            ps.put(bin, p);
            qs.put(bin, q);
            sum += term;
        }
        return new Result(Math.min(1.0, Math.max(0.0, sum)), terms, nb, nw, ps, qs);
    }

    /**
     * One bin's term, {@code ½ p log2(p/m) + ½ q log2(q/m)} with {@code m = (p+q)/2}; never negative (log-sum
     * inequality), 0 when {@code p = q}, and {@code 0 log 0 = 0} for an empty side.
     */
    static double term(double p, double q) {
        double m = (p + q) / 2;
        double t = 0;
        if (p > 0) t += 0.5 * p * Math.log(p / m) / LN2;
        if (q > 0) t += 0.5 * q * Math.log(q / m) / LN2;
        return Math.max(0.0, t);
    }

    /**
     * The divergence two samples of one unchanged distribution show on average, from sampling alone:
     * {@code (k - 1)(1/n1 + 1/n2) / (8 ln 2)} for k bins (second-order expansion of the divergence around
     * {@code p = q}, where it is a chi-square statistic divided by 8). A finding must stand well above it.
     */
    public static double noiseFloor(int bins, long n1, long n2) {
        if (bins < 2 || n1 == 0 || n2 == 0) return 0.0;
        return (bins - 1) * (1.0 / n1 + 1.0 / n2) / (8 * LN2);
    }

    private static long total(Map<String, Long> counts) {
        long n = 0;
        for (long c : counts.values()) n += c;
        return n;
    }
}
