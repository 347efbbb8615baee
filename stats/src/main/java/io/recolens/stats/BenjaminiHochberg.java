package io.recolens.stats;

import java.util.Arrays;
import java.util.Comparator;

/** Benjamini–Hochberg adjusted p-values (step-up, as R's {@code p.adjust(p, "BH")}); NaN stays NaN and is not counted. */
public final class BenjaminiHochberg {
    private BenjaminiHochberg() {}

    public static double[] adjust(double[] p) {
        Integer[] order = new Integer[p.length];
        int m = 0;
        for (int i = 0; i < p.length; i++) {
            if (!Double.isNaN(p[i])) order[m++] = i;
        }
        Integer[] valid = Arrays.copyOf(order, m);
        Arrays.sort(valid, Comparator.comparingDouble(i -> p[i]));
        double[] out = new double[p.length];
        Arrays.fill(out, Double.NaN);
        double running = 1.0;
        for (int rank = m; rank >= 1; rank--) {
            int i = valid[rank - 1];
            running = Math.min(running, p[i] * m / rank);
            out[i] = Math.min(1.0, running);
        }
        return out;
    }
}
