package io.recolens.demo;

import io.recolens.model.ExponentialHistogram;
import io.recolens.stats.ExperimentAnalysis;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/** Synthetic report data for the renderer tests: no warehouse, no Flink. */
final class SampleReports {
    private SampleReports() {}

    /** A report of a synthetic experiment over five days: a real lift, three services, one slowed down. */
    static ExperimentReport.Data fiveDays() {
        SplittableRandom r = new SplittableRandom(1);
        List<ExperimentAnalysis.UnitDay> rows = new ArrayList<>();
        String[] variants = {"collaborative", "control", "hybrid"};
        for (String v : variants) {
            for (int u = 0; u < 600; u++) {
                double impressions = 1 + r.nextInt(5);
                double items = impressions * 10;
                double p = 0.1 * (v.equals("hybrid") ? 1.25 : 1);
                double clicks = 0;
                for (int i = 0; i < items; i++) if (r.nextDouble() < p) clicks++;
                rows.add(new ExperimentAnalysis.UnitDay(v, v + u, u % 5, impressions, items, clicks));
            }
        }
        ExperimentAnalysis.Result analysis = ExperimentAnalysis.analyze(rows, Map.of(), "control",
                new ExperimentAnalysis.Settings(0.05, 0.1, null));
        Map<String, Map<String, ExponentialHistogram>> latency = new TreeMap<>();
        Map<String, Map<String, long[]>> counters = new TreeMap<>();
        for (String service : List.of("api-gateway", "feature-store", "ranker")) {
            for (String v : variants) {
                ExponentialHistogram h = new ExponentialHistogram();
                double median = service.equals("feature-store") && v.equals("hybrid") ? 25_000 : 10_000;
                for (int i = 0; i < 3000; i++) {
                    h.add(Math.round(median * Math.exp(0.5 * Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble()))));
                }
                latency.computeIfAbsent(service, s -> new TreeMap<>()).put(v, h);
                counters.computeIfAbsent(service, s -> new TreeMap<>()).put(v, new long[] {3000, 30, 900, 100, 50_000});
            }
        }
        ExperimentReport.Options options = ExperimentReport.Options.of("rec_algorithm_v3");
        List<ExperimentReport.Guardrail> guardrails = ExperimentReport.guardrails(latency, counters,
                Map.of("collaborative", 1800.0, "control", 1800.0, "hybrid", 1800.0), "control", options);
        List<LocalDate> days = new ArrayList<>();
        for (int d = 0; d < 5; d++) days.add(LocalDate.of(2026, 11, 20 + d));
        return new ExperimentReport.Data(options, Instant.parse("2026-11-30T08:00:00Z"), analysis, guardrails, latency,
                Map.of("variant_conflict", Map.of("hybrid", 3L)), days, 0);
    }

}
