package io.recolens.connectors.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.recolens.model.RawRecord;
import io.recolens.testkit.CollectingSink;
import io.recolens.testkit.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KafkaRawSourcesITCase {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension();

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) kafka.close();
    }

    @Test
    void boundedToLatestOffsetsReadsEveryRecordOnceWithItsBytes() throws Exception {
        String topic = "raw-roundtrip";
        kafka.createTopics(3, topic);
        int n = 50;
        byte[][] values = new byte[n][];
        Random random = new Random(1);
        Properties p = kafka.clientProperties();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < n; i++) {
                values[i] = new byte[1 + random.nextInt(2000)];
                random.nextBytes(values[i]);
                values[i][0] = (byte) i; // the first byte names the record
                producer.send(new ProducerRecord<>(topic, null, 1_795_255_200_000L + i,
                        ("key-" + i).getBytes(StandardCharsets.UTF_8), values[i])).get();
            }
            // A tombstone must come through as a record with a null value, not fail the source.
            producer.send(new ProducerRecord<>(topic, "tomb".getBytes(StandardCharsets.UTF_8), null)).get();
        }

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(2);
        try (CollectingSink<RawRecord> sink = new CollectingSink<>()) {
            env.fromSource(KafkaRawSources.builder()
                                    .bootstrapServers(kafka.bootstrapServers())
                                    .topic(topic)
                                    .groupId("it-batch")
                                    .startFrom(KafkaRawSources.StartFrom.EARLIEST)
                                    .boundedByLatest()
                                    .build(),
                            WatermarkStrategy.noWatermarks(), "kafka-raw")
                    .sinkTo(sink);
            env.execute("kafka raw source test");

            List<RawRecord> got = sink.get();
            assertThat(got).hasSize(n + 1);
            assertThat(got).allSatisfy(r -> assertThat(r.source).isEqualTo(topic));
            assertThat(got).extracting(r -> r.partition + "@" + r.offset).doesNotHaveDuplicates();
            List<RawRecord> data = got.stream().filter(r -> r.value != null)
                    .sorted(Comparator.comparingInt(r -> r.value[0])).toList();
            assertThat(data).hasSize(n);
            for (int i = 0; i < n; i++) {
                RawRecord r = data.get(i);
                assertThat(r.value).isEqualTo(values[i]);
                assertThat(new String(r.key, StandardCharsets.UTF_8)).isEqualTo("key-" + i);
                assertThat(r.timestamp).isEqualTo(1_795_255_200_000L + i);
            }
            assertThat(got).filteredOn(r -> r.value == null).singleElement()
                    .satisfies(r -> assertThat(new String(r.key, StandardCharsets.UTF_8)).isEqualTo("tomb"));
        }
    }

    @Test
    void builderRefusesMissingSettings() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> KafkaRawSources.builder().topic("t").groupId("g").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bootstrap servers");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> KafkaRawSources.builder().bootstrapServers("x:1")
                        .topic("t").groupId("g").startFrom(KafkaRawSources.StartFrom.TIMESTAMP).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("start timestamp");
    }
}
