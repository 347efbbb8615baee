package io.recolens.demo.drift;

import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.connectors.iceberg.TableDefinitions;
import io.recolens.demo.ResultsTable;
import io.recolens.stats.drift.DriftAnalysis;
import io.recolens.stats.drift.SignalCounts;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;

/** One drift run: compares every experiment variant's signals between the two ranges and writes the findings. */
public final class DriftRun {
    /** The measure's name in {@code drift_findings.measure}. */
    public static final String MEASURE = "jensen_shannon";

    /** One comparison of one experiment variant. */
    public record Result(String experiment, String variant, DriftAnalysis.Comparison comparison) {}

    private DriftRun() {}

    /** Every comparison with enough observations on both sides, findings and non-findings alike. */
    public static List<Result> compare(DriftScan.Counts counts, DriftAnalysis.Settings settings) {
        Map<DriftScan.Key, SignalCounts> keys = DriftScan.newCounts();
        keys.putAll(counts.baseline());
        keys.putAll(counts.window());
        List<Result> out = new ArrayList<>();
        for (DriftScan.Key k : keys.keySet()) {
            DriftAnalysis.Comparison c = DriftAnalysis.compare(k.signal(), DriftScan.SIGNALS.get(k.signal()),
                    counts.baseline().getOrDefault(k, new SignalCounts()), counts.window().getOrDefault(k, new SignalCounts()), settings);
            if (c != null) out.add(new Result(k.experiment(), k.variant(), c));
        }
        return out;
    }

    /** Scans, compares, and (when {@code write}) appends the findings to {@code drift_findings}. */
    public static List<Result> run(Catalog catalog, RecolensCatalog recolens, DriftScan.Range baseline, DriftScan.Range window,
            DriftAnalysis.Settings settings, boolean write, Instant now) {
        List<Result> results = compare(new DriftScan(catalog, recolens).scan(baseline, window), settings);
        if (write) {
            ResultsTable.appendRows(catalog, recolens, TableDefinitions.DRIFT_FINDINGS,
                    schema -> rows(results, schema, baseline, window, settings, now));
        }
        return results;
    }

    /** The findings (drifted comparisons only) as rows of the table's current schema. */
    static List<Record> rows(List<Result> results, Schema schema, DriftScan.Range baseline, DriftScan.Range window,
            DriftAnalysis.Settings settings, Instant now) {
        List<Record> rows = new ArrayList<>();
        for (Result res : results) {
            DriftAnalysis.Comparison c = res.comparison();
            if (!c.drifted()) continue;
            Record r = GenericRecord.create(schema);
            r.setField("computed_at", time(now));
            r.setField("experiment", res.experiment());
            r.setField("variant", res.variant());
            r.setField("signal", c.signal());
            r.setField("measure", MEASURE);
            r.setField("divergence", c.divergence());
            r.setField("threshold", settings.threshold());
            r.setField("noise_floor", c.noiseFloor());
            r.setField("baseline_from", time(baseline.from()));
            r.setField("baseline_to", time(baseline.to()));
            r.setField("window_from", time(window.from()));
            r.setField("window_to", time(window.to()));
            r.setField("baseline_count", c.baselineCount());
            r.setField("window_count", c.windowCount());
            r.setField("bins", c.bins());
            r.setField("top_bin", c.topBin());
            r.setField("top_bin_share", c.topBinShare());
            r.setField("top_bin_baseline_share", c.topBinBaselineShare());
            r.setField("top_bin_window_share", c.topBinWindowShare());
            r.setField("contributor_kind", c.contributorKind());
            r.setField("contributor", c.contributor());
            r.setField("contributor_share", c.contributorShare());
            r.setField("segment", c.segment());
            r.setField("segment_share", c.segmentShare());
            r.setField("detail", c.sentence());
            rows.add(r);
        }
        return rows;
    }

    /** The console table: one line per comparison, findings marked. */
    public static String render(List<Result> results, DriftScan.Range baseline, DriftScan.Range window, DriftAnalysis.Settings settings) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "drift: window [%s, %s) vs baseline [%s, %s); Jensen-Shannon (bits), threshold %.4f,"
                + " finding when also >= %.1f x noise floor%n", window.from(), window.to(), baseline.from(), baseline.to(),
                settings.threshold(), settings.noiseMultiple()));
        out.append(String.format(Locale.ROOT, "%-18s %-14s %-24s %9s %9s %8s %8s  %s%n", "experiment", "variant", "signal", "JS", "noise",
                "n_base", "n_win", "finding / most likely contributor"));
        for (Result r : results) {
            DriftAnalysis.Comparison c = r.comparison();
            out.append(String.format(Locale.ROOT, "%-18s %-14s %-24s %9.5f %9.5f %8d %8d  %s%n", r.experiment(), r.variant(), c.signal(),
                    c.divergence(), c.noiseFloor(), c.baselineCount(), c.windowCount(),
                    c.drifted() ? "DRIFT " + c.contributorKind() + " " + c.contributor() + " (top bin " + c.topBin()
                            + (c.segment() != null ? ", segment " + c.segment() : "") + ")" : "-"));
        }
        long findings = results.stream().filter(r -> r.comparison().drifted()).count();
        out.append(findings).append(findings == 1 ? " finding" : " findings").append(" of ").append(results.size()).append(" comparisons\n");
        return out.toString();
    }

    private static OffsetDateTime time(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }
}
