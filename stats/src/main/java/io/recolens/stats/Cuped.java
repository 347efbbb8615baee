package io.recolens.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * CUPED (Deng, Xu, Kohavi, Walker 2013) for ratio metrics, a mean metric being the ratio with denominator 1.
 *
 * <p>Each unit's metric and its pre-exposure covariate are linearized within its variant by the delta method,
 * Y_i = (c_i − R_v·n_i) / n̄_v and X_i = (x_i − Q_v·m_i) / m̄_v, where Q is the covariate's ratio. One θ is
 * estimated for all variants together (pooled): θ = Σ Y_i·X_i / Σ X_i² over every unit of every variant, so the
 * adjustment does not depend on which variant a unit is in. The adjusted estimate of variant v is
 * R_v − θ·(Q_v − Q_all), with Q_all the covariate ratio over all units, and its variance is the sample variance of
 * Y_i − θ·X_i over the variant's units divided by N_v (which, for θ = 0, is exactly the delta-method variance).
 * Units without a pre-exposure period have covariate 0/0 and X_i = 0: they keep their unadjusted contribution.
 */
public final class Cuped {

    /** One variant's units: metric numerator and denominator, covariate numerator and denominator. */
    public record Units(double[] yNum, double[] yDen, double[] xNum, double[] xDen) {}

    /**
     * @param applied false when no variant has a pre-period (then {@code adjusted} equals {@code raw})
     * @param theta the pooled coefficient (0 when not applied)
     */
    public record Result(boolean applied, double theta, List<RatioEstimate> raw, List<RatioEstimate> adjusted) {}

    private Cuped() {}

    public static Result adjust(List<Units> variants) {
        int k = variants.size();
        double[] r = new double[k];
        double[] q = new double[k];
        double[] meanDen = new double[k];
        double[] meanXDen = new double[k];
        List<RatioEstimate> raw = new ArrayList<>();
        double allXNum = 0;
        double allXDen = 0;
        boolean everyVariantHasPre = true;
        for (int v = 0; v < k; v++) {
            Units u = variants.get(v);
            RatioAccumulator y = new RatioAccumulator();
            double xNum = 0;
            double xDen = 0;
            for (int i = 0; i < u.yNum.length; i++) {
                y.add(u.yNum[i], u.yDen[i]);
                xNum += u.xNum[i];
                xDen += u.xDen[i];
            }
            RatioEstimate e = y.estimate();
            raw.add(e);
            r[v] = e.value();
            meanDen[v] = e.meanDenominator();
            q[v] = xDen == 0 ? Double.NaN : xNum / xDen;
            meanXDen[v] = xDen / u.yNum.length;
            everyVariantHasPre &= xDen > 0;
            allXNum += xNum;
            allXDen += xDen;
        }
        if (!everyVariantHasPre) {
            return new Result(false, 0, raw, raw);
        }
        double sxy = 0;
        double sxx = 0;
        List<double[]> ys = new ArrayList<>();
        List<double[]> xs = new ArrayList<>();
        for (int v = 0; v < k; v++) {
            Units u = variants.get(v);
            int n = u.yNum.length;
            double[] yl = new double[n];
            double[] xl = new double[n];
            for (int i = 0; i < n; i++) {
                yl[i] = (u.yNum[i] - r[v] * u.yDen[i]) / meanDen[v];
                xl[i] = (u.xNum[i] - q[v] * u.xDen[i]) / meanXDen[v];
                sxy += yl[i] * xl[i];
                sxx += xl[i] * xl[i];
            }
            ys.add(yl);
            xs.add(xl);
        }
        if (sxx == 0) {
            return new Result(false, 0, raw, raw);
        }
        double theta = sxy / sxx;
        double qAll = allXNum / allXDen;
        List<RatioEstimate> adjusted = new ArrayList<>();
        for (int v = 0; v < k; v++) {
            double[] yl = ys.get(v);
            double[] xl = xs.get(v);
            int n = yl.length;
            // Y_i and X_i have mean 0 within the variant, so Σ(Y − θX)² / (n − 1) is their sample variance.
            double ss = 0;
            for (int i = 0; i < n; i++) {
                double d = yl[i] - theta * xl[i];
                ss += d * d;
            }
            double variance = n < 2 ? Double.NaN : ss / (n - 1) / n;
            adjusted.add(new RatioEstimate(r[v] - theta * (q[v] - qAll), variance, n, meanDen[v]));
        }
        return new Result(true, theta, raw, adjusted);
    }
}
