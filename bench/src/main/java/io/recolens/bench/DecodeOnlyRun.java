package io.recolens.bench;

import io.recolens.connectors.decode.ClickJsonDecoder;
import io.recolens.connectors.decode.DecoderSettings;
import io.recolens.connectors.decode.ImpressionJsonDecoder;
import io.recolens.connectors.decode.OtlpEncoding;
import io.recolens.connectors.decode.OtlpSpanDecoder;
import io.recolens.connectors.decode.RecordDecoder;
import io.recolens.jobs.config.JobSettings;
import io.recolens.jobs.pipeline.DecoderSettingsFactory;
import io.recolens.model.RawRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The decode-only ceiling: plain Kafka consumers and the project's own decoders, nothing else — no Flink, no
 * state, no output. One thread per unit of parallelism, each reading its share of every topic's partitions.
 */
final class DecodeOnlyRun {
    private DecodeOnlyRun() {}

    static Map<String, Object> run(Map<String, String> spec, Map<String, Object> result) throws Exception {
        JobSettings settings = PipelineRun.settings(spec, "batch");
        DecoderSettings decoding = DecoderSettingsFactory.from(settings);
        OtlpEncoding encoding = PipelineRun.spanEncoding(spec);
        BenchTopics topics = new BenchTopics(spec.get("topics"));
        int threads = Integer.parseInt(spec.get("parallelism"));
        AtomicLong records = new AtomicLong();
        AtomicLong decoded = new AtomicLong();
        AtomicLong deadLetters = new AtomicLong();
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> work = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int share = t;
            work.add(pool.submit(() -> {
                List<Decoding> decoders = List.of(
                        new Decoding(topics.impressions(), new ImpressionJsonDecoder(decoding)),
                        new Decoding(topics.clicks(), new ClickJsonDecoder(decoding)),
                        new Decoding(topics.spans(spec.get("encoding")), new OtlpSpanDecoder(encoding, decoding)));
                for (Decoding d : decoders) {
                    read(spec.get("bootstrap"), d, share, threads, records, decoded, deadLetters);
                }
                return null;
            }));
        }
        for (Future<?> f : work) f.get();
        pool.shutdown();
        result.put("measuredMs", (System.nanoTime() - started) / 1_000_000);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("records", records.get());
        out.put("decoded", decoded.get());
        out.put("deadLetters", deadLetters.get());
        return out;
    }

    private record Decoding(String topic, RecordDecoder<?> decoder) {}

    private static void read(String bootstrap, Decoding d, int share, int shares, AtomicLong records, AtomicLong decoded,
            AtomicLong deadLetters) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> mine = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(d.topic())) {
                if (info.partition() % shares == share) mine.add(new TopicPartition(d.topic(), info.partition()));
            }
            if (mine.isEmpty()) return;
            consumer.assign(mine);
            consumer.seekToBeginning(mine);
            Map<TopicPartition, Long> end = consumer.endOffsets(mine);
            long localRecords = 0;
            long[] localDecoded = new long[1];
            long[] localDead = new long[1];
            while (!done(consumer, end)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    localRecords++;
                    RawRecord raw = new RawRecord(r.topic(), r.partition(), r.offset(), r.key(), r.value(), r.timestamp());
                    d.decoder().decode(raw, x -> localDecoded[0]++, x -> localDead[0]++);
                }
            }
            records.addAndGet(localRecords);
            decoded.addAndGet(localDecoded[0]);
            deadLetters.addAndGet(localDead[0]);
        }
    }

    private static boolean done(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) return false;
        }
        return true;
    }
}
