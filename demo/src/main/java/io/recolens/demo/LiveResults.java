package io.recolens.demo;

import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.connectors.iceberg.TableDefinitions;
import io.recolens.connectors.iceberg.TableReader;
import io.recolens.stats.ExperimentAnalysis;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.Record;

/**
 * Live results: a report run repeatedly while the stream runs ({@code bin/recolens report --every 10m}) continues the
 * always-valid sequences of the earlier runs stored in {@code experiment_results} (running minimum of the p-value,
 * intersection of the intervals), so reading the results at every run does not inflate the error rate; a latency
 * guardrail whose always-valid interval lies above the margin is an alert row and a metric.
 */
final class LiveResults {
    private LiveResults() {}

    /**
     * The report with each always-valid p-value and interval combined with those of the earlier runs over the same
     * experiment and range start (a new range start begins a new sequence).
     */
    static ExperimentReport.Data carryOver(Catalog catalog, RecolensCatalog recolens, ExperimentReport.Data d) {
        if (!catalog.tableExists(recolens.tableId(TableDefinitions.EXPERIMENT_RESULTS))) return d;
        Map<String, double[]> previous = new HashMap<>();
        for (Record r : TableReader.readAll(catalog, recolens.tableId(TableDefinitions.EXPERIMENT_RESULTS))) {
            if (!d.options().experiment().equals(r.getField("experiment"))) continue;
            if (!Objects.equals(instant(r.getField("range_from")), d.options().from())) continue;
            Double p = (Double) r.getField("always_valid_p_value");
            Double low = (Double) r.getField("always_valid_ci_low");
            Double high = (Double) r.getField("always_valid_ci_high");
            if (p == null || low == null || high == null) continue;
            String key = key((String) r.getField("kind"), (String) r.getField("metric"), (String) r.getField("variant"),
                    (String) r.getField("service"));
            previous.merge(key, new double[] {p, low, high},
                    (a, b) -> new double[] {Math.min(a[0], b[0]), Math.max(a[1], b[1]), Math.min(a[2], b[2])});
        }
        if (previous.isEmpty()) return d;
        List<ExperimentAnalysis.MetricResult> metrics = new ArrayList<>();
        for (ExperimentAnalysis.MetricResult m : d.analysis().metrics()) {
            double[] before = previous.get(key("metric", m.metric(), m.variant(), null));
            if (before == null || Double.isNaN(m.alwaysValidPValue())) {
                metrics.add(m);
                continue;
            }
            metrics.add(new ExperimentAnalysis.MetricResult(m.metric(), m.variant(), m.control(), m.value(), m.controlValue(),
                    m.absoluteLift(), m.absoluteCi(), m.relativeLift(), m.relativeCi(), m.pValue(), m.adjustedPValue(),
                    Math.min(before[0], m.alwaysValidPValue()),
                    new double[] {Math.max(before[1], m.alwaysValidCi()[0]), Math.min(before[2], m.alwaysValidCi()[1])},
                    m.units(), m.controlUnits(), m.cupedApplied(), m.cupedTheta(), m.varianceReduction(), m.test()));
        }
        List<ExperimentReport.Guardrail> guardrails = new ArrayList<>();
        for (ExperimentReport.Guardrail g : d.guardrails()) {
            double[] before = previous.get(key("guardrail", g.metric(), g.variant(), g.service()));
            if (before == null || Double.isNaN(g.alwaysValidP())) {
                guardrails.add(g);
                continue;
            }
            guardrails.add(g.withAlwaysValid(Math.min(before[0], g.alwaysValidP()), Math.max(before[1], g.alwaysValidLow()),
                    Math.min(before[2], g.alwaysValidHigh()), d.options().margin()));
        }
        ExperimentAnalysis.Result a = d.analysis();
        return new ExperimentReport.Data(d.options(), d.computedAt(),
                new ExperimentAnalysis.Result(a.control(), a.units(), a.srm(), metrics, a.ctrOverTime(), a.cupedAvailable()),
                guardrails, d.latency(), d.anomalies(), d.days(), d.preExposureUnits());
    }

    /**
     * Writes the report's gauges in Prometheus' text format (for node_exporter's textfile collector or any scraper of
     * files), replacing the file atomically: one alert gauge per latency guardrail, SRM p-value, and per metric the
     * relative lift and its always-valid p-value.
     */
    static void writeMetrics(ExperimentReport.Data d, Path file) throws IOException {
        String e = label(d.options().experiment());
        StringBuilder out = new StringBuilder();
        out.append("# HELP recolens_guardrail_alert 1 when the always-valid interval of a guardrail's relative difference is above the margin.\n")
                .append("# TYPE recolens_guardrail_alert gauge\n");
        for (ExperimentReport.Guardrail g : d.guardrails()) {
            if (Double.isNaN(g.alwaysValidP())) continue;
            out.append(String.format(Locale.ROOT, "recolens_guardrail_alert{experiment=\"%s\",variant=\"%s\",service=\"%s\",guardrail=\"%s\"} %d%n",
                    e, label(g.variant()), label(g.service()), label(g.metric()), g.alert() ? 1 : 0));
        }
        out.append("# HELP recolens_srm_p_value Sample-ratio mismatch chi-squared p-value (a mismatch below 0.001).\n")
                .append("# TYPE recolens_srm_p_value gauge\n")
                .append(String.format(Locale.ROOT, "recolens_srm_p_value{experiment=\"%s\"} %s%n", e, value(d.analysis().srm().pValue())));
        out.append("# HELP recolens_metric_relative_lift Relative lift of a variant over control.\n# TYPE recolens_metric_relative_lift gauge\n");
        for (ExperimentAnalysis.MetricResult m : d.analysis().metrics()) {
            out.append(String.format(Locale.ROOT, "recolens_metric_relative_lift{experiment=\"%s\",variant=\"%s\",metric=\"%s\"} %s%n",
                    e, label(m.variant()), label(m.metric()), value(m.relativeLift())));
        }
        out.append("# HELP recolens_metric_always_valid_p_value mSPRT always-valid p-value of the relative lift.\n")
                .append("# TYPE recolens_metric_always_valid_p_value gauge\n");
        for (ExperimentAnalysis.MetricResult m : d.analysis().metrics()) {
            out.append(String.format(Locale.ROOT, "recolens_metric_always_valid_p_value{experiment=\"%s\",variant=\"%s\",metric=\"%s\"} %s%n",
                    e, label(m.variant()), label(m.metric()), value(m.alwaysValidPValue())));
        }
        Path absolute = file.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        Path tmp = absolute.resolveSibling(absolute.getFileName() + ".tmp");
        Files.writeString(tmp, out.toString(), StandardCharsets.UTF_8);
        Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String key(String kind, String metric, String variant, String service) {
        return kind + "|" + metric + "|" + variant + "|" + service;
    }

    private static Instant instant(Object o) {
        return o == null ? null : ((OffsetDateTime) o).toInstant();
    }

    private static String label(String s) {
        return s == null ? "" : s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String value(double v) {
        return Double.isNaN(v) ? "NaN" : Double.toString(v);
    }
}
