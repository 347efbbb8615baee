package io.recolens.simulator;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces the simulated records to Kafka with an idempotent, acks=all producer; the record timestamp is the
 * simulated emission time so that timestamp-bounded reads line up with event time.
 */
public final class KafkaTrafficSink implements TrafficSink {

  /** Topic names, defaulting to the names recolens reads. */
  public record Topics(String impressions, String clicks, String spans) {
    public static Topics defaults() {
      return new Topics("reco.impressions", "reco.clicks", "otlp_spans");
    }
  }

  private final KafkaProducer<byte[], byte[]> producer;
  private final Topics topics;
  private final AtomicReference<Exception> failure = new AtomicReference<>();

  public KafkaTrafficSink(String bootstrapServers, Topics topics) {
    this(bootstrapServers, topics, Map.of());
  }

  /** {@code overrides} are extra producer properties applied last (e.g. compression.type). */
  public KafkaTrafficSink(String bootstrapServers, Topics topics, Map<String, Object> overrides) {
    this.topics = topics;
    this.producer = new KafkaProducer<>(producerProperties(bootstrapServers, overrides));
  }

  /** The producer settings this sink uses; public so they can be checked without a broker. */
  public static Properties producerProperties(String bootstrapServers, Map<String, Object> overrides) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "10");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "recolens-simulator");
    p.putAll(overrides);
    return p;
  }

  @Override
  public void impression(byte[] key, byte[] value, long timestampMs) {
    send(topics.impressions(), key, value, timestampMs);
  }

  @Override
  public void click(byte[] key, byte[] value, long timestampMs) {
    send(topics.clicks(), key, value, timestampMs);
  }

  @Override
  public void spans(byte[] key, byte[] value, long timestampMs) {
    send(topics.spans(), key, value, timestampMs);
  }

  private void send(String topic, byte[] key, byte[] value, long timestampMs) {
    rethrowFailure();
    producer.send(new ProducerRecord<>(topic, null, timestampMs, key, value), (metadata, e) -> {
      if (e != null) {
        failure.compareAndSet(null, e);
      }
    });
  }

  private void rethrowFailure() {
    Exception e = failure.get();
    if (e != null) {
      // The ground truth would be wrong if records silently went missing, so the run must fail.
      throw new IllegalStateException("a Kafka send failed", e);
    }
  }

  @Override
  public void close() {
    producer.flush();
    producer.close(Duration.ofSeconds(30));
    rethrowFailure();
  }
}
