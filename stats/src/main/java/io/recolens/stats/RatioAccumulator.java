package io.recolens.stats;

/**
 * Running sufficient statistics of a ratio metric over units (Σc, Σn, Σc², Σn², Σcn), so the delta-method
 * estimate can be taken at any time without keeping the units: the report's daily looks and the simulations use it.
 * A mean metric is the ratio with denominator 1 per unit.
 */
public final class RatioAccumulator {
    private long units;
    private double sumC;
    private double sumN;
    private double sumCC;
    private double sumNN;
    private double sumCN;

    /** Adds one unit's sums. */
    public RatioAccumulator add(double numerator, double denominator) {
        units++;
        sumC += numerator;
        sumN += denominator;
        sumCC += numerator * numerator;
        sumNN += denominator * denominator;
        sumCN += numerator * denominator;
        return this;
    }

    public long units() {
        return units;
    }

    public double numeratorSum() {
        return sumC;
    }

    public double denominatorSum() {
        return sumN;
    }

    /** The estimate; NaN value when the denominators sum to 0, NaN variance with fewer than 2 units. */
    public RatioEstimate estimate() {
        double r = sumN == 0 ? Double.NaN : sumC / sumN;
        if (units < 2 || sumN == 0) {
            return new RatioEstimate(r, Double.NaN, units, units == 0 ? Double.NaN : sumN / units);
        }
        double n = units;
        double varC = (sumCC - sumC * sumC / n) / (n - 1);
        double varN = (sumNN - sumN * sumN / n) / (n - 1);
        double covCN = (sumCN - sumC * sumN / n) / (n - 1);
        double meanN = sumN / n;
        double variance = (varC - 2 * r * covCN + r * r * varN) / (n * meanN * meanN);
        // Rounding can leave a tiny negative number where all units have the same ratio.
        return new RatioEstimate(r, Math.max(0.0, variance), units, meanN);
    }
}
