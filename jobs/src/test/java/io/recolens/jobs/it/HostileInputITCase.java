package io.recolens.jobs.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.recolens.connectors.decode.RecordLimits;
import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.connectors.iceberg.TableReader;
import io.recolens.jobs.RecolensJob;
import io.recolens.jobs.config.ConfigReader;
import io.recolens.jobs.config.JobSettings;
import io.recolens.jobs.config.RecolensOptions;
import io.recolens.jobs.pipeline.IcebergOutputs;
import io.recolens.simulator.GroundTruth;
import io.recolens.simulator.RecordingTrafficSink;
import io.recolens.simulator.SimulatorConfig;
import io.recolens.simulator.Topic;
import io.recolens.simulator.TrafficSimulator;
import io.recolens.simulator.hostile.HostileRecords;
import io.recolens.testkit.EmbeddedKafka;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fuzz suite on real parts: 50,000 hostile records (broken JSON of many kinds, unparseable protobuf, valid but
 * hostile impressions, byte flips, truncation and splicing of valid records) on top of ordinary traffic, through
 * the real broker into a backfill. Every record must be accounted for — in the tables or as a dead letter with a
 * reason — and no table may grow past the limits (no amplification).
 */
class HostileInputITCase {
    private static final int HOSTILE = 50_000;
    private static final String SECRET = "hostile-input-test-secret-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Topic, String> TOPICS = Map.of(Topic.IMPRESSIONS, "reco.impressions", Topic.CLICKS, "reco.clicks", Topic.SPANS, "otlp_spans");

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    static Path warehouse;

    private static EmbeddedKafka kafka;
    /** Every record sent, by topic and offset (one partition per topic). */
    private static final Map<String, Map<Long, byte[]>> sent = new HashMap<>();
    private static final Map<HostileRecords.Kind, Integer> kinds = new EnumMap<>(HostileRecords.Kind.class);
    private static long backfillMs;

    @BeforeAll
    static void produceOrdinaryAndHostileTrafficThenBackfill() throws Exception {
        kafka = EmbeddedKafka.start(Map.of("message.max.bytes", "2000000"));
        kafka.createTopics(1, "reco.impressions", "reco.clicks", "otlp_spans");
        RecordingTrafficSink recording = new RecordingTrafficSink();
        SimulatorConfig config = SimulatorConfig.builder().seed(13).requests(2000).users(400)
                .startEpochMs(System.currentTimeMillis() - 3_600_000L).build();
        GroundTruth truth = new TrafficSimulator().run(config, recording);
        List<byte[]> validImpressions = new ArrayList<>();
        List<byte[]> validClicks = new ArrayList<>();
        List<byte[]> validSpans = new ArrayList<>();
        Map<String, ConcurrentHashMap<Long, byte[]>> offsets = new HashMap<>();
        TOPICS.values().forEach(t -> offsets.put(t, new ConcurrentHashMap<>()));
        java.util.Properties props = kafka.clientProperties();
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "2000000");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (RecordingTrafficSink.Recorded r : recording.all()) {
                send(producer, offsets, TOPICS.get(r.topic()), r.value());
                if (truth.isMalformed(r.topic(), r.index())) continue;
                (r.topic() == Topic.IMPRESSIONS ? validImpressions : r.topic() == Topic.CLICKS ? validClicks : validSpans).add(r.value());
            }
            for (HostileRecords.Hostile h : new HostileRecords(99, validImpressions, validClicks, validSpans).generate(HOSTILE)) {
                kinds.merge(h.kind(), 1, Integer::sum);
                send(producer, offsets, TOPICS.get(h.topic()), h.value());
            }
            producer.flush();
        }
        offsets.forEach((topic, m) -> sent.put(topic, new TreeMap<>(m)));

        Map<String, String> job = new HashMap<>();
        job.put("mode", "batch");
        job.put("kafka.bootstrap-servers", kafka.bootstrapServers());
        job.put("kafka.group-id", "hostile");
        job.put("kafka.properties.max.partition.fetch.bytes", "4000000");
        job.put("catalog.warehouse", warehouse.toString());
        job.put("catalog.namespace", "hostile");
        JobSettings settings = JobSettings.from(ConfigReader.fromMap(job), Map.of("RECOLENS_UNIT_KEY_SECRET", SECRET));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        long start = System.nanoTime();
        RecolensJob.run(settings, env);
        backfillMs = (System.nanoTime() - start) / 1_000_000;
        long total = sent.values().stream().mapToLong(Map::size).sum();
        System.out.printf("hostile input: %d records (%d hostile, kinds %s) backfilled in %d ms, %.0f records/s%n",
                total, HOSTILE, kinds, backfillMs, total * 1000.0 / backfillMs);
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, Map<String, ConcurrentHashMap<Long, byte[]>> offsets, String topic, byte[] value) {
        producer.send(new ProducerRecord<>(topic, value), (meta, error) -> {
            if (error != null) throw new IllegalStateException("could not produce a test record to " + topic, error);
            offsets.get(topic).put(meta.offset(), value);
        });
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) kafka.close();
    }

    private static List<Record> read(String table) {
        RecolensCatalog catalog = RecolensCatalog.fromProperties(Map.of("warehouse", warehouse.toString(), "namespace", "hostile"));
        Catalog c = catalog.open();
        return TableReader.readAll(c, TableIdentifier.of(catalog.namespace(), table));
    }

    private static Set<Long> deadLetterOffsets(List<Record> deadLetters, String topic) {
        return deadLetters.stream().filter(r -> topic.equals(r.getField("source")))
                .map(r -> ((Number) r.getField("offset")).longValue()).collect(Collectors.toSet());
    }

    @Test
    void everyImpressionIsALineageRowOrADeadLetterWithAReason() throws Exception {
        List<Record> deadLetters = read(IcebergOutputs.DEAD_LETTERS);
        assertThat(deadLetters).allSatisfy(r -> assertThat((String) r.getField("error")).isNotBlank());
        Set<Long> rejected = deadLetterOffsets(deadLetters, "reco.impressions");
        Set<String> lineage = read(IcebergOutputs.LINEAGE_HISTORY).stream().map(r -> (String) r.getField("impression_id")).collect(Collectors.toSet());
        List<String> unaccounted = new ArrayList<>();
        for (Map.Entry<Long, byte[]> e : sent.get("reco.impressions").entrySet()) {
            if (rejected.contains(e.getKey())) continue;
            String id = impressionId(e.getValue());
            if (id == null || !lineage.contains(id)) unaccounted.add("offset " + e.getKey() + " id " + id);
        }
        assertThat(unaccounted).as("impressions neither in lineage_history nor in dead_letters").isEmpty();
        assertThat(rejected).as("hostile impressions were rejected").hasSizeGreaterThan(HOSTILE / 10);
    }

    @Test
    void everyClickIsAttributedReportedOrADeadLetter() throws Exception {
        Set<Long> rejected = deadLetterOffsets(read(IcebergOutputs.DEAD_LETTERS), "reco.clicks");
        Set<String> accounted = new HashSet<>();
        for (Record r : read(IcebergOutputs.LINEAGE_HISTORY)) {
            @SuppressWarnings("unchecked")
            List<org.apache.iceberg.data.GenericRecord> clicks = (List<org.apache.iceberg.data.GenericRecord>) r.getField("clicks");
            if (clicks != null) clicks.forEach(c -> accounted.add((String) c.getField("click_id")));
        }
        read(IcebergOutputs.LINEAGE_ANOMALIES).forEach(r -> accounted.add((String) r.getField("click_id")));
        List<String> unaccounted = new ArrayList<>();
        for (Map.Entry<Long, byte[]> e : sent.get("reco.clicks").entrySet()) {
            if (rejected.contains(e.getKey())) continue;
            String id = field(e.getValue(), "click_id");
            if (id == null || !accounted.contains(id)) unaccounted.add("offset " + e.getKey() + " id " + id);
        }
        assertThat(unaccounted).as("clicks neither attributed, nor an anomaly, nor a dead letter").isEmpty();
    }

    @Test
    void everySpanMessageThatIsNotOtlpTracesIsADeadLetter() {
        Set<Long> rejected = deadLetterOffsets(read(IcebergOutputs.DEAD_LETTERS), "otlp_spans");
        List<Long> missing = new ArrayList<>();
        for (Map.Entry<Long, byte[]> e : sent.get("otlp_spans").entrySet()) {
            if (!parsesAsTraces(e.getValue()) && !rejected.contains(e.getKey())) missing.add(e.getKey());
        }
        assertThat(missing).as("unparseable or empty OTLP messages without a dead letter").isEmpty();
    }

    @Test
    void noTableGrowsPastItsLimits() {
        List<Record> lineage = read(IcebergOutputs.LINEAGE_HISTORY);
        Set<String> exposed = new HashSet<>();
        for (Record r : lineage) {
            @SuppressWarnings("unchecked")
            Map<String, String> experiments = (Map<String, String>) r.getField("experiments");
            assertThat(experiments.size()).isLessThanOrEqualTo(RecordLimits.DEFAULTS.maxExperiments());
            assertThat((List<?>) r.getField("items")).hasSizeLessThanOrEqualTo(RecordLimits.DEFAULTS.maxSlateItems());
            assertThat((List<?>) r.getField("features")).hasSizeLessThanOrEqualTo(RecordLimits.DEFAULTS.maxFeatures());
            experiments.forEach((e, v) -> exposed.add(e + "|" + v + "|" + r.getField("unit_key")));
        }
        List<Record> exposures = read(IcebergOutputs.EXPERIMENT_EXPOSURES);
        // The amplification bound: an accepted impression adds at most limits.record.experiments exposures (before the
        // per-record limit, one impression naming 5,000 experiments added 5,000). Exposures are derived before click
        // attribution drops a repeated impression ID, so an ID sent twice with other experiments (a byte flip in two
        // traces) may add an exposure lineage_history does not show: the lineage-derived count is printed beside it.
        long acceptedImpressions = sent.get("reco.impressions").size()
                - deadLetterOffsets(read(IcebergOutputs.DEAD_LETTERS), "reco.impressions").size();
        System.out.printf("hostile input: %d exposures, %d experiment × variant × unit in lineage_history, %d accepted impressions%n",
                exposures.size(), exposed.size(), acceptedImpressions);
        assertThat((long) exposures.size()).as("exposures within the per-record experiment limit")
                .isLessThanOrEqualTo(acceptedImpressions * RecordLimits.DEFAULTS.maxExperiments());
        assertThat((long) exposures.size()).as("no more than a few over what lineage shows")
                .isLessThanOrEqualTo(exposed.size() + acceptedImpressions / 100);
        // Records naming experiments never seen before (ROTATING_EXPERIMENTS) stay within the per-record limit: only the
        // cardinality limits bound them, in the exposures as in every aggregate. An admitted value is forgotten after
        // limits.forget-after of event time unused, and mutated timestamps spread over years, so the bound holds per day
        // of event time (shorter than forget-after), not over the whole run.
        int maxExperiments = RecolensOptions.MAX_EXPERIMENTS.defaultValue();
        Map<String, String> dayColumn = Map.of(IcebergOutputs.EXPERIMENT_EXPOSURES, "first_exposure_at",
                IcebergOutputs.VARIANT_ENGAGEMENT, "window_start", IcebergOutputs.EXPERIMENT_UNIT_DAILY, "day",
                IcebergOutputs.VARIANT_SIDE_EFFECTS, "window_start", IcebergOutputs.LINEAGE_COMPLETENESS, "day");
        dayColumn.forEach((table, column) -> {
            List<Record> rows = read(table);
            Map<LocalDate, Set<Object>> named = rows.stream().collect(Collectors.groupingBy(r -> dayOf(r.getField(column)),
                    Collectors.mapping(r -> r.getField("experiment"), Collectors.toSet())));
            int busiest = named.values().stream().mapToInt(Set::size).max().orElse(0);
            System.out.printf("hostile input: %s names %d distinct experiments, at most %d in one day%n", table,
                    rows.stream().map(r -> r.getField("experiment")).distinct().count(), busiest);
            assertThat(busiest).as(table + ": distinct experiments in one day within limits.experiments plus the overflow bucket")
                    .isLessThanOrEqualTo(maxExperiments + 1);
        });
        Map<String, Long> perUnit = exposures.stream().collect(Collectors.groupingBy(
                r -> r.getField("experiment") + "|" + r.getField("variant") + "|" + r.getField("unit_key"), Collectors.counting()));
        assertThat(perUnit.values()).as("one exposure per experiment × variant × unit, overflow included").allMatch(n -> n == 1);
        Map<String, Long> trimmed = read(IcebergOutputs.LINEAGE_ANOMALIES).stream()
                .filter(r -> "record_trimmed".equals(r.getField("kind"))).collect(Collectors.groupingBy(r -> "record_trimmed", Collectors.counting()));
        if (kinds.getOrDefault(HostileRecords.Kind.HUGE_SLATE, 0) > 0) {
            assertThat(trimmed).as("a trimmed slate is reported").containsKey("record_trimmed");
        }
    }

    private static LocalDate dayOf(Object value) {
        if (value instanceof LocalDate d) return d;
        if (value instanceof OffsetDateTime t) return t.toLocalDate();
        if (value instanceof LocalDateTime t) return t.toLocalDate();
        throw new AssertionError("not a day or timestamp: " + value);
    }

    private static String impressionId(byte[] value) {
        return field(value, "impression_id");
    }

    /** An independent, lenient read of one top-level field; null when the bytes are not a JSON object. */
    private static String field(byte[] value, String name) {
        try {
            JsonNode node = JSON.readTree(value);
            if (node == null || !node.isObject() || !node.has(name)) return null;
            return node.get(name).asText();
        } catch (Exception e) {
            return null;
        }
    }

    private static boolean parsesAsTraces(byte[] value) {
        try {
            TracesData data = TracesData.parseFrom(value);
            return data.getResourceSpansList().stream().flatMap(rs -> rs.getScopeSpansList().stream()).anyMatch(ss -> ss.getSpansCount() > 0);
        } catch (Exception e) {
            return false;
        }
    }
}
