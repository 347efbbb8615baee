package io.recolens.jobs.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.connectors.iceberg.TableReader;
import io.recolens.jobs.RecolensJob;
import io.recolens.jobs.config.ConfigReader;
import io.recolens.jobs.config.JobSettings;
import io.recolens.jobs.pipeline.IcebergOutputs;
import io.recolens.simulator.GroundTruth;
import io.recolens.simulator.RecordingTrafficSink;
import io.recolens.simulator.SimulatorConfig;
import io.recolens.simulator.Topic;
import io.recolens.simulator.TrafficSimulator;
import io.recolens.testkit.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
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
 * Any parallelism works: the streaming job at parallelism 4 over 2-partition topics whose second partition
 * stays empty must commit lineage and aggregate rows while it runs (two source readers own no split, one
 * owns an empty split; none of them may hold event time back), and after a drain hold every impression once.
 */
class ScaleOutITCase {
    private static final long ATTRIBUTION_WINDOW_MS = 60_000L;
    private static final String SECRET = "scale-out-test-secret-0123456789";

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    @TempDir
    static Path warehouse;

    @TempDir
    static Path savepoints;

    private static EmbeddedKafka kafka;
    private static final List<byte[]> impressions = new ArrayList<>();
    private static final List<byte[]> clicks = new ArrayList<>();
    private static final List<byte[]> spans = new ArrayList<>();

    @BeforeAll
    static void produceEverythingToPartitionZero() {
        kafka = EmbeddedKafka.start();
        kafka.createTopics(2, "reco.impressions", "reco.clicks", "otlp_spans");
        RecordingTrafficSink recording = new RecordingTrafficSink();
        // 800 requests at 1 per second: 13 minutes of event time, so windows and attribution close mid-stream.
        SimulatorConfig config = SimulatorConfig.builder().seed(7).requests(800).users(200).requestsPerSecond(1.0)
                .startEpochMs(System.currentTimeMillis() - 3_600_000L).attributionWindowMs(ATTRIBUTION_WINDOW_MS)
                .meanClickDelayMs(5_000).malformedShare(0).lateShare(0).build();
        GroundTruth truth = new TrafficSimulator().run(config, recording);
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(kafka.clientProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (RecordingTrafficSink.Recorded r : recording.all()) {
                String topic = r.topic() == Topic.IMPRESSIONS ? "reco.impressions" : r.topic() == Topic.CLICKS ? "reco.clicks" : "otlp_spans";
                producer.send(new ProducerRecord<>(topic, 0, r.timestampMs(), r.key(), r.value()));
                if (truth.isMalformed(r.topic(), r.index())) continue;
                (r.topic() == Topic.IMPRESSIONS ? impressions : r.topic() == Topic.CLICKS ? clicks : spans).add(r.value());
            }
            producer.flush();
        }
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) kafka.close();
    }

    @Test
    void parallelismFourOverTwoPartitionsOneEmptyCommitsRowsBeforeAnyDrain() throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put("mode", "streaming");
        config.put("kafka.bootstrap-servers", kafka.bootstrapServers());
        config.put("kafka.group-id", "scale-out");
        config.put("kafka.starting-offsets", "earliest");
        config.put("trace.gap", "10 s");
        config.put("attribution.window", "1 min");
        config.put("attribution.orphan-timeout", "2 min");
        config.put("watermark.out-of-orderness", "5 s");
        config.put("watermark.idleness", "2 s");
        config.put("unit-daily.flush-interval", "5 min");
        config.put("checkpoint.interval", "1 s");
        config.put("catalog.warehouse", warehouse.toString());
        config.put("catalog.namespace", "scale_out");
        JobSettings settings = JobSettings.from(ConfigReader.fromMap(config), Map.of("RECOLENS_UNIT_KEY_SECRET", SECRET));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(4);
        RecolensJob.build(settings, env);
        JobClient job = env.executeAsync(RecolensJob.jobName(settings));
        try {
            long started = System.currentTimeMillis();
            long deadline = started + Duration.ofMinutes(3).toMillis();
            Map<String, Integer> counts = Map.of();
            while (System.currentTimeMillis() < deadline) {
                counts = rowCounts();
                if (counts.values().stream().allMatch(n -> n > 0)) break;
                Thread.sleep(1000);
            }
            System.out.printf("scale-out: rows committed before any drain after %d ms: %s%n", System.currentTimeMillis() - started, counts);
            assertThat(job.getJobStatus().get().isGloballyTerminalState()).as("still running, no drain yet").isFalse();
            assertThat(counts).as("rows committed while the job runs, before any drain").allSatisfy((table, n) -> assertThat(n).as(table).isPositive());
        } finally {
            job.stopWithSavepoint(true, savepoints.toUri().toString(), SavepointFormatType.CANONICAL).get();
        }
        ReferenceCounts expected = ReferenceCounts.compute(impressions, clicks, spans, ATTRIBUTION_WINDOW_MS);
        List<Record> lineage = read(IcebergOutputs.LINEAGE_HISTORY);
        assertThat(lineage.stream().map(r -> (String) r.getField("impression_id")).collect(Collectors.toList()))
                .as("every impression exactly once after the drain").hasSize(expected.impressionIds.size())
                .containsExactlyInAnyOrderElementsOf(expected.impressionIds);
        Map<String, Long> impressionsPerVariant = new HashMap<>();
        for (Record r : read(IcebergOutputs.VARIANT_ENGAGEMENT)) {
            impressionsPerVariant.merge(r.getField("experiment") + "=" + r.getField("variant"), (Long) r.getField("impressions"), Long::sum);
        }
        expected.engagement.forEach((key, counts) -> assertThat(impressionsPerVariant.get(key)).as(key).isEqualTo(counts[ReferenceCounts.IMPRESSIONS]));
    }

    private static Map<String, Integer> rowCounts() {
        Map<String, Integer> out = new HashMap<>();
        for (String table : List.of(IcebergOutputs.LINEAGE_HISTORY, IcebergOutputs.VARIANT_ENGAGEMENT,
                IcebergOutputs.VARIANT_SIDE_EFFECTS, IcebergOutputs.EXPERIMENT_EXPOSURES)) {
            out.put(table, read(table).size());
        }
        return out;
    }

    private static List<Record> read(String table) {
        RecolensCatalog catalog = RecolensCatalog.fromProperties(Map.of("warehouse", warehouse.toString(), "namespace", "scale_out"));
        Catalog c = catalog.open();
        return TableReader.readAll(c, TableIdentifier.of(catalog.namespace(), table));
    }
}
