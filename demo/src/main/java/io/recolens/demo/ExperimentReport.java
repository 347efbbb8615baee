package io.recolens.demo;

import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.connectors.iceberg.TableDefinitions;
import io.recolens.connectors.iceberg.TableReader;
import io.recolens.model.ExponentialHistogram;
import io.recolens.stats.ExperimentAnalysis;
import io.recolens.stats.HistogramBootstrap;
import io.recolens.stats.Msprt;
import io.recolens.stats.Proportions;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.Record;

/**
 * Reads one experiment's units, side effects and findings from the Iceberg tables and computes the report:
 * engagement statistics ({@link ExperimentAnalysis}) and per-service guardrails. Definitions in docs/statistics.md.
 */
final class ExperimentReport {

    /** Latency quantiles reported as guardrails. */
    static final double[] QUANTILES = {0.50, 0.95, 0.99};
    /** Bootstrap replicates per percentile difference; seeded, so a report is reproducible. */
    static final int BOOTSTRAP_REPLICATES = 400;

    /**
     * @param from inclusive start, or null for all data; @param to exclusive end, or null
     * @param control the control variant, or null for "control" (else the first variant by name)
     * @param split configured traffic split per variant, or null for equal
     * @param tau mSPRT mixing scale on the relative lift
     * @param margin relative p95 slowdown beyond which a significant difference is a regression
     * @param preDays days before a unit's first exposure that count as its pre-exposure period (CUPED)
     */
    record Options(String experiment, Instant from, Instant to, String control, Map<String, Double> split, double tau,
            double margin, int preDays) {
        static Options of(String experiment) {
            return new Options(experiment, null, null, null, null, Msprt.DEFAULT_TAU, 0.05, 14);
        }
    }

    /**
     * One guardrail of one service (or "all" for per-request measures) and treatment variant against control. The
     * always-valid fields (p95 latency only) are on the relative difference; {@code alert} is their lower bound
     * above the margin: the live, peeking-safe form of {@code regression}.
     */
    record Guardrail(String service, String metric, String variant, String control, double value, double controlValue,
            double difference, double low, double high, double pValue, long n, long controlN, boolean regression,
            double alwaysValidP, double alwaysValidLow, double alwaysValidHigh, boolean alert) {

        Guardrail(String service, String metric, String variant, String control, double value, double controlValue,
                double difference, double low, double high, double pValue, long n, long controlN, boolean regression) {
            this(service, metric, variant, control, value, controlValue, difference, low, high, pValue, n, controlN, regression,
                    Double.NaN, Double.NaN, Double.NaN, false);
        }

        /** This guardrail with its always-valid sequence combined with an earlier one (running min p, intersected interval). */
        Guardrail withAlwaysValid(double p, double lowBound, double highBound, double margin) {
            return new Guardrail(service, metric, variant, control, value, controlValue, difference, low, high, pValue, n, controlN,
                    regression, p, lowBound, highBound, lowBound > margin);
        }
    }

    /** Everything the renderers need. */
    record Data(Options options, Instant computedAt, ExperimentAnalysis.Result analysis, List<Guardrail> guardrails,
            Map<String, Map<String, ExponentialHistogram>> latency, Map<String, Map<String, Long>> anomalies,
            List<LocalDate> days, int preExposureUnits) {}

    private ExperimentReport() {}

    static Data compute(Catalog catalog, RecolensCatalog recolens, Options o, Instant computedAt) {
        List<Record> daily = TableReader.readAll(catalog, recolens.tableId(TableDefinitions.EXPERIMENT_UNIT_DAILY));
        // Days in range, and each unit's first day in the experiment (over all data, for the pre-exposure period).
        TreeSet<LocalDate> dayset = new TreeSet<>();
        Map<String, LocalDate> firstDay = new HashMap<>();
        for (Record r : daily) {
            if (!o.experiment().equals(r.getField("experiment"))) continue;
            LocalDate day = (LocalDate) r.getField("day");
            firstDay.merge((String) r.getField("unit_key"), day, (a, b) -> a.isBefore(b) ? a : b);
            if (inRange(day, o)) dayset.add(day);
        }
        if (dayset.isEmpty()) {
            throw new IllegalArgumentException("experiment '" + o.experiment() + "' has no rows in experiment_unit_daily"
                    + (o.from() != null || o.to() != null ? " in the range" : "") + "; experiments found: " + experiments(daily));
        }
        List<LocalDate> days = new ArrayList<>(dayset);
        List<ExperimentAnalysis.UnitDay> rows = new ArrayList<>();
        Map<String, Map<LocalDate, double[]>> preByUnitDay = new HashMap<>();
        for (Record r : daily) {
            String unit = (String) r.getField("unit_key");
            LocalDate day = (LocalDate) r.getField("day");
            double[] sums = {num(r.getField("impressions")), num(r.getField("item_impressions")), num(r.getField("clicks"))};
            if (o.experiment().equals(r.getField("experiment"))) {
                if (dayset.contains(day)) {
                    rows.add(new ExperimentAnalysis.UnitDay((String) r.getField("variant"), unit, days.indexOf(day), sums[0], sums[1], sums[2]));
                }
                continue;
            }
            // Pre-exposure: the unit's rows under other experiments on days before its first day in this one. A
            // unit in several other experiments has the same traffic in each: take the largest per day, not the sum.
            LocalDate first = firstDay.get(unit);
            if (first != null && day.isBefore(first) && !day.isBefore(first.minusDays(o.preDays()))) {
                double[] acc = preByUnitDay.computeIfAbsent(unit, u -> new HashMap<>()).computeIfAbsent(day, d -> new double[3]);
                for (int i = 0; i < 3; i++) acc[i] = Math.max(acc[i], sums[i]);
            }
        }
        Map<String, double[]> pre = new HashMap<>();
        preByUnitDay.forEach((unit, byDay) -> {
            double[] total = new double[3];
            byDay.values().forEach(s -> { for (int i = 0; i < 3; i++) total[i] += s[i]; });
            pre.put(unit, total);
        });
        TreeSet<String> variants = new TreeSet<>();
        rows.forEach(r -> variants.add(r.variant()));
        String control = o.control() != null ? o.control() : variants.contains("control") ? "control" : variants.first();
        if (!variants.contains(control)) {
            throw new IllegalArgumentException("control variant '" + control + "' has no units in the range; variants: " + variants);
        }
        ExperimentAnalysis.Result analysis = ExperimentAnalysis.analyze(rows, pre, control,
                new ExperimentAnalysis.Settings(0.05, o.tau(), o.split()));

        Map<String, Map<String, ExponentialHistogram>> latency = new TreeMap<>();
        Map<String, Map<String, long[]>> counters = new TreeMap<>();
        for (Record r : TableReader.readAll(catalog, recolens.tableId(TableDefinitions.VARIANT_SIDE_EFFECTS))) {
            if (!o.experiment().equals(r.getField("experiment")) || !inRange((OffsetDateTime) r.getField("window_start"), o)) continue;
            String service = (String) r.getField("service");
            String variant = (String) r.getField("variant");
            latency.computeIfAbsent(service, s -> new TreeMap<>()).computeIfAbsent(variant, v -> new ExponentialHistogram())
                    .merge(ExponentialHistogram.fromMap((Map<?, ?>) r.getField("latency_exp_histogram")));
            long[] c = counters.computeIfAbsent(service, s -> new TreeMap<>()).computeIfAbsent(variant, v -> new long[5]);
            c[0] += (long) num(r.getField("span_count"));
            c[1] += (long) num(r.getField("error_count"));
            c[2] += (long) num(r.getField("cache_hits"));
            c[3] += (long) num(r.getField("cache_misses"));
            c[4] += (long) num(r.getField("db_time_micros"));
        }
        Map<String, Double> requests = new HashMap<>();
        for (ExperimentAnalysis.UnitDay r : rows) requests.merge(r.variant(), r.impressions(), Double::sum);
        List<Guardrail> guardrails = guardrails(latency, counters, requests, control, o);

        Map<String, Map<String, Long>> anomalies = new TreeMap<>();
        for (Record r : TableReader.readAll(catalog, recolens.tableId(TableDefinitions.LINEAGE_ANOMALIES))) {
            if (!o.experiment().equals(r.getField("experiment")) || !inRange((OffsetDateTime) r.getField("event_time"), o)) continue;
            String variant = r.getField("variant") == null ? "(none)" : (String) r.getField("variant");
            anomalies.computeIfAbsent((String) r.getField("kind"), k -> new TreeMap<>()).merge(variant, 1L, Long::sum);
        }
        return new Data(o, computedAt, analysis, guardrails, latency, anomalies, days, pre.size());
    }

    static List<Guardrail> guardrails(Map<String, Map<String, ExponentialHistogram>> latency,
            Map<String, Map<String, long[]>> counters, Map<String, Double> requests, String control, Options o) {
        List<Guardrail> out = new ArrayList<>();
        long seed = 1;
        for (Map.Entry<String, Map<String, ExponentialHistogram>> service : latency.entrySet()) {
            ExponentialHistogram c = service.getValue().get(control);
            Map<String, long[]> counts = counters.get(service.getKey());
            if (c == null || c.total() == 0) continue;
            for (Map.Entry<String, ExponentialHistogram> v : service.getValue().entrySet()) {
                if (v.getKey().equals(control) || v.getValue().total() == 0) continue;
                for (double q : QUANTILES) {
                    HistogramBootstrap.Result b = HistogramBootstrap.percentileDifference(v.getValue(), c, q, BOOTSTRAP_REPLICATES, 0.05, seed++);
                    boolean regression = q == 0.95 && b.low() > o.margin() * b.control();
                    Guardrail g = new Guardrail(service.getKey(), "latency_p" + Math.round(q * 100) + "_ms", v.getKey(), control, b.treatment(),
                            b.control(), b.difference(), b.low(), b.high(), Double.NaN, v.getValue().total(), c.total(), regression);
                    if (q == 0.95 && b.control() > 0 && b.standardError() > 0) {
                        // One look of the mSPRT on the relative p95 difference, variance from the bootstrap.
                        double rel = b.difference() / b.control();
                        double variance = Math.pow(b.standardError() / b.control(), 2);
                        double h = Msprt.halfWidth(variance, o.tau() * o.tau(), 0.05);
                        g = g.withAlwaysValid(Msprt.pValue(rel, variance, o.tau() * o.tau()), rel - h, rel + h, o.margin());
                    }
                    out.add(g);
                }
                long[] t = counts.get(v.getKey());
                long[] k = counts.get(control);
                out.add(rate(service.getKey(), "error_rate", v.getKey(), control, t[1], t[0], k[1], k[0], true));
                if (t[2] + t[3] > 0 && k[2] + k[3] > 0) {
                    out.add(rate(service.getKey(), "cache_hit_rate", v.getKey(), control, t[2], t[2] + t[3], k[2], k[2] + k[3], false));
                }
            }
        }
        // Database time per request over all services: Σ db time / Σ impressions of the variant.
        Map<String, Double> dbMicros = new HashMap<>();
        counters.values().forEach(byVariant -> byVariant.forEach((v, c) -> dbMicros.merge(v, (double) c[4], Double::sum)));
        Double controlRequests = requests.get(control);
        for (Map.Entry<String, Double> v : requests.entrySet()) {
            if (v.getKey().equals(control) || controlRequests == null || controlRequests == 0 || v.getValue() == 0) continue;
            double t = dbMicros.getOrDefault(v.getKey(), 0.0) / 1000 / v.getValue();
            double c = dbMicros.getOrDefault(control, 0.0) / 1000 / controlRequests;
            out.add(new Guardrail("all", "db_ms_per_request", v.getKey(), control, t, c, t - c, Double.NaN, Double.NaN, Double.NaN,
                    v.getValue().longValue(), controlRequests.longValue(), false));
        }
        return out;
    }

    /** A rate guardrail: Wilson intervals per variant, pooled z-test on the difference; "higher is worse" for errors. */
    private static Guardrail rate(String service, String metric, String variant, String control, long x, long n, long xc, long nc,
            boolean higherIsWorse) {
        double t = (double) x / n;
        double c = (double) xc / nc;
        double p = Proportions.twoProportionP(x, n, xc, nc);
        double[] wt = Proportions.wilson(x, n, 0.05);
        double[] wc = Proportions.wilson(xc, nc, 0.05);
        // Newcombe's hybrid score interval for a difference of proportions (method 10 of Newcombe 1998).
        double low = (t - c) - Math.sqrt(Math.pow(t - wt[0], 2) + Math.pow(wc[1] - c, 2));
        double high = (t - c) + Math.sqrt(Math.pow(wt[1] - t, 2) + Math.pow(c - wc[0], 2));
        boolean regression = p < 0.001 && (higherIsWorse ? t > c : t < c);
        return new Guardrail(service, metric, variant, control, t, c, t - c, low, high, p, n, nc, regression);
    }

    private static boolean inRange(LocalDate day, Options o) {
        Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        return (o.from() == null || !start.isBefore(o.from())) && (o.to() == null || start.isBefore(o.to()));
    }

    private static boolean inRange(OffsetDateTime t, Options o) {
        Instant i = t.toInstant();
        return (o.from() == null || !i.isBefore(o.from())) && (o.to() == null || i.isBefore(o.to()));
    }

    private static TreeSet<Object> experiments(List<Record> daily) {
        TreeSet<Object> names = new TreeSet<>();
        daily.forEach(r -> names.add(r.getField("experiment")));
        return names;
    }

    private static double num(Object o) {
        return o == null ? 0 : ((Number) o).doubleValue();
    }

    /** The guardrails by service, for renderers. */
    static Map<String, List<Guardrail>> byService(List<Guardrail> guardrails) {
        Map<String, List<Guardrail>> out = new LinkedHashMap<>();
        guardrails.forEach(g -> out.computeIfAbsent(g.service(), s -> new ArrayList<>()).add(g));
        return out;
    }
}
