package io.recolens.stats;

/**
 * A unit-level ratio metric R = Σ numerator / Σ denominator for one variant, with its delta-method variance.
 *
 * @param value R
 * @param variance Var(R) = (s_c² − 2R·s_cn + R²·s_n²) / (N·n̄²), sample (co)variances over units with N − 1
 * @param units N, the number of units
 * @param meanDenominator n̄, the mean denominator per unit
 */
public record RatioEstimate(double value, double variance, long units, double meanDenominator) {

    public double standardError() {
        return Math.sqrt(variance);
    }
}
