package io.recolens.demo;

import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.connectors.iceberg.TableReader;
import io.recolens.jobs.config.JobSettings;
import io.recolens.jobs.pipeline.IcebergOutputs;
import io.recolens.model.ExponentialHistogram;
import io.recolens.simulator.GroundTruth;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.Record;

/** The demo's closing summary: per experiment and variant, what the tables say, next to the injected truth. */
final class DemoReport {
    private final RecolensCatalog catalog;
    private final Catalog opened;
    private final GroundTruth truth;
    private final PrintStream out;

    DemoReport(JobSettings settings, GroundTruth truth, PrintStream out) {
        this.catalog = RecolensCatalog.fromProperties(settings.catalogProperties);
        this.opened = catalog.open();
        this.truth = truth;
        this.out = out;
    }

    private List<Record> rows(String table) {
        return TableReader.readAll(opened, catalog.tableId(table));
    }

    void print() {
        printEngagement();
        printLatency();
        printBackend();
        printCounts("Anomalies (lineage_anomalies) by kind", rows(IcebergOutputs.LINEAGE_ANOMALIES), "kind");
        printCounts("Dead letters (dead_letters) by decoder", rows(IcebergOutputs.DEAD_LETTERS), "kind");
        printInjected();
    }

    private void printEngagement() {
        Map<String, long[]> sums = new TreeMap<>();
        for (Record r : rows(IcebergOutputs.VARIANT_ENGAGEMENT)) {
            long[] s = sums.computeIfAbsent(r.getField("experiment") + "\t" + r.getField("variant"), k -> new long[2]);
            s[0] += (Long) r.getField("impressions");
            s[1] += (Long) r.getField("clicks");
        }
        Map<String, Long> units = distinctUnits(rows(IcebergOutputs.EXPERIMENT_EXPOSURES));
        out.println();
        out.println("Engagement per experiment and variant (variant_engagement, experiment_exposures)");
        out.printf("  %-18s %-14s %11s %8s %7s %7s   %s%n", "experiment", "variant", "impressions", "clicks", "CTR", "units", "truth: impressions/clicks/CTR");
        for (Map.Entry<String, long[]> e : sums.entrySet()) {
            String[] k = e.getKey().split("\t");
            long[] s = e.getValue();
            GroundTruth.VariantTruth t = truth.variant(k[0], k[1]);
            String truthText = t == null ? "-" : String.format("%d/%d/%.2f%%", t.impressions(), t.clicks(), 100 * t.ctr());
            out.printf("  %-18s %-14s %11d %8d %6.2f%% %7d   %s%n", k[0], k[1], s[0], s[1], s[0] == 0 ? 0.0 : 100.0 * s[1] / s[0],
                    units.getOrDefault(e.getKey(), 0L), truthText);
        }
    }

    /**
     * Distinct units per experiment and variant. Exposure rows are not units: a unit seen again after
     * exposures.retention, or re-exposed after a restart, has more than one row.
     */
    static Map<String, Long> distinctUnits(Iterable<Record> exposures) {
        Map<String, java.util.Set<Object>> seen = new TreeMap<>();
        for (Record r : exposures) {
            seen.computeIfAbsent(r.getField("experiment") + "\t" + r.getField("variant"), k -> new java.util.HashSet<>()).add(r.getField("unit_key"));
        }
        Map<String, Long> out = new TreeMap<>();
        seen.forEach((k, v) -> out.put(k, (long) v.size()));
        return out;
    }

    private void printLatency() {
        Map<String, ExponentialHistogram> histograms = new TreeMap<>();
        for (Record r : rows(IcebergOutputs.VARIANT_SIDE_EFFECTS)) {
            if (!"rec_algorithm_v3".equals(r.getField("experiment"))) continue;
            histograms.computeIfAbsent(r.getField("service") + "\t" + r.getField("variant"), k -> new ExponentialHistogram())
                    .merge(ExponentialHistogram.fromMap((Map<?, ?>) r.getField("latency_exp_histogram")));
        }
        out.println();
        out.println("p95 span latency per service and rec_algorithm_v3 variant, ms (variant_side_effects.latency_exp_histogram, within 0.55%)");
        Map<String, Map<String, Double>> table = new TreeMap<>();
        java.util.Set<String> variants = new java.util.TreeSet<>();
        histograms.forEach((k, h) -> {
            String[] parts = k.split("\t");
            variants.add(parts[1]);
            table.computeIfAbsent(parts[0], x -> new TreeMap<>()).put(parts[1], h.percentileMillis(0.95));
        });
        StringBuilder header = new StringBuilder(String.format("  %-24s", "service"));
        variants.forEach(v -> header.append(String.format(" %14s", v)));
        out.println(header);
        table.forEach((service, byVariant) -> {
            StringBuilder line = new StringBuilder(String.format("  %-24s", service));
            variants.forEach(v -> {
                Double p = byVariant.get(v);
                line.append(String.format(" %14s", p == null ? "-" : String.format("%.2f", p)));
            });
            out.println(line);
        });
    }

    private void printBackend() {
        Map<String, long[]> sums = new TreeMap<>();
        for (Record r : rows(IcebergOutputs.VARIANT_SIDE_EFFECTS)) {
            long[] s = sums.computeIfAbsent(r.getField("experiment") + "\t" + r.getField("variant"), k -> new long[5]);
            s[0] += (Long) r.getField("span_count");
            s[1] += (Long) r.getField("error_count");
            s[2] += (Long) r.getField("db_time_micros");
            s[3] += (Long) r.getField("cache_hits");
            s[4] += (Long) r.getField("cache_misses");
        }
        out.println();
        out.println("Backend side effects per experiment and variant (variant_side_effects)");
        out.printf("  %-18s %-14s %9s %10s %12s %15s%n", "experiment", "variant", "spans", "error %", "db time s", "cache hit %");
        sums.forEach((k, s) -> {
            String[] parts = k.split("\t");
            double hitRate = s[3] + s[4] == 0 ? 0 : 100.0 * s[3] / (s[3] + s[4]);
            out.printf("  %-18s %-14s %9d %9.2f%% %12.1f %14.1f%%%n", parts[0], parts[1], s[0],
                    s[0] == 0 ? 0 : 100.0 * s[1] / s[0], s[2] / 1e6, hitRate);
        });
    }

    private void printCounts(String title, List<Record> rows, String field) {
        Map<String, Long> counts = new TreeMap<>();
        rows.forEach(r -> counts.merge(String.valueOf(r.getField(field)), 1L, Long::sum));
        out.println();
        out.println(title + ": " + rows.size());
        counts.forEach((k, n) -> out.printf("  %-28s %d%n", k, n));
    }

    private void printInjected() {
        out.println();
        out.println("Injected by the simulator (ground truth)");
        truth.effects().forEach(e -> out.printf("  %s=%s: %s %s%s %.3f (baseline %.3f)%n", e.experiment(), e.variant(), e.kind(),
                e.metric(), e.service() == null || e.service().isEmpty() ? "" : " @" + e.service(), e.value(), e.baseline()));
        out.printf("  malformed records: %d, duplicates: %s, late: %s%n", truth.malformed().size(), truth.duplicates(), truth.late());
    }
}
