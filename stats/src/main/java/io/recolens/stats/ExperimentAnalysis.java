package io.recolens.stats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The engagement statistics of one experiment from its units: per metric and treatment variant, the lift over
 * control with fixed-horizon and always-valid inference, CUPED where units have a pre-exposure period, and
 * Benjamini–Hochberg adjusted p-values across metrics × variants. Definitions in docs/statistics.md.
 */
public final class ExperimentAnalysis {

    /** The engagement metrics, in report order. */
    public enum Metric {
        /** Σ clicks / Σ item impressions: a ratio metric, delta method. */
        ITEM_CTR("item_ctr"),
        /** Σ clicks / Σ impressions (slates): a ratio metric, delta method. */
        CTR("ctr"),
        /** clicks per unit: a mean metric, Welch. */
        CLICKS_PER_UNIT("clicks_per_unit");

        public final String key;

        Metric(String key) {
            this.key = key;
        }

        double numerator(double[] sums) {
            return sums[2];
        }

        double denominator(double[] sums) {
            return switch (this) {
                case ITEM_CTR -> sums[1];
                case CTR -> sums[0];
                case CLICKS_PER_UNIT -> 1.0;
            };
        }
    }

    /** One unit's sums on one look day: impressions, item impressions, clicks. */
    public record UnitDay(String variant, String unit, int day, double impressions, double itemImpressions, double clicks) {}

    /** Settings: significance level, mSPRT mixing scale, configured split (null = equal). */
    public record Settings(double alpha, double tau, Map<String, Double> split) {
        public static Settings defaults() {
            return new Settings(0.05, Msprt.DEFAULT_TAU, null);
        }
    }

    /** The result of one metric for one treatment variant. */
    public record MetricResult(String metric, String variant, String control, double value, double controlValue,
            double absoluteLift, double[] absoluteCi, double relativeLift, double[] relativeCi, double pValue,
            double adjustedPValue, double alwaysValidPValue, double[] alwaysValidCi, long units, long controlUnits,
            boolean cupedApplied, double cupedTheta, double varianceReduction, String test) {}

    /** A variant's cumulative value and interval of a metric at the end of one day: the report's time series. */
    public record Point(String variant, int day, double value, double low, double high) {}

    /** Everything the analysis found. */
    public record Result(String control, Map<String, Long> units, SampleRatio.Result srm, List<MetricResult> metrics,
            Map<String, List<Point>> ctrOverTime, boolean cupedAvailable) {}

    private ExperimentAnalysis() {}

    /**
     * @param rows per-unit sums per day inside the analysis range (day = look index, 0-based)
     * @param pre per unit, its pre-exposure sums (impressions, item impressions, clicks); empty when none
     */
    public static Result analyze(List<UnitDay> rows, Map<String, double[]> pre, String control, Settings settings) {
        int lastDay = 0;
        Map<String, Map<String, double[]>> byVariant = new TreeMap<>();
        for (UnitDay r : rows) {
            lastDay = Math.max(lastDay, r.day());
        }
        // Cumulative per-unit sums at each look: looks[day][variant][unit].
        List<Map<String, Map<String, double[]>>> looks = new ArrayList<>();
        for (int d = 0; d <= lastDay; d++) looks.add(new TreeMap<>());
        for (UnitDay r : rows) {
            for (int d = r.day(); d <= lastDay; d++) {
                double[] s = looks.get(d).computeIfAbsent(r.variant(), v -> new LinkedHashMap<>())
                        .computeIfAbsent(r.unit(), u -> new double[3]);
                s[0] += r.impressions();
                s[1] += r.itemImpressions();
                s[2] += r.clicks();
            }
        }
        byVariant.putAll(looks.get(lastDay));
        if (!byVariant.containsKey(control)) {
            throw new IllegalArgumentException("control variant '" + control + "' has no units; variants: " + byVariant.keySet());
        }
        List<String> variants = new ArrayList<>(byVariant.keySet());
        Map<String, Long> units = new LinkedHashMap<>();
        long[] observed = new long[variants.size()];
        double[] weights = settings.split() == null ? null : new double[variants.size()];
        for (int v = 0; v < variants.size(); v++) {
            observed[v] = byVariant.get(variants.get(v)).size();
            units.put(variants.get(v), observed[v]);
            if (weights != null) weights[v] = settings.split().getOrDefault(variants.get(v), 0.0);
        }
        SampleRatio.Result srm = SampleRatio.test(observed, weights);

        List<MetricResult> metrics = new ArrayList<>();
        boolean cupedAvailable = false;
        for (Metric metric : Metric.values()) {
            List<Cuped.Units> cupedInput = new ArrayList<>();
            for (String v : variants) cupedInput.add(units(byVariant.get(v), pre, metric));
            Cuped.Result cuped = Cuped.adjust(cupedInput);
            cupedAvailable |= cuped.applied();
            int c = variants.indexOf(control);
            for (int t = 0; t < variants.size(); t++) {
                if (t == c) continue;
                metrics.add(compare(metric, variants.get(t), control, cuped, t, c, looks, settings));
            }
        }
        double[] p = metrics.stream().mapToDouble(MetricResult::pValue).toArray();
        double[] adjusted = BenjaminiHochberg.adjust(p);
        for (int i = 0; i < metrics.size(); i++) {
            MetricResult m = metrics.get(i);
            metrics.set(i, new MetricResult(m.metric(), m.variant(), m.control(), m.value(), m.controlValue(), m.absoluteLift(),
                    m.absoluteCi(), m.relativeLift(), m.relativeCi(), m.pValue(), adjusted[i], m.alwaysValidPValue(),
                    m.alwaysValidCi(), m.units(), m.controlUnits(), m.cupedApplied(), m.cupedTheta(), m.varianceReduction(), m.test()));
        }
        return new Result(control, units, srm, metrics, ctrOverTime(looks, settings.alpha()), cupedAvailable);
    }

    private static Cuped.Units units(Map<String, double[]> unitSums, Map<String, double[]> pre, Metric metric) {
        int n = unitSums.size();
        double[] yNum = new double[n];
        double[] yDen = new double[n];
        double[] xNum = new double[n];
        double[] xDen = new double[n];
        int i = 0;
        for (Map.Entry<String, double[]> e : unitSums.entrySet()) {
            yNum[i] = metric.numerator(e.getValue());
            yDen[i] = metric.denominator(e.getValue());
            double[] x = pre.get(e.getKey());
            if (x != null) {
                xNum[i] = metric.numerator(x);
                xDen[i] = metric.denominator(x);
            }
            i++;
        }
        return new Cuped.Units(yNum, yDen, xNum, xDen);
    }

    private static MetricResult compare(Metric metric, String treatment, String control, Cuped.Result cuped, int t, int c,
            List<Map<String, Map<String, double[]>>> looks, Settings s) {
        RatioEstimate rawT = cuped.raw().get(t);
        RatioEstimate rawC = cuped.raw().get(c);
        RatioEstimate et = cuped.adjusted().get(t);
        RatioEstimate ec = cuped.adjusted().get(c);
        double z = Lift.normalQuantile(1 - s.alpha() / 2);
        double diff = et.value() - ec.value();
        double diffVar = et.variance() + ec.variance();
        double[] rel = Lift.relative(et.value(), et.variance(), ec.value(), ec.variance());
        double relSe = Math.sqrt(rel[1]);
        double p;
        double[] absCi;
        String test;
        if (metric == Metric.CLICKS_PER_UNIT) {
            p = Lift.welchP(diff, et.variance(), et.units(), ec.variance(), ec.units());
            double tq = Lift.welchQuantile(s.alpha(), et.variance(), et.units(), ec.variance(), ec.units());
            absCi = new double[] {diff - tq * Math.sqrt(diffVar), diff + tq * Math.sqrt(diffVar)};
            test = "welch_t";
        } else {
            p = Lift.twoSidedP(rel[0] / relSe);
            absCi = new double[] {diff - z * Math.sqrt(diffVar), diff + z * Math.sqrt(diffVar)};
            test = "delta_method_z";
        }
        // Always valid: the relative lift at the end of every day of the range, unadjusted (CUPED needs the final θ).
        Msprt.Sequence sequence = new Msprt.Sequence(s.tau(), s.alpha());
        for (Map<String, Map<String, double[]>> look : looks) {
            Map<String, double[]> lt = look.get(treatment);
            Map<String, double[]> lc = look.get(control);
            if (lt == null || lc == null) continue;
            RatioEstimate at = accumulate(lt, metric);
            RatioEstimate ac = accumulate(lc, metric);
            double[] r = Lift.relative(at.value(), at.variance(), ac.value(), ac.variance());
            sequence.look(r[0], r[1]);
        }
        double rawVar = rawT.variance() + rawC.variance();
        double reduction = cuped.applied() && rawVar > 0 ? 1 - diffVar / rawVar : 0.0;
        return new MetricResult(metric.key, treatment, control, rawT.value(), rawC.value(), diff, absCi, rel[0],
                new double[] {rel[0] - z * relSe, rel[0] + z * relSe}, p, Double.NaN, sequence.pValue(), sequence.interval(),
                et.units(), ec.units(), cuped.applied(), cuped.theta(), reduction, test);
    }

    private static RatioEstimate accumulate(Map<String, double[]> unitSums, Metric metric) {
        RatioAccumulator a = new RatioAccumulator();
        for (double[] sums : unitSums.values()) a.add(metric.numerator(sums), metric.denominator(sums));
        return a.estimate();
    }

    private static Map<String, List<Point>> ctrOverTime(List<Map<String, Map<String, double[]>>> looks, double alpha) {
        double z = Lift.normalQuantile(1 - alpha / 2);
        Map<String, List<Point>> out = new TreeMap<>();
        for (int d = 0; d < looks.size(); d++) {
            for (Map.Entry<String, Map<String, double[]>> v : looks.get(d).entrySet()) {
                RatioEstimate e = accumulate(v.getValue(), Metric.CTR);
                double se = e.standardError();
                out.computeIfAbsent(v.getKey(), k -> new ArrayList<>())
                        .add(new Point(v.getKey(), d, e.value(), e.value() - z * se, e.value() + z * se));
            }
        }
        return out;
    }
}
