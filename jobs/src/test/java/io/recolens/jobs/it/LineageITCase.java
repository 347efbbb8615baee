package io.recolens.jobs.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.connectors.iceberg.TableReader;
import io.recolens.jobs.RecolensJob;
import io.recolens.jobs.config.ConfigReader;
import io.recolens.jobs.config.JobSettings;
import io.recolens.jobs.pipeline.IcebergOutputs;
import io.recolens.simulator.GroundTruth;
import io.recolens.simulator.KafkaTrafficSink;
import io.recolens.simulator.RecordingTrafficSink;
import io.recolens.simulator.SimulatorConfig;
import io.recolens.simulator.Topic;
import io.recolens.simulator.TrafficSimulator;
import io.recolens.simulator.TeeTrafficSink;
import io.recolens.testkit.EmbeddedKafka;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Join 3 end to end, in streaming and in batch: simulator traffic whose provenance runs come before the traffic
 * (stable, canary) and after impressions that reference them (the late lineage), a lineage no run describes, and
 * injected model-version mismatches and corrupted hashes, through Kafka into the job and Iceberg. Every feature of
 * every impression must carry exactly the provenance the ground truth implies, and every lineage anomaly and the
 * completeness per variant must have exactly the expected counts.
 */
class LineageITCase {
    private static final long ATTRIBUTION_WINDOW_MS = 30 * 60_000L;
    private static final long WAIT_MS = 60_000L;
    private static final long STALE_AFTER_MS = 110 * 60_000L;
    private static final String SECRET = "integration-test-secret-0123456789";
    private static final String LATE_LINEAGE = "lin-ranker-3.4.0-fs-v14";

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    static Path warehouse;

    private static EmbeddedKafka kafka;
    private static GroundTruth truth;
    private static LineageExpectations expected;
    private static final Map<String, String> ran = new HashMap<>();

    @BeforeAll
    static void produceTraffic() throws Exception {
        kafka = EmbeddedKafka.start();
        kafka.createTopics(2, "reco.impressions", "reco.clicks", "otlp_spans");
        RecordingTrafficSink recording = new RecordingTrafficSink();
        // 1500 requests take 7.5 s of simulated time; the late run's first step starts 63.75 s after the start, so
        // with a 60 s wait it counts for the impressions of the second half only, its second step for none.
        SimulatorConfig config = SimulatorConfig.builder().seed(7).requests(1500).users(300)
                .startEpochMs(System.currentTimeMillis() - 3_600_000L).attributionWindowMs(ATTRIBUTION_WINDOW_MS)
                .clean().duplicateShare(0.02).lateShare(0.02).lostImpressionShare(0.01)
                .lateLineageShare(0.2).untracedLineageShare(0.1).lateLineageRunOffsetMs(57_750)
                .modelMismatchShare(0.03).corruptHashShare(0.03).build();
        try (KafkaTrafficSink toKafka = new KafkaTrafficSink(kafka.bootstrapServers(), KafkaTrafficSink.Topics.defaults())) {
            truth = new TrafficSimulator().run(config, new TeeTrafficSink(List.of(toKafka, recording)));
        }
        List<byte[]> impressions = new ArrayList<>();
        recording.records(Topic.IMPRESSIONS).forEach(r -> impressions.add(r.value()));
        expected = LineageExpectations.compute(impressions, truth, WAIT_MS, STALE_AFTER_MS);
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) kafka.close();
    }

    @Test
    void theTrafficExercisesEveryCase() {
        assertThat(expected.served).hasSizeGreaterThan(1400);
        assertThat(expected.missingAncestry).as("untraced lineage, late second step").isGreaterThan(300);
        assertThat(expected.stale).as("stable lineage's features").isGreaterThan(500);
        long afterImpression = expected.served.values().stream()
                .filter(s -> s.lineageId().equals(LATE_LINEAGE))
                .filter(s -> expected.provenance.get(s.impressionId()).values().stream().anyMatch(x -> x.pipelineTraceId() != null))
                .count();
        long lateWithout = expected.served.values().stream().filter(s -> s.lineageId().equals(LATE_LINEAGE)).count() - afterImpression;
        assertThat(afterImpression).as("provenance that came after its impressions").isGreaterThan(50);
        assertThat(lateWithout).as("late lineage served before the wait reaches its run").isGreaterThan(50);
        assertThat(expected.modelMismatches).isGreaterThan(10);
        assertThat(expected.hashMismatches).hasSizeGreaterThan(10);
    }

    @ParameterizedTest
    @ValueSource(strings = {"streaming", "batch"})
    void everyFeatureCarriesExactlyTheProvenanceOfTheGroundTruth(String mode) throws Exception {
        String ns = runJob(mode);
        List<Record> rows = read(ns, IcebergOutputs.LINEAGE_HISTORY);
        assertThat(rows).hasSize(expected.served.size());
        for (Record row : rows) {
            String id = (String) row.getField("impression_id");
            Map<String, LineageExpectations.Expected> want = expected.provenance.get(id);
            @SuppressWarnings("unchecked")
            List<Record> features = (List<Record>) row.getField("features");
            assertThat(features).as(id).hasSize(want.size());
            for (Record f : features) {
                OffsetDateTime producedAt = (OffsetDateTime) f.getField("produced_at");
                LineageExpectations.Expected got = new LineageExpectations.Expected((String) f.getField("source"),
                        (String) f.getField("pipeline_trace_id"), producedAt == null ? null : producedAt.toInstant().toEpochMilli());
                assertThat(got).as(id + " " + f.getField("name")).isEqualTo(want.get((String) f.getField("name")));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"streaming", "batch"})
    void eachLineageAnomalyKindHasExactlyTheExpectedCount(String mode) throws Exception {
        String ns = runJob(mode);
        Map<String, List<Record>> byKind = read(ns, IcebergOutputs.LINEAGE_ANOMALIES).stream()
                .collect(Collectors.groupingBy(r -> (String) r.getField("kind")));
        assertThat(byKind.getOrDefault("missing_ancestry", List.of())).hasSize((int) expected.missingAncestry);
        assertThat(byKind.getOrDefault("stale_feature", List.of())).hasSize((int) expected.stale);
        assertThat(ids(byKind.getOrDefault("model_version_mismatch", List.of())))
                .hasSize((int) expected.modelMismatches)
                .isSubsetOf(truth.lineage().modelMismatchImpressionIds());
        List<Record> hashFindings = byKind.getOrDefault("feature_hash_mismatch", List.of());
        assertThat(hashFindings).hasSize(expected.hashMismatches.size());
        assertThat(hashFindings.stream().map(r -> r.getField("impression_id") + "|" + featureOf((String) r.getField("detail")))
                .collect(Collectors.toSet())).isEqualTo(expected.hashMismatches);
        // Every finding names its impression and lineage.
        for (String kind : List.of("missing_ancestry", "stale_feature", "model_version_mismatch", "feature_hash_mismatch")) {
            assertThat(byKind.get(kind)).as(kind).allSatisfy(r -> {
                assertThat(r.getField("impression_id")).isNotNull();
                assertThat(r.getField("lineage_id")).isNotNull();
            });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"streaming", "batch"})
    void completenessPerVariantAddsUpToTheGroundTruth(String mode) throws Exception {
        String ns = runJob(mode);
        Map<String, long[]> got = new TreeMap<>();
        for (Record r : read(ns, IcebergOutputs.LINEAGE_COMPLETENESS)) {
            String key = ((java.time.LocalDate) r.getField("day")).toEpochDay() + "|" + r.getField("experiment") + "=" + r.getField("variant");
            long[] acc = got.computeIfAbsent(key, k -> new long[5]);
            String[] measures = {"impressions", "complete_impressions", "features", "features_with_ancestry", "stale_features"};
            for (int i = 0; i < measures.length; i++) acc[i] += ((Number) r.getField(measures[i])).longValue();
        }
        assertThat(got.keySet()).isEqualTo(expected.completeness.keySet());
        expected.completeness.forEach((key, counts) -> assertThat(got.get(key)).as(key).containsExactly(counts));
    }

    /** The feature a finding's detail names ("feature NAME@VERSION ..."). */
    private static String featureOf(String detail) {
        return detail.substring("feature ".length(), detail.indexOf('@'));
    }

    private static Set<String> ids(List<Record> rows) {
        return rows.stream().map(r -> (String) r.getField("impression_id")).collect(Collectors.toSet());
    }

    private static synchronized String runJob(String mode) throws Exception {
        String namespace = "lineage_" + mode;
        if (ran.containsKey(mode)) return namespace;
        Map<String, String> config = new HashMap<>();
        config.put("mode", mode);
        config.put("kafka.bootstrap-servers", kafka.bootstrapServers());
        config.put("kafka.group-id", "lineage-" + mode);
        config.put("kafka.starting-offsets", "earliest");
        config.put("kafka.stopping-offsets", "latest");
        config.put("trace.gap", "10 s");
        config.put("watermark.out-of-orderness", "5 min");
        config.put("checkpoint.interval", "1 s");
        config.put("lineage.provenance-wait", WAIT_MS / 1000 + " s");
        config.put("lineage.stale-after", STALE_AFTER_MS / 60_000 + " min");
        config.put("lineage.salts", "4");
        config.put("catalog.warehouse", warehouse.toString());
        config.put("catalog.namespace", namespace);
        JobSettings settings = JobSettings.from(ConfigReader.fromMap(config), Map.of("RECOLENS_UNIT_KEY_SECRET", SECRET));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        long started = System.nanoTime();
        RecolensJob.run(settings, env);
        System.out.printf("lineage %s run took %d ms%n", mode, (System.nanoTime() - started) / 1_000_000);
        ran.put(mode, namespace);
        return namespace;
    }

    private static List<Record> read(String namespace, String table) {
        RecolensCatalog catalog = RecolensCatalog.fromProperties(Map.of("warehouse", warehouse.toString(), "namespace", namespace));
        Catalog c = catalog.open();
        return TableReader.readAll(c, TableIdentifier.of(catalog.namespace(), table));
    }
}
