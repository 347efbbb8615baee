package io.recolens.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaTest {

    @Test
    void producedRecordsAreConsumedBackOnLoopback() throws Exception {
        long started = System.nanoTime();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
            assertThat(kafka.bootstrapServers()).startsWith("127.0.0.1:");
            kafka.createTopics(2, "round-trip");
            kafka.createTopics(2, "round-trip"); // idempotent

            Properties p = kafka.clientProperties();
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            try (KafkaProducer<String, String> producer =
                    new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 20; i++) producer.send(new ProducerRecord<>("round-trip", "k" + i, "v" + i)).get();
            }

            Properties c = kafka.clientProperties();
            c.put(ConsumerConfig.GROUP_ID_CONFIG, "test");
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            List<String> seen = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer =
                    new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("round-trip"));
                long deadline = System.currentTimeMillis() + 30_000;
                while (seen.size() < 20 && System.currentTimeMillis() < deadline) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        seen.add(r.key() + "=" + r.value());
                    }
                }
            }
            assertThat(seen).hasSize(20).contains("k0=v0", "k19=v19");
        }
    }
}
