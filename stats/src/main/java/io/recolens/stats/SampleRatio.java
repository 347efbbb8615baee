package io.recolens.stats;

import org.apache.commons.math3.distribution.ChiSquaredDistribution;

/** Sample-ratio mismatch: Pearson's χ² goodness of fit of units per variant against the configured split. */
public final class SampleRatio {

    /** The threshold below which a mismatch is flagged (the and the industry's usual 0.001). */
    public static final double FLAG_P = 0.001;

    /**
     * @param chi2 Σ (observed − expected)² / expected
     * @param pValue upper tail of χ² with k − 1 degrees of freedom
     * @param mismatch p &lt; {@value #FLAG_P}
     */
    public record Result(double chi2, double pValue, boolean mismatch) {}

    private SampleRatio() {}

    /** @param weights the configured split, any positive scale (equal weights when null) */
    public static Result test(long[] observed, double[] weights) {
        int k = observed.length;
        if (k < 2) return new Result(0, 1, false);
        long total = 0;
        for (long o : observed) total += o;
        double weightSum = 0;
        for (int i = 0; i < k; i++) weightSum += weights == null ? 1 : weights[i];
        double chi2 = 0;
        for (int i = 0; i < k; i++) {
            double expected = total * (weights == null ? 1 : weights[i]) / weightSum;
            chi2 += (observed[i] - expected) * (observed[i] - expected) / expected;
        }
        double p = total == 0 ? 1 : 1 - new ChiSquaredDistribution(null, k - 1).cumulativeProbability(chi2);
        return new Result(chi2, p, p < FLAG_P);
    }
}
