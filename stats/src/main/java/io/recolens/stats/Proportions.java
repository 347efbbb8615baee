package io.recolens.stats;

/** Proportions: the Wilson score interval and the two-sample z-test (pooled), for error and cache hit rates. */
public final class Proportions {
    private Proportions() {}

    /** Wilson score interval of x successes in n trials (Wilson 1927; Newcombe 1998 method 3). */
    public static double[] wilson(long x, long n, double alpha) {
        if (n == 0) return new double[] {Double.NaN, Double.NaN};
        double z = Lift.normalQuantile(1 - alpha / 2);
        double p = (double) x / n;
        double d = 1 + z * z / n;
        double centre = (p + z * z / (2.0 * n)) / d;
        double half = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / d;
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }

    /** Two-sided p-value of the pooled two-proportion z-test (= Pearson χ² on the 2×2 table without continuity correction). */
    public static double twoProportionP(long x1, long n1, long x2, long n2) {
        if (n1 == 0 || n2 == 0) return Double.NaN;
        double pooled = (double) (x1 + x2) / (n1 + n2);
        double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
        if (se == 0) return 1.0;
        return Lift.twoSidedP(((double) x1 / n1 - (double) x2 / n2) / se);
    }
}
