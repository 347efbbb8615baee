package io.recolens.stats;

/**
 * Always-valid inference by the mixture sequential probability ratio test with a normal mixture (Robbins 1970;
 * Johari, Koomen, Pekelis, Walsh 2017/2022, "Always valid inference"), on an asymptotically normal estimate
 * (here the relative lift) with estimator variance V at each look.
 *
 * <p>With mixing distribution N(0, τ²) over the effect, the likelihood ratio of H0: effect = θ0 is
 * Λ = sqrt(V / (V + τ²)) · exp((est − θ0)² · τ² / (2V(V + τ²))). The always-valid p-value is the running minimum
 * over looks of min(1, 1/Λ(0)); the always-valid (1 − α) interval is the running intersection of
 * {θ0 : Λ(θ0) &lt; 1/α} = est ± sqrt(V(V + τ²)/τ² · (2·ln(1/α) + ln((V + τ²)/V))). Both stay valid however often
 * and whenever the results are looked at (Ville's inequality), unlike a fixed-horizon p-value read repeatedly.
 *
 * <p>τ is the prior scale of effects the test is tuned for: detection is fastest for true effects near τ. The
 * report uses τ = {@value #DEFAULT_TAU} on the relative lift (a 10% relative change), the size of effects a
 * recommender test usually hunts; smaller effects are still detected, only later.
 */
public final class Msprt {

    /** The report's mixing scale on the relative lift. */
    public static final double DEFAULT_TAU = 0.1;

    private Msprt() {}

    /** ln Λ for H0: effect = θ0. */
    public static double logLikelihoodRatio(double estimate, double variance, double tau2, double theta0) {
        double d = estimate - theta0;
        return 0.5 * Math.log(variance / (variance + tau2)) + d * d * tau2 / (2 * variance * (variance + tau2));
    }

    /** The p-value of one look: min(1, 1/Λ(0)). */
    public static double pValue(double estimate, double variance, double tau2) {
        if (!(variance > 0) || Double.isNaN(estimate)) return Double.NaN;
        return Math.min(1.0, Math.exp(-logLikelihoodRatio(estimate, variance, tau2, 0)));
    }

    /** Half width of one look's always-valid interval. */
    public static double halfWidth(double variance, double tau2, double alpha) {
        return Math.sqrt(variance * (variance + tau2) / tau2 * (2 * Math.log(1 / alpha) + Math.log((variance + tau2) / variance)));
    }

    /** The running always-valid p-value and interval over a sequence of looks. */
    public static final class Sequence {
        private final double tau2;
        private final double alpha;
        private double p = 1.0;
        private double low = Double.NEGATIVE_INFINITY;
        private double high = Double.POSITIVE_INFINITY;
        private int looks;

        public Sequence(double tau, double alpha) {
            this.tau2 = tau * tau;
            this.alpha = alpha;
        }

        /** Takes one look; looks with no variance yet (too few units) are skipped. */
        public Sequence look(double estimate, double variance) {
            if (!(variance > 0) || Double.isNaN(estimate) || Double.isInfinite(estimate)) return this;
            looks++;
            p = Math.min(p, Msprt.pValue(estimate, variance, tau2));
            double h = halfWidth(variance, tau2, alpha);
            low = Math.max(low, estimate - h);
            high = Math.min(high, estimate + h);
            return this;
        }

        public double pValue() {
            return looks == 0 ? Double.NaN : p;
        }

        /** [low, high]; the intersection can in rare cases be empty (low &gt; high), which itself rejects every θ0. */
        public double[] interval() {
            return looks == 0 ? new double[] {Double.NaN, Double.NaN} : new double[] {low, high};
        }

        public int looks() {
            return looks;
        }
    }
}
