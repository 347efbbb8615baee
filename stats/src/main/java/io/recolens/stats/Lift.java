package io.recolens.stats;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;

/** Absolute and relative lift of a treatment estimate over a control estimate, with intervals and p-values. */
public final class Lift {
    private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);

    private Lift() {}

    /** Two-sided p-value of a z statistic under the standard normal. */
    public static double twoSidedP(double z) {
        if (Double.isNaN(z)) return Double.NaN;
        return 2 * NORMAL.cumulativeProbability(-Math.abs(z));
    }

    /** The standard normal quantile, e.g. 1.959964 for 0.975. */
    public static double normalQuantile(double p) {
        return NORMAL.inverseCumulativeProbability(p);
    }

    /** Relative lift Δ = R_t/R_c − 1 and Var(Δ) = Var(R_t)/R_c² + R_t²·Var(R_c)/R_c⁴ (delta method, independent groups). */
    public static double[] relative(double rt, double vt, double rc, double vc) {
        double delta = rt / rc - 1;
        double variance = vt / (rc * rc) + rt * rt * vc / (rc * rc * rc * rc);
        return new double[] {delta, variance};
    }

    /** Welch–Satterthwaite degrees of freedom of a difference of two means with estimator variances vt, vc. */
    public static double welchDf(double vt, long nt, double vc, long nc) {
        double num = (vt + vc) * (vt + vc);
        double den = vt * vt / (nt - 1) + vc * vc / (nc - 1);
        return num / den;
    }

    /** Two-sided Welch p-value for a difference d with estimator variances vt, vc. */
    public static double welchP(double d, double vt, long nt, double vc, long nc) {
        double se = Math.sqrt(vt + vc);
        if (!(se > 0)) return Double.NaN;
        double df = welchDf(vt, nt, vc, nc);
        TDistribution t = new TDistribution(null, df);
        return 2 * t.cumulativeProbability(-Math.abs(d / se));
    }

    /** The Welch t quantile for a two-sided interval of confidence 1 − alpha. */
    public static double welchQuantile(double alpha, double vt, long nt, double vc, long nc) {
        return new TDistribution(null, welchDf(vt, nt, vc, nc)).inverseCumulativeProbability(1 - alpha / 2);
    }
}
