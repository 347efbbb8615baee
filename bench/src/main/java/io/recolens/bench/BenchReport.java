package io.recolens.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.recolens.simulator.GroundTruth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Collects every run's measurement, takes medians per run, computes the ratios and the agreement check, writes JSON and Markdown. */
final class BenchReport {
    private final BenchFlags flags;
    private final Map<String, List<Map<String, Object>>> runs = new LinkedHashMap<>();
    private final Map<String, Object> extra = new LinkedHashMap<>();
    private long events;
    private long kafkaRecords;
    private long loadMs;

    BenchReport(BenchFlags flags) {
        this.flags = flags;
    }

    void loaded(GroundTruth truth, long loadMs) {
        this.events = (long) truth.totals().impressions() + truth.totals().clicks() + truth.totals().spans();
        this.kafkaRecords = truth.recordsEmitted().values().stream().mapToLong(Integer::longValue).sum();
        this.loadMs = loadMs;
        extra.put("totals", truth.totals());
    }

    void add(String label, Map<String, Object> result) {
        runs.computeIfAbsent(label, k -> new ArrayList<>()).add(result);
    }

    /** Requests per second of a run's median process wall; -1 when the run did not happen. */
    double requestsPerSecond(String label) {
        List<Map<String, Object>> r = runs.get(label);
        if (r == null) return -1;
        return flags.requests() * 1000.0 / median(r, "processWallMs");
    }

    /** The hostile run: its cost per Kafka record against the ordinary batch run's, and where its records went. */
    void hostile(long records, Map<?, Long> kinds, Map<String, Object> result) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("records", records);
        h.put("kinds", kinds);
        h.put("processWallMs", result.get("processWallMs"));
        h.put("jobMs", result.get("measuredMs"));
        h.put("cpuMs", result.get("cpuMs"));
        h.put("peakHeapBytes", result.get("peakHeapBytes"));
        h.put("tables", result.get("computed"));
        List<Map<String, Object>> ordinary = runs.get("pipeline batch otlp_proto");
        if (ordinary != null) {
            double ordinaryPerRecord = (double) median(ordinary, "measuredMs") / kafkaRecords;
            double hostilePerRecord = ((Number) result.get("measuredMs")).doubleValue() / records;
            h.put("jobMicrosPerRecordOrdinary", round2(ordinaryPerRecord * 1000));
            h.put("jobMicrosPerRecordHostile", round2(hostilePerRecord * 1000));
            h.put("hostileCostFactor", round2(hostilePerRecord / ordinaryPerRecord));
        }
        extra.put("hostile", h);
    }

    void put(String key, Object value) {
        extra.put(key, value);
    }

    /** Writes bench-results.json and bench-results.md; returns whether every run's totals agree. */
    boolean finish(Path out) throws Exception {
        Map<String, Map<String, Object>> medians = new LinkedHashMap<>();
        for (Map.Entry<String, List<Map<String, Object>>> e : runs.entrySet()) {
            Map<String, Object> m = new LinkedHashMap<>();
            long wall = median(e.getValue(), "processWallMs");
            m.put("rounds", e.getValue().size());
            m.put("processWallMs", wall);
            m.put("measuredMs", median(e.getValue(), "measuredMs"));
            m.put("cpuMs", median(e.getValue(), "cpuMs"));
            m.put("peakHeapBytes", median(e.getValue(), "peakHeapBytes"));
            if (e.getValue().get(0).containsKey("caughtUpMs")) m.put("caughtUpMs", median(e.getValue(), "caughtUpMs"));
            m.put("eventsPerSecond", perSecond(events, wall));
            m.put("eventsPerCpuSecond", perSecond(events, median(e.getValue(), "cpuMs")));
            medians.put(e.getKey(), m);
        }
        Map<String, Object> ratios = ratios(medians);
        List<String> disagreements = agreement();

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("at", Instant.now().toString());
        json.put("machine", machine());
        json.put("flags", Map.of("requests", flags.requests(), "rounds", flags.rounds(), "parallelism", flags.parallelism(),
                "encodings", flags.encodings(), "runs", flags.runs(), "seed", flags.seed(), "users", flags.users(),
                "extraSpans", flags.extraSpans(), "extraExperiments", flags.extraExperiments(), "streamingStates", flags.streamingStates()));
        json.put("events", events);
        json.put("kafkaRecords", kafkaRecords);
        json.put("loadMs", loadMs);
        json.put("medians", medians);
        json.put("ratios", ratios);
        json.put("agreement", disagreements.isEmpty() ? "all totals agree" : disagreements);
        json.putAll(extra);
        json.put("runs", runs);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("bench-results.json").toFile(), json);
        Files.writeString(out.resolve("bench-results.md"), markdown(medians, ratios, disagreements));
        return disagreements.isEmpty();
    }

    private Map<String, Object> ratios(Map<String, Map<String, Object>> medians) {
        Map<String, Object> r = new LinkedHashMap<>();
        Long sql = wall(medians, "Flink SQL reference otlp_json");
        for (String encoding : flags.encodings()) {
            Long batch = wall(medians, "pipeline batch " + encoding);
            Long decode = wall(medians, "decode-only " + encoding);
            Long floor = wall(medians, "Flink floor " + encoding);
            if (batch == null) continue;
            if (sql != null) r.put("batch " + encoding + " throughput / SQL reference", round2((double) sql / batch));
            if (decode != null) r.put("batch " + encoding + " throughput / decode-only", round2((double) decode / batch));
            if (floor != null) r.put("batch " + encoding + " throughput / Flink floor", round2((double) floor / batch));
            if (floor != null && decode != null) r.put("Flink floor " + encoding + " throughput / decode-only", round2((double) decode / floor));
            for (String label : medians.keySet()) {
                if (!label.startsWith("pipeline streaming " + encoding)) continue;
                r.put(label.substring("pipeline ".length()) + " time / batch time", round2((double) wall(medians, label) / batch));
            }
        }
        return r;
    }

    /** The pipeline's totals against the SQL reference's, and both encodings of the pipeline against each other. */
    private List<String> agreement() {
        List<String> problems = new ArrayList<>();
        Map<String, Object> reference = null;
        String referenceLabel = null;
        for (Map.Entry<String, List<Map<String, Object>>> e : runs.entrySet()) {
            if (e.getKey().startsWith("decode-only") || e.getKey().startsWith("Flink floor")) continue;
            for (Map<String, Object> run : e.getValue()) {
                @SuppressWarnings("unchecked")
                Map<String, Object> computed = (Map<String, Object>) run.get("computed");
                Map<String, Object> totals = new LinkedHashMap<>();
                totals.put("engagement", computed.get("engagement"));
                totals.put("sideEffects", computed.get("sideEffects"));
                if (reference == null) {
                    reference = totals;
                    referenceLabel = e.getKey();
                } else {
                    for (String part : List.of("engagement", "sideEffects")) {
                        if (!Objects.equals(reference.get(part), totals.get(part))) {
                            problems.add(part + ": " + e.getKey() + " differs from " + referenceLabel + ": " + diff(reference.get(part), totals.get(part)));
                        }
                    }
                }
            }
        }
        return problems;
    }

    @SuppressWarnings("unchecked")
    private static String diff(Object a, Object b) {
        Map<String, Object> x = (Map<String, Object>) a;
        Map<String, Object> y = (Map<String, Object>) b;
        List<String> d = new ArrayList<>();
        java.util.Set<String> keys = new java.util.TreeSet<>(x.keySet());
        keys.addAll(y.keySet());
        for (String k : keys) {
            if (!Objects.equals(x.get(k), y.get(k))) d.add(k + " " + x.get(k) + " vs " + y.get(k));
        }
        return d.size() > 6 ? d.subList(0, 6) + " and " + (d.size() - 6) + " more" : d.toString();
    }

    private String markdown(Map<String, Map<String, Object>> medians, Map<String, Object> ratios, List<String> disagreements) {
        StringBuilder md = new StringBuilder();
        md.append("## recolens bench — ").append(String.format("%,d", flags.requests())).append(" requests, ")
                .append(String.format("%,d", events)).append(" events (").append(String.format("%,d", kafkaRecords))
                .append(" Kafka records), parallelism ").append(flags.parallelism()).append(", medians of ").append(flags.rounds()).append("\n\n");
        md.append("Machine: ").append(machine()).append("\n\n");
        md.append("| run | process wall | job time | CPU | events/s | events per CPU-second | peak heap |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        medians.forEach((label, m) -> md.append(String.format("| %s | %.1f s | %.1f s%s | %.1f s | %,d | %,d | %,d MB |%n", label,
                ms(m.get("processWallMs")), ms(m.get("measuredMs")),
                m.containsKey("caughtUpMs") ? String.format(" (caught up %.1f s)", ms(m.get("caughtUpMs"))) : "",
                ms(m.get("cpuMs")), m.get("eventsPerSecond"), m.get("eventsPerCpuSecond"),
                ((Number) m.get("peakHeapBytes")).longValue() >> 20)));
        md.append("\n| ratio | value |\n|---|---|\n");
        ratios.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        if (extra.get("freshness") instanceof Map<?, ?> f) {
            md.append(String.format("| freshness at %s requests/s: lineage row visible after its event time, p50 / p99 | %s / %s ms "
                    + "(net of the %s ms event-time waits: %s / %s ms; checkpoint interval %s) |%n", f.get("rateRequestsPerSecond"),
                    f.get("rawP50Ms"), f.get("rawP99Ms"), f.get("eventTimeWaitsMs"), f.get("netP50Ms"), f.get("netP99Ms"), f.get("checkpointInterval")));
        }
        if (extra.get("hostile") instanceof Map<?, ?> h && h.get("tables") instanceof Map<?, ?> t) {
            md.append(String.format("| hostile: %,d records, job time | %.1f s (%s µs per Kafka record; ordinary records %s µs: factor %s) |%n",
                    ((Number) h.get("records")).longValue(), ((Number) h.get("jobMs")).longValue() / 1000.0,
                    h.get("jobMicrosPerRecordHostile"), h.get("jobMicrosPerRecordOrdinary"), h.get("hostileCostFactor")));
            md.append(String.format("| hostile: where the records went | %s dead letters, %s lineage rows, %s anomalies, %s exposures; peak heap %d MB |%n",
                    t.get("dead_letters_rows"), t.get("lineage_history_rows"), t.get("lineage_anomalies_rows"),
                    t.get("experiment_exposures_rows"), ((Number) h.get("peakHeapBytes")).longValue() >> 20));
        }
        md.append("\nAgreement: ").append(disagreements.isEmpty()
                ? "the pipeline's per-variant engagement and side-effect totals equal the SQL reference's in every run."
                : String.join("\n", disagreements)).append("\n");
        return md.toString();
    }

    private static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version") + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch");
    }

    private static Long wall(Map<String, Map<String, Object>> medians, String label) {
        Map<String, Object> m = medians.get(label);
        return m == null ? null : ((Number) m.get("processWallMs")).longValue();
    }

    private static long median(List<Map<String, Object>> results, String key) {
        List<Long> values = new ArrayList<>();
        for (Map<String, Object> r : results) if (r.get(key) != null) values.add(((Number) r.get(key)).longValue());
        if (values.isEmpty()) return -1;
        values.sort(null);
        return values.get(values.size() / 2);
    }

    private static long perSecond(long n, long ms) {
        return ms <= 0 ? -1 : Math.round(n * 1000.0 / ms);
    }

    private static double ms(Object v) {
        return ((Number) v).longValue() / 1000.0;
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
