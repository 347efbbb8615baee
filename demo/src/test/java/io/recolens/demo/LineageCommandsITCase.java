package io.recolens.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.demo.lineage.AuditExport;
import io.recolens.demo.lineage.ExplainCommand;
import io.recolens.demo.lineage.ExplainTree;
import io.recolens.demo.lineage.LineageExplainer;
import io.recolens.demo.lineage.ReplayCommand;
import io.recolens.demo.lineage.ReplayReport;
import io.recolens.demo.lineage.TraceReplay;
import io.recolens.connectors.iceberg.TableDefinitions;
import io.recolens.connectors.iceberg.TableReader;
import io.recolens.simulator.GroundTruth;
import io.recolens.simulator.RecordingTrafficSink;
import io.recolens.simulator.SimulatorConfig;
import io.recolens.simulator.Topic;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code explain} and {@code audit export} on a warehouse the batch job wrote from simulator traffic with lineage
 * faults: explain's JSON for sampled impressions must state exactly what the simulator served (experiments, model,
 * features and hashes, clicks) and the provenance its ground truth implies, and name the injected anomalies; the
 * audit bundle must be complete, consistent across its formats and self-contained. The job also archives its inputs:
 * the archive holds every input record, explain lists a trace's spans from it, and a replay of a trace from it equals
 * what the job recorded.
 */
class LineageCommandsITCase {
    /** The default lineage.provenance-wait: attribution.window, 30 min by default. */
    private static final long WAIT_MS = 30 * 60_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    private static GroundTruth truth;
    private static final Map<String, JsonNode> impressions = new LinkedHashMap<>();
    private static final Map<String, Set<String>> clicksByImpression = new HashMap<>();
    private static RecolensCatalog recolens;
    private static Catalog catalog;
    /** Records the simulator wrote per topic (clean traffic: every one decodes). */
    private static final Map<Topic, Integer> written = new HashMap<>();

    @BeforeAll
    static void simulateAndRunTheBatchJob() throws Exception {
        SimulatorConfig simulation = SimulatorConfig.builder().seed(11).requests(800).users(200)
                .startEpochMs(Instant.parse("2026-03-01T10:00:00Z").toEpochMilli()).clean()
                .lateLineageShare(0.2).untracedLineageShare(0.1).modelMismatchShare(0.05).corruptHashShare(0.05).build();
        RecordingTrafficSink recording = new RecordingTrafficSink();
        truth = BatchWarehouse.simulateAndRun(simulation, work, "lineage_cli", Map.of("archive.enabled", "true"), recording);
        for (Topic topic : Topic.values()) written.put(topic, recording.records(topic).size());
        for (RecordingTrafficSink.Recorded r : recording.records(Topic.IMPRESSIONS)) {
            JsonNode n = JSON.readTree(r.value());
            impressions.putIfAbsent(n.get("impression_id").asText(), n);
        }
        Set<String> beyond = new HashSet<>(truth.beyondWindowClickIds());
        for (RecordingTrafficSink.Recorded r : recording.records(Topic.CLICKS)) {
            JsonNode n = JSON.readTree(r.value());
            if (!beyond.contains(n.get("click_id").asText())) {
                clicksByImpression.computeIfAbsent(n.get("impression_id").asText(), k -> new HashSet<>()).add(n.get("click_id").asText());
            }
        }
        recolens = BatchWarehouse.catalog(work, "lineage_cli");
        catalog = recolens.open();
    }

    @AfterAll
    static void close() throws Exception {
        if (catalog instanceof AutoCloseable c) c.close();
    }

    @Test
    void explainJsonStatesTheGroundTruthForSampledImpressions() throws Exception {
        List<String> ids = new ArrayList<>(impressions.keySet());
        java.util.Collections.shuffle(ids, new Random(3));
        List<String> sample = new ArrayList<>(ids.subList(0, 25));
        // Make sure injected faults are among the samples.
        truth.lineage().modelMismatchImpressionIds().stream().filter(impressions::containsKey).limit(3).forEach(sample::add);
        truth.lineage().corruptHashImpressionIds().stream().filter(impressions::containsKey).limit(3).forEach(sample::add);
        Set<String> mismatched = new HashSet<>(truth.lineage().modelMismatchImpressionIds());
        LineageExplainer explainer = new LineageExplainer(catalog, recolens);
        int withProvenance = 0;
        int withoutProvenance = 0;
        for (String id : sample) {
            JsonNode got = JSON.readTree(ExplainCommand.json(explainer.impression(id)));
            JsonNode want = impressions.get(id);
            assertThat(got.get("impressions")).as(id).hasSize(1);
            JsonNode imp = got.get("impressions").get(0);
            assertThat(imp.get("impression_id").asText()).isEqualTo(id);
            assertThat(imp.get("trace_id").asText()).isEqualTo(want.get("trace_id").asText().toLowerCase());
            assertThat(imp.get("lineage_id").asText()).isEqualTo(want.get("lineage_id").asText());
            assertThat(Instant.parse(imp.get("served_at").asText()).toEpochMilli()).isEqualTo(time(want.get("timestamp")));
            assertThat(imp.get("model").get("name").asText()).isEqualTo(want.get("model").get("name").asText());
            assertThat(imp.get("model").get("version").asText()).isEqualTo(want.get("model").get("version").asText());
            Map<String, String> experiments = new TreeMap<>();
            imp.get("experiments").forEach(e -> {
                experiments.put(e.get("experiment").asText(), e.get("variant").asText());
                assertThat(e.get("source").asText()).isEqualTo("impression");
            });
            Map<String, String> wantExperiments = new TreeMap<>();
            want.get("experiments").fields().forEachRemaining(e -> wantExperiments.put(e.getKey(), e.getValue().asText()));
            assertThat(experiments).isEqualTo(wantExperiments);
            assertThat(imp.get("features")).hasSize(want.get("features").size());
            for (JsonNode f : imp.get("features")) {
                JsonNode served = want.get("features").get(f.get("name").asText());
                assertThat(f.get("version").asText()).isEqualTo(served.get("version").asText());
                assertThat(f.get("hash").asText()).isEqualTo(served.get("hash").asText());
                String[] provenance = provenance(want, f.get("name").asText(), f.get("version").asText());
                if (provenance == null) {
                    withoutProvenance++;
                    assertThat(f.get("pipeline_trace_id").isNull()).as(id + " " + f).isTrue();
                    assertThat(kinds(imp)).contains("missing_ancestry");
                } else {
                    withProvenance++;
                    assertThat(f.get("pipeline_trace_id").asText()).as(id + " " + f).isEqualTo(provenance[0]);
                    assertThat(f.get("source").asText()).isEqualTo(provenance[1]);
                    assertThat(Instant.parse(f.get("produced_at").asText()).toEpochMilli()).isEqualTo(Long.parseLong(provenance[2]));
                }
            }
            Set<String> clicks = new HashSet<>();
            imp.get("clicks").forEach(c -> clicks.add(c.get("click_id").asText()));
            assertThat(clicks).as(id).isEqualTo(clicksByImpression.getOrDefault(id, Set.of()));
            assertThat(kinds(imp).contains("model_version_mismatch")).as(id).isEqualTo(mismatched.contains(id));
            assertThat(imp.get("trace").get("span_count").asInt()).isPositive();
        }
        assertThat(withProvenance).isPositive();
        assertThat(withoutProvenance).isPositive();
    }

    @Test
    void explainByTraceAndAsATree() throws Exception {
        String id = impressions.keySet().iterator().next();
        String trace = impressions.get(id).get("trace_id").asText().toLowerCase();
        LineageExplainer explainer = new LineageExplainer(catalog, recolens);
        Map<String, Object> byTrace = explainer.trace(trace);
        assertThat((List<?>) byTrace.get("impressions")).hasSize(1);
        String tree = ExplainTree.render(byTrace);
        assertThat(tree).contains("trace " + trace, "impression " + id, "experiments", "features", "trace summary", "clicks:");

        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            ExplainCommand.main(new String[] {"--impression", id, "--format", "json", "--catalog.warehouse",
                    work.resolve("warehouse").toString(), "--catalog.namespace", "lineage_cli"});
        } finally {
            System.setOut(original);
        }
        assertThat(JSON.readTree(captured.toByteArray()).get("impressions").get(0).get("impression_id").asText()).isEqualTo(id);
    }

    @Test
    void auditBundleIsCompleteConsistentAndSelfContained() throws Exception {
        Path out = work.resolve("audit");
        Instant from = Instant.parse("2026-03-01T00:00:00Z");
        Instant to = Instant.parse("2026-03-02T00:00:00Z");
        new AuditExport(catalog, recolens).write("rec_algorithm_v3", from, to, out);
        for (String section : List.of("assignments", "exposures", "completeness", "anomalies", "configuration")) {
            JsonNode rows = JSON.readTree(out.resolve(section + ".json").toFile());
            assertThat(rows.size()).as(section).isPositive();
            List<String> csv = Files.readAllLines(out.resolve(section + ".csv"));
            assertThat(csv).as(section + ".csv: header plus one line per row (no field spans lines here)")
                    .hasSize(rows.size() + 1);
        }
        JsonNode assignments = JSON.readTree(out.resolve("assignments.json").toFile());
        JsonNode exposures = JSON.readTree(out.resolve("exposures.json").toFile());
        long units = 0;
        for (JsonNode a : assignments) units += a.get("units").asLong();
        assertThat(units).isEqualTo(exposures.size());
        long impressionsInCompleteness = 0;
        for (JsonNode c : JSON.readTree(out.resolve("completeness.json").toFile())) impressionsInCompleteness += c.get("impressions").asLong();
        assertThat(impressionsInCompleteness).isEqualTo(impressions.size());
        JsonNode configuration = JSON.readTree(out.resolve("configuration.json").toFile());
        assertThat(configuration.findValuesAsText("key")).contains("lineage.provenance-wait", "attribution.window", "mode");
        assertThat(configuration.toString()).doesNotContain("secret");
        String html = Files.readString(out.resolve("report.html"));
        assertThat(html).startsWith("<!DOCTYPE html>").contains("rec_algorithm_v3", "completeness", "missing_ancestry")
                .doesNotContain("<script", "http://", "https://", "src=", "<link");
        JsonNode manifest = JSON.readTree(out.resolve("manifest.json").toFile());
        assertThat(manifest.get("files")).hasSize(11);
    }

    @Test
    void theArchiveHoldsEveryDecodedInputRecord() {
        Map<String, Integer> archived = new TreeMap<>();
        for (String table : TableDefinitions.ARCHIVE_TABLES) {
            archived.put(table, TableReader.readAll(catalog, recolens.tableId(table)).size());
        }
        System.out.printf("archived %s; simulator wrote %s, %d spans%n", archived, written, truth.totals().spans());
        assertThat(archived.get(TableDefinitions.RAW_IMPRESSIONS)).isEqualTo(written.get(Topic.IMPRESSIONS));
        assertThat(archived.get(TableDefinitions.RAW_CLICKS)).isEqualTo(written.get(Topic.CLICKS));
        assertThat(archived.get(TableDefinitions.RAW_SPANS)).isEqualTo(truth.totals().spans());
        assertThat(TableReader.readAll(catalog, recolens.tableId(TableDefinitions.RAW_IMPRESSIONS)))
                .allSatisfy(r -> assertThat((String) r.getField("unit_key")).matches("[0-9a-f]{32}"));
    }

    @Test
    void explainListsEverySpanOfTheTraceWithItsTiming() throws Exception {
        String id = impressions.keySet().iterator().next();
        String trace = impressions.get(id).get("trace_id").asText().toLowerCase();
        JsonNode imp = JSON.readTree(ExplainCommand.json(new LineageExplainer(catalog, recolens).trace(trace))).get("impressions").get(0);
        JsonNode spans = imp.get("spans");
        assertThat(spans).hasSize(imp.get("trace").get("span_count").asInt());
        assertThat(imp.has("spans_note")).isFalse();
        assertThat(spans.get(0).get("start_offset_ms").asLong()).isZero();
        long errors = 0;
        for (JsonNode span : spans) {
            assertThat(span.get("start_offset_ms").asLong()).isNotNegative();
            assertThat(span.get("service").asText()).isNotBlank();
            assertThat(span.get("duration_micros").asLong()).isNotNegative();
            if (span.get("error").asBoolean()) errors++;
        }
        assertThat(errors).isEqualTo(imp.get("trace").get("error_count").asLong());
        assertThat(spans.findValues("depth")).anySatisfy(d -> assertThat(d.asInt()).isZero()).anySatisfy(d -> assertThat(d.asInt()).isPositive());
        String tree = ExplainTree.render(new LineageExplainer(catalog, recolens).trace(trace));
        assertThat(tree).contains("spans: " + spans.size() + " (start offset, duration)", spans.get(0).get("name").asText());
    }

    @Test
    @SuppressWarnings("unchecked")
    void replayOfATraceEqualsTheRecordedRowsAndMarksWhatItCannotSee() throws Exception {
        Set<String> corrupt = new HashSet<>(truth.lineage().corruptHashImpressionIds());
        List<String> traces = new ArrayList<>();
        // A clicked impression, a model-version mismatch and a plain one; none whose finding needs another trace.
        impressions.keySet().stream().filter(i -> clicksByImpression.containsKey(i) && !corrupt.contains(i)).findFirst().ifPresent(traces::add);
        truth.lineage().modelMismatchImpressionIds().stream().filter(i -> impressions.containsKey(i) && !corrupt.contains(i)).findFirst()
                .ifPresent(traces::add);
        impressions.keySet().stream().filter(i -> !corrupt.contains(i) && !traces.contains(i)).findFirst().ifPresent(traces::add);
        assertThat(traces).hasSize(3);
        for (String impression : traces) {
            String trace = impressions.get(impression).get("trace_id").asText().toLowerCase();
            long start = System.nanoTime();
            Map<String, Object> replay = new TraceReplay(catalog, recolens, Map.of()).replay(trace);
            System.out.printf("replay of trace %s: %d ms%n", trace, (System.nanoTime() - start) / 1_000_000);
            assertThat(replay.get("matches")).as(ReplayReport.render(replay)).isEqualTo(true);
            List<Map<String, Object>> rows = (List<Map<String, Object>>) replay.get("impressions");
            assertThat(rows).singleElement().satisfies(r -> {
                assertThat(r.get("impression_id")).isEqualTo(impression);
                assertThat(r.get("status")).isEqualTo("match");
            });
        }

        // A corrupted hash is found by comparing two traces' impressions: a replay of one trace cannot see it, and says so.
        String corrupted = truth.lineage().corruptHashImpressionIds().stream().filter(impressions::containsKey)
                .filter(i -> kindsRecorded(i).contains("feature_hash_mismatch")).findFirst().orElseThrow();
        String trace = impressions.get(corrupted).get("trace_id").asText().toLowerCase();
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = ReplayCommand.run(new String[] {"--trace", trace, "--format", "json", "--catalog.warehouse",
                    work.resolve("warehouse").toString(), "--catalog.namespace", "lineage_cli"});
        } finally {
            System.setOut(original);
        }
        JsonNode json = JSON.readTree(captured.toByteArray());
        assertThat(exit).isEqualTo(3);
        assertThat(json.get("matches").asBoolean()).isFalse();
        assertThat(json.get("anomalies").get("only_recorded").toString()).contains("feature_hash_mismatch");
        assertThat(json.get("anomalies").get("only_replayed")).isEmpty();
    }

    private static List<String> kindsRecorded(String impression) {
        return kinds(new ObjectMapper().valueToTree(new LineageExplainer(catalog, recolens).impression(impression)).get("impressions").get(0));
    }

    private static List<String> kinds(JsonNode imp) {
        List<String> kinds = new ArrayList<>();
        imp.get("anomalies").forEach(a -> kinds.add(a.get("kind").asText()));
        return kinds;
    }

    /** trace ID, source and end of the ground-truth step that describes the feature, or null; the job's default wait. */
    private static String[] provenance(JsonNode impression, String feature, String version) {
        long servedAt = time(impression.get("timestamp"));
        GroundTruth.ProvenanceStep best = null;
        String bestTrace = null;
        for (GroundTruth.ProvenanceRun run : truth.lineage().runs()) {
            if (!run.lineageId().equals(impression.get("lineage_id").asText())) continue;
            for (GroundTruth.ProvenanceStep step : run.steps()) {
                if (!step.feature().equals(feature) || !step.version().equals(version) || step.startMs() > servedAt + WAIT_MS) continue;
                boolean before = step.endMs() <= servedAt;
                boolean bestBefore = best != null && best.endMs() <= servedAt;
                if (best == null || (before && (!bestBefore || step.endMs() > best.endMs())) || (!before && !bestBefore && step.endMs() < best.endMs())) {
                    best = step;
                    bestTrace = run.traceId();
                }
            }
        }
        return best == null ? null : new String[] {bestTrace, best.source(), String.valueOf(best.endMs())};
    }

    private static long time(JsonNode n) {
        return n.isNumber() ? n.asLong() : Instant.parse(n.asText()).toEpochMilli();
    }
}
