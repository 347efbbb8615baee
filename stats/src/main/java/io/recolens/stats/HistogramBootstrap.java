package io.recolens.stats;

import io.recolens.model.ExponentialHistogram;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A confidence interval for the difference of a latency percentile between two variants, by a Poisson bootstrap
 * over the mergeable exponential histograms: each replicate draws every bucket's count from Poisson(count), which
 * is resampling the spans with replacement without keeping them (Hanley and MacGibbon 2006; Chamandy et al. 2012).
 * The interval is the percentile interval of the replicate differences. Spans are treated as independent; spans
 * of one trace or user are not, so the interval is somewhat too narrow when a few users dominate a service.
 */
public final class HistogramBootstrap {

    /**
     * @param treatment the treatment's percentile in ms
     * @param control the control's percentile in ms
     * @param low lower bound of the difference (treatment − control) in ms
     * @param high upper bound
     * @param standardError standard deviation of the replicate differences
     */
    public record Result(double treatment, double control, double difference, double low, double high, double standardError) {}

    private HistogramBootstrap() {}

    public static Result percentileDifference(ExponentialHistogram treatment, ExponentialHistogram control, double q,
            int replicates, double alpha, long seed) {
        double t = treatment.percentileMillis(q);
        double c = control.percentileMillis(q);
        if (Double.isNaN(t) || Double.isNaN(c)) {
            return new Result(t, c, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        SplittableRandom random = new SplittableRandom(seed);
        ExponentialHistogram.Buckets tb = treatment.buckets();
        ExponentialHistogram.Buckets cb = control.buckets();
        double[] diffs = new double[replicates];
        int kept = 0;
        for (int b = 0; b < replicates; b++) {
            double rt = resampledPercentile(tb, q, random);
            double rc = resampledPercentile(cb, q, random);
            if (!Double.isNaN(rt) && !Double.isNaN(rc)) diffs[kept++] = rt - rc;
        }
        double[] d = Arrays.copyOf(diffs, kept);
        Arrays.sort(d);
        double mean = 0;
        for (double x : d) mean += x / d.length;
        double ss = 0;
        for (double x : d) ss += (x - mean) * (x - mean);
        double sd = d.length < 2 ? Double.NaN : Math.sqrt(ss / (d.length - 1));
        return new Result(t, c, t - c, quantile(d, alpha / 2), quantile(d, 1 - alpha / 2), sd);
    }

    static double resampledPercentile(ExponentialHistogram.Buckets h, double q, SplittableRandom random) {
        long[] counts = new long[h.counts().length];
        long total = 0;
        for (int k = 0; k < counts.length; k++) {
            counts[k] = poisson(h.counts()[k], random);
            total += counts[k];
        }
        if (total == 0) return Double.NaN;
        long rank = Math.max(1L, (long) Math.ceil(q * total - 1e-9));
        long seen = 0;
        for (int k = 0; k < counts.length; k++) {
            seen += counts[k];
            if (seen >= rank) return ExponentialHistogram.upperBoundMillis(h.indexes()[k]);
        }
        return ExponentialHistogram.upperBoundMillis(h.indexes()[h.indexes().length - 1]);
    }

    /** Poisson(mean): Knuth's product method for small means, the normal approximation (rounded) for large ones. */
    static long poisson(double mean, SplittableRandom random) {
        if (mean <= 0) return 0;
        if (mean < 30) {
            double limit = Math.exp(-mean);
            double product = random.nextDouble();
            long k = 0;
            while (product > limit) {
                product *= random.nextDouble();
                k++;
            }
            return k;
        }
        double z = gaussian(random);
        return Math.max(0, Math.round(mean + Math.sqrt(mean) * z));
    }

    private static double gaussian(SplittableRandom random) {
        double u1 = random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** Type-7 (linear interpolation) quantile of sorted values, as R's default. */
    static double quantile(double[] sorted, double p) {
        if (sorted.length == 0) return Double.NaN;
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
