package io.recolens.jobs.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.recolens.connectors.decode.UnitKeys;
import io.recolens.connectors.decode.UserIdScrubber;
import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.connectors.iceberg.TableReader;
import io.recolens.jobs.RecolensJob;
import io.recolens.jobs.config.ConfigReader;
import io.recolens.jobs.config.JobSettings;
import io.recolens.jobs.pipeline.IcebergOutputs;
import io.recolens.simulator.FileTrafficSink;
import io.recolens.simulator.GroundTruth;
import io.recolens.simulator.KafkaTrafficSink;
import io.recolens.simulator.RecordingTrafficSink;
import io.recolens.simulator.SimulatorConfig;
import io.recolens.simulator.Topic;
import io.recolens.simulator.TrafficSimulator;
import io.recolens.simulator.TeeTrafficSink;
import io.recolens.testkit.EmbeddedKafka;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline on real parts: simulator traffic (with its injected duplicates, late and malformed
 * records) plus hand-made bad records go through an in-process KRaft broker into the job on a MiniCluster,
 * once in streaming and once in batch mode, into a hadoop-catalog Iceberg warehouse on disk.
 */
class PipelineITCase {
    private static final long ATTRIBUTION_WINDOW_MS = 30 * 60_000L;
    private static final String SECRET = "integration-test-secret-0123456789";

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    static Path warehouse;

    @TempDir
    static Path inputFiles;

    private static EmbeddedKafka kafka;
    private static GroundTruth truth;
    private static final List<byte[]> goodImpressions = new ArrayList<>();
    private static final List<byte[]> goodClicks = new ArrayList<>();
    private static final List<byte[]> goodSpans = new ArrayList<>();
    private static final List<byte[]> badRecords = new ArrayList<>();
    private static final Map<String, Boolean> ran = new HashMap<>();

    @BeforeAll
    static void produceTraffic() throws Exception {
        kafka = EmbeddedKafka.start();
        kafka.createTopics(2, "reco.impressions", "reco.clicks", "otlp_spans");
        RecordingTrafficSink recording = new RecordingTrafficSink();
        SimulatorConfig config = SimulatorConfig.builder().seed(42).requests(1500).users(300)
                .startEpochMs(System.currentTimeMillis() - 3_600_000L).attributionWindowMs(ATTRIBUTION_WINDOW_MS).build();
        try (KafkaTrafficSink toKafka = new KafkaTrafficSink(kafka.bootstrapServers(), KafkaTrafficSink.Topics.defaults());
             FileTrafficSink toFiles = new FileTrafficSink(inputFiles, config.spanEncoding())) {
            truth = new TrafficSimulator().run(config, new TeeTrafficSink(List.of(toKafka, toFiles, recording)));
        }
        for (RecordingTrafficSink.Recorded r : recording.all()) {
            if (truth.isMalformed(r.topic(), r.index())) {
                badRecords.add(r.value());
            } else if (r.topic() == Topic.IMPRESSIONS) {
                goodImpressions.add(r.value());
            } else if (r.topic() == Topic.CLICKS) {
                goodClicks.add(r.value());
            } else {
                goodSpans.add(r.value());
            }
        }
        produceHandMadeBadRecords(goodSpans.get(0));
        assertThat(truth.malformed()).isNotEmpty();
    }

    private static void produceHandMadeBadRecords(byte[] realSpanMessage) {
        long now = System.currentTimeMillis();
        String valid = "{\"impression_id\":\"%s\",\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"user_id\":\"u-bad\","
                + "\"timestamp\":%s,\"experiments\":{\"rec_algorithm_v3\":\"hybrid\"},\"items\":[{\"item_id\":\"c-1\",\"position\":0,\"score\":0.5}]%s}";
        Map<String, List<byte[]>> bad = new LinkedHashMap<>();
        bad.put("reco.impressions", List.of(
                "{\"impression_id\": \"broken-1\", \"trace_id\": ".getBytes(StandardCharsets.UTF_8),
                randomBytes(1, 64),
                "{\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"timestamp\":1}".getBytes(StandardCharsets.UTF_8),
                // Over a hard record limit: more experiments than limits.record.experiments (64). (A baggage header over
                // the W3C limits is no longer a dead letter: it is read within the limits and the rest reported.)
                tooManyExperiments(now).getBytes(StandardCharsets.UTF_8),
                String.format(valid, "bad-time-1970", "0", "").getBytes(StandardCharsets.UTF_8),
                String.format(valid, "bad-time-9999", "\"9999-01-01T00:00:00Z\"", "").getBytes(StandardCharsets.UTF_8),
                String.format(valid, "bad-time-negative", "-5", "").getBytes(StandardCharsets.UTF_8)));
        bad.put("reco.clicks", List.of(
                "not json at all".getBytes(StandardCharsets.UTF_8),
                "{\"click_id\":\"c-no-impression-field\",\"timestamp\":1700000000000}".getBytes(StandardCharsets.UTF_8)));
        bad.put("otlp_spans", List.of(
                Arrays.copyOf(realSpanMessage, realSpanMessage.length / 2),
                randomBytes(2, 300)));
        Properties props = kafka.clientProperties();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            bad.forEach((topic, values) -> values.forEach(v -> {
                producer.send(new ProducerRecord<>(topic, v));
                badRecords.add(v);
            }));
            producer.flush();
        }
    }

    private static String tooManyExperiments(long now) {
        StringBuilder experiments = new StringBuilder();
        for (int i = 0; i < 100; i++) experiments.append(i == 0 ? "" : ",").append("\"exp_").append(i).append("\":\"a\"");
        return "{\"impression_id\":\"bad-experiments\",\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"user_id\":\"u-bad\","
                + "\"timestamp\":" + now + ",\"experiments\":{" + experiments + "},\"items\":[{\"item_id\":\"c-1\"}]}";
    }

    private static byte[] randomBytes(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        b[0] = (byte) 0xFF;
        return b;
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) kafka.close();
    }

    /** Runs the production job (Kafka in, Iceberg out) once per mode into its own namespace. */
    private static String runJob(String mode) throws Exception {
        return runJob(mode, Map.of("mode", mode, "kafka.bootstrap-servers", kafka.bootstrapServers(), "kafka.group-id", "it-" + mode,
                "kafka.starting-offsets", "earliest", "kafka.stopping-offsets", "latest"));
    }

    /** Out-of-orderness of the real-lateness run: below the simulator's lateness, so records do arrive late. */
    private static final String LATE_RUN_OUT_OF_ORDERNESS = "20 s";

    private static synchronized String runJob(String name, Map<String, String> inputs) throws Exception {
        String namespace = "it_" + name;
        if (ran.containsKey(name)) return namespace;
        Map<String, String> config = new HashMap<>(inputs);
        config.put("trace.gap", "10 s");
        config.put("watermark.out-of-orderness", "5 min");
        config.putAll(inputs);
        config.put("checkpoint.interval", "1 s");
        config.put("catalog.warehouse", warehouse.toString());
        config.put("catalog.namespace", namespace);
        JobSettings settings = JobSettings.from(ConfigReader.fromMap(config), Map.of("RECOLENS_UNIT_KEY_SECRET", SECRET));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        RecolensJob.run(settings, env);
        ran.put(name, true);
        return namespace;
    }

    private static List<Record> read(String namespace, String table) {
        RecolensCatalog catalog = RecolensCatalog.fromProperties(Map.of("warehouse", warehouse.toString(), "namespace", namespace));
        Catalog c = catalog.open();
        return TableReader.readAll(c, TableIdentifier.of(catalog.namespace(), table));
    }

    @Test
    void streamingJobWritesExactlyTheCountsOfTheGeneratedTraffic() throws Exception {
        String ns = runJob("streaming");
        ReferenceCounts expected = ReferenceCounts.compute(goodImpressions, goodClicks, goodSpans, ATTRIBUTION_WINDOW_MS);
        assertThat(expected.impressionIds).hasSizeGreaterThan(1000);
        assertThat(expected.engagement).containsKeys("rec_algorithm_v3=control", "rec_algorithm_v3=collaborative",
                "rec_algorithm_v3=hybrid", "ranking_boost_v2=control", "ranking_boost_v2=recency_boost");
        assertThat(expected.engagement.values()).allSatisfy(c -> assertThat(c[ReferenceCounts.CLICKS]).isPositive());
        assertThat(expected.spans).isNotEmpty();
        System.out.printf("reference: %d impressions, per variant %s%n", expected.impressionIds.size(),
                expected.engagement.entrySet().stream().map(e -> e.getKey() + "=" + Arrays.toString(e.getValue())).toList());

        Map<String, long[]> engagement = sumBy(read(ns, IcebergOutputs.VARIANT_ENGAGEMENT),
                r -> r.getField("experiment") + "=" + r.getField("variant"), "impressions", "item_impressions", "clicks");
        assertThat(engagement.keySet()).isEqualTo(expected.engagement.keySet());
        expected.engagement.forEach((key, counts) -> assertThat(engagement.get(key)).as(key).containsExactly(counts));

        Map<String, long[]> unitDaily = sumBy(read(ns, IcebergOutputs.EXPERIMENT_UNIT_DAILY),
                r -> r.getField("experiment") + "=" + r.getField("variant"), "impressions", "item_impressions", "clicks");
        expected.engagement.forEach((key, counts) -> assertThat(unitDaily.get(key)).as(key).containsExactly(counts));

        Map<String, Long> exposures = read(ns, IcebergOutputs.EXPERIMENT_EXPOSURES).stream()
                .collect(Collectors.groupingBy(r -> r.getField("experiment") + "=" + r.getField("variant"), TreeMap::new, Collectors.counting()));
        expected.units.forEach((key, users) -> assertThat(exposures.get(key)).as(key).isEqualTo(users.size()));

        Map<String, long[]> sideEffects = sumBy(read(ns, IcebergOutputs.VARIANT_SIDE_EFFECTS),
                r -> r.getField("experiment") + "=" + r.getField("variant"), "span_count");
        expected.spans.forEach((key, n) -> assertThat(sideEffects.get(key)[0]).as(key).isEqualTo(n));

        List<Record> lineage = read(ns, IcebergOutputs.LINEAGE_HISTORY);
        assertThat(lineage).hasSize(expected.impressionIds.size());
        assertThat(lineage.stream().map(r -> (String) r.getField("impression_id")).collect(Collectors.toSet()))
                .isEqualTo(expected.impressionIds);

        // The simulator's injected effect is visible: hybrid lifts CTR.
        long[] hybrid = engagement.get("rec_algorithm_v3=hybrid");
        long[] control = engagement.get("rec_algorithm_v3=control");
        assertThat((double) hybrid[2] / hybrid[0]).isGreaterThan((double) control[2] / control[0]);
    }

    @Test
    void everyBadRecordIsADeadLetterAndNothingElseIs() throws Exception {
        String ns = runJob("streaming");
        List<Record> deadLetters = read(ns, IcebergOutputs.DEAD_LETTERS);
        List<ByteBuffer> raws = deadLetters.stream().map(r -> (ByteBuffer) r.getField("raw")).toList();
        // Raw bytes are kept with user IDs replaced by unit keys (docs/privacy.md): JSON rewritten, protobuf masked.
        UserIdScrubber scrubber = new UserIdScrubber(new UnitKeys(SECRET));
        for (byte[] bad : badRecords) {
            byte[] json = scrubber.json(bad).bytes();
            byte[] proto = scrubber.proto(bad).bytes();
            List<byte[]> expected = new ArrayList<>();
            expected.add(Arrays.copyOf(json, Math.min(json.length, 4096)));
            if (proto != null) expected.add(Arrays.copyOf(proto, Math.min(proto.length, 4096)));
            assertThat(raws).as("dead letter for %s", new String(bad, 0, Math.min(bad.length, 60), StandardCharsets.UTF_8))
                    .anySatisfy(raw -> assertThat(expected).anySatisfy(e -> assertThat(bytes(raw)).isEqualTo(e)));
        }
        assertThat(raws).noneSatisfy(raw -> assertThat(new String(bytes(raw), StandardCharsets.UTF_8)).containsPattern("\"user_id\"\\s*:\\s*\"u-"));
        assertThat(badRecords).hasSizeGreaterThan(11);
        assertThat(deadLetters).hasSize(badRecords.size());
        assertThat(deadLetters).allSatisfy(r -> assertThat((String) r.getField("error")).isNotBlank());
    }

    @Test
    void batchAndStreamingAgreeOnEverySumAndLineageRow() throws Exception {
        String stream = runJob("streaming");
        String batch = runJob("batch");
        assertSameSums(stream, batch, IcebergOutputs.VARIANT_ENGAGEMENT, List.of("window_start", "experiment", "variant", "surface", "segment"),
                "impressions", "item_impressions", "clicks", "clicked_impressions");
        assertSameSums(stream, batch, IcebergOutputs.EXPERIMENT_UNIT_DAILY, List.of("day", "experiment", "variant", "unit_key"),
                "impressions", "item_impressions", "clicks", "clicked_impressions");
        List<Record> unitRows = read(batch, IcebergOutputs.EXPERIMENT_UNIT_DAILY);
        assertThat(unitRows.stream().map(r -> r.getField("day") + "|" + r.getField("experiment") + "|" + r.getField("variant") + "|" + r.getField("unit_key")).distinct().count())
                .as("batch writes one experiment_unit_daily row per key").isEqualTo(unitRows.size());
        assertSameSums(stream, batch, IcebergOutputs.VARIANT_SIDE_EFFECTS, List.of("window_start", "experiment", "variant", "service", "operation"),
                "span_count", "error_count", "duration_sum_micros", "db_calls", "db_time_micros", "cache_hits", "cache_misses");
        assertThat(histograms(stream)).isEqualTo(histograms(batch));
        assertThat(rowsAsStrings(stream, IcebergOutputs.EXPERIMENT_EXPOSURES)).isEqualTo(rowsAsStrings(batch, IcebergOutputs.EXPERIMENT_EXPOSURES));
        assertThat(rowsAsStrings(stream, IcebergOutputs.LINEAGE_HISTORY)).isEqualTo(rowsAsStrings(batch, IcebergOutputs.LINEAGE_HISTORY));
        assertThat(read(stream, IcebergOutputs.DEAD_LETTERS)).hasSameSizeAs(read(batch, IcebergOutputs.DEAD_LETTERS));
        assertThat(countBy(read(stream, IcebergOutputs.LINEAGE_ANOMALIES), "kind")).isEqualTo(countBy(read(batch, IcebergOutputs.LINEAGE_ANOMALIES), "kind"));
    }

    /**
     * Real lateness: the simulator delays some records by up to {@code maxLatenessMs} (2 min), far more than this
     * run's out-of-orderness (20 s) plus trace gap, so late impressions, spans and clicks reach closed traces and
     * attributed impressions. All of them are within {@code lateness.allowed} (10 min): the policy says they update
     * their trace, so every sum and every lineage row equals batch, which sees no lateness. The only difference
     * allowed is a {@code span_without_impression} finding for a trace whose impression came late, and it must be
     * exactly such a trace.
     */
    @Test
    void streamingWithRealLatenessAgreesWithBatchOnEverySum() throws Exception {
        assertThat(truth.late().values().stream().mapToInt(Integer::intValue).sum()).as("the simulator made records late").isPositive();
        String late = runJob("streaming_late", Map.of("mode", "streaming", "kafka.bootstrap-servers", kafka.bootstrapServers(),
                "kafka.group-id", "it-streaming-late", "kafka.starting-offsets", "earliest", "kafka.stopping-offsets", "latest",
                "watermark.out-of-orderness", LATE_RUN_OUT_OF_ORDERNESS));
        String batch = runJob("batch");
        assertSameSums(late, batch, IcebergOutputs.VARIANT_ENGAGEMENT, List.of("window_start", "experiment", "variant", "surface", "segment"),
                "impressions", "item_impressions", "clicks", "clicked_impressions");
        assertSameSums(late, batch, IcebergOutputs.EXPERIMENT_UNIT_DAILY, List.of("day", "experiment", "variant", "unit_key"),
                "impressions", "item_impressions", "clicks", "clicked_impressions");
        assertSameSums(late, batch, IcebergOutputs.VARIANT_SIDE_EFFECTS, List.of("window_start", "experiment", "variant", "service", "operation"),
                "span_count", "error_count", "duration_sum_micros", "db_calls", "db_time_micros", "cache_hits", "cache_misses");
        assertThat(histograms(late)).isEqualTo(histograms(batch));
        assertThat(rowsAsStrings(late, IcebergOutputs.LINEAGE_HISTORY)).isEqualTo(rowsAsStrings(batch, IcebergOutputs.LINEAGE_HISTORY));
        assertThat(rowsAsStrings(late, IcebergOutputs.EXPERIMENT_EXPOSURES)).isEqualTo(rowsAsStrings(batch, IcebergOutputs.EXPERIMENT_EXPOSURES));

        List<Record> lateAnomalies = read(late, IcebergOutputs.LINEAGE_ANOMALIES);
        assertThat(lateAnomalies).as("nothing was later than lateness.allowed").noneSatisfy(r -> assertThat(r.getField("kind")).isEqualTo("late_record"));
        Map<String, Long> lateKinds = countBy(lateAnomalies, "kind");
        Map<String, Long> batchKinds = countBy(read(batch, IcebergOutputs.LINEAGE_ANOMALIES), "kind");
        Set<String> tracesWithImpressions = read(batch, IcebergOutputs.LINEAGE_HISTORY).stream()
                .map(r -> (String) r.getField("trace_id")).collect(Collectors.toSet());
        Set<String> batchSpansWithoutImpression = read(batch, IcebergOutputs.LINEAGE_ANOMALIES).stream()
                .filter(r -> "span_without_impression".equals(r.getField("kind"))).map(r -> (String) r.getField("trace_id")).collect(Collectors.toSet());
        List<String> extra = lateAnomalies.stream().filter(r -> "span_without_impression".equals(r.getField("kind")))
                .map(r -> (String) r.getField("trace_id")).filter(t -> !batchSpansWithoutImpression.contains(t)).toList();
        assertThat(extra).as("streaming-only span_without_impression findings are traces whose impression came late")
                .allSatisfy(t -> assertThat(tracesWithImpressions).contains(t));
        Map<String, Long> lateOtherKinds = new TreeMap<>(lateKinds);
        Map<String, Long> batchOtherKinds = new TreeMap<>(batchKinds);
        lateOtherKinds.remove("span_without_impression");
        batchOtherKinds.remove("span_without_impression");
        assertThat(lateOtherKinds).isEqualTo(batchOtherKinds);
        System.out.printf("real lateness: simulator late records %s, out-of-orderness %s; streaming-only span_without_impression %d%n",
                truth.late(), LATE_RUN_OUT_OF_ORDERNESS, extra.size());
    }

    @Test
    void batchFromFilesAgreesWithBatchFromKafka() throws Exception {
        String kafkaBatch = runJob("batch");
        String files = runJob("files", Map.of("mode", "batch", "input", "files", "input.path", inputFiles.toString()));
        assertSameSums(kafkaBatch, files, IcebergOutputs.VARIANT_ENGAGEMENT, List.of("window_start", "experiment", "variant", "surface", "segment"),
                "impressions", "item_impressions", "clicks", "clicked_impressions");
        assertSameSums(kafkaBatch, files, IcebergOutputs.VARIANT_SIDE_EFFECTS, List.of("window_start", "experiment", "variant", "service", "operation"),
                "span_count", "error_count", "duration_sum_micros", "db_time_micros", "cache_hits", "cache_misses");
        assertThat(rowsAsStrings(files, IcebergOutputs.LINEAGE_HISTORY)).isEqualTo(rowsAsStrings(kafkaBatch, IcebergOutputs.LINEAGE_HISTORY));
        assertThat(read(files, IcebergOutputs.DEAD_LETTERS)).hasSize(truth.malformed().size());
    }

    private static void assertSameSums(String a, String b, String table, List<String> keys, String... measures) {
        java.util.function.Function<Record, String> key = r -> keys.stream().map(k -> String.valueOf(r.getField(k))).collect(Collectors.joining("|"));
        Map<String, long[]> left = sumBy(read(a, table), key, measures);
        Map<String, long[]> right = sumBy(read(b, table), key, measures);
        assertThat(left).as(table).isNotEmpty();
        assertThat(left.keySet()).as(table).isEqualTo(right.keySet());
        left.forEach((k, v) -> assertThat(v).as(table + " " + k).containsExactly(right.get(k)));
    }

    private static Map<String, List<Long>> histograms(String ns) {
        Map<String, List<Long>> out = new TreeMap<>();
        for (Record r : read(ns, IcebergOutputs.VARIANT_SIDE_EFFECTS)) {
            String k = r.getField("window_start") + "|" + r.getField("experiment") + "|" + r.getField("variant") + "|" + r.getField("service") + "|" + r.getField("operation");
            @SuppressWarnings("unchecked")
            List<Long> h = (List<Long>) r.getField("latency_histogram");
            out.merge(k, new ArrayList<>(h), (x, y) -> {
                List<Long> sum = new ArrayList<>();
                for (int i = 0; i < x.size(); i++) sum.add(x.get(i) + y.get(i));
                return sum;
            });
        }
        return out;
    }

    private static List<String> rowsAsStrings(String ns, String table) {
        return read(ns, table).stream().map(Record::toString).sorted().toList();
    }

    private static Map<String, Long> countBy(List<Record> rows, String field) {
        return rows.stream().collect(Collectors.groupingBy(r -> String.valueOf(r.getField(field)), TreeMap::new, Collectors.counting()));
    }

    private static Map<String, long[]> sumBy(List<Record> rows, java.util.function.Function<Record, String> key, String... measures) {
        Map<String, long[]> out = new TreeMap<>();
        for (Record r : rows) {
            long[] acc = out.computeIfAbsent(key.apply(r), k -> new long[measures.length]);
            for (int i = 0; i < measures.length; i++) acc[i] += ((Number) r.getField(measures[i])).longValue();
        }
        return out;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
