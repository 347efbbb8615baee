package io.recolens.demo;

import io.recolens.jobs.config.JobSettings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** How many records a bounded Kafka run reads: end offsets minus start offsets over the three input topics. */
final class InputSize {
    private InputSize() {}

    /** Records between the configured starting and stopping offsets; -1 when it cannot be known. */
    static long kafkaRecords(JobSettings settings) {
        Properties p = new Properties();
        p.putAll(settings.kafkaProperties);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafkaBootstrap);
        try (Admin admin = Admin.create(p)) {
            List<String> topics = List.of(settings.topicImpressions, settings.topicClicks, settings.topicSpans);
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (TopicDescription d : admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values()) {
                d.partitions().forEach(tp -> {
                    earliest.put(new TopicPartition(d.name(), tp.partition()), OffsetSpec.earliest());
                    latest.put(new TopicPartition(d.name(), tp.partition()), OffsetSpec.latest());
                });
            }
            Map<TopicPartition, Long> first = offsets(admin, earliest);
            Map<TopicPartition, Long> end = offsets(admin, latest);
            Map<TopicPartition, Long> from = bound(admin, settings.startingOffsets, first, end, first);
            if (settings.startingOffsets.equals("committed-or-earliest")) {
                Map<TopicPartition, OffsetAndMetadata> c = admin.listConsumerGroupOffsets(settings.kafkaGroupId)
                        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                c.forEach((tp, o) -> { if (o != null && from.containsKey(tp)) from.put(tp, o.offset()); });
            }
            Map<TopicPartition, Long> to = bound(admin, settings.stoppingOffsets, first, end, end);
            long total = 0;
            for (TopicPartition tp : end.keySet()) total += Math.max(0, to.get(tp) - from.get(tp));
            return total;
        } catch (Exception e) {
            return -1;
        }
    }

    /** Offsets for earliest | latest | timestamp:T (a timestamp after the last record means the end). */
    private static Map<TopicPartition, Long> bound(Admin admin, String spec, Map<TopicPartition, Long> first,
            Map<TopicPartition, Long> end, Map<TopicPartition, Long> otherwise) throws Exception {
        if (spec.equals("earliest")) return new HashMap<>(first);
        if (spec.equals("latest")) return new HashMap<>(end);
        if (spec.startsWith("timestamp:")) {
            long t = Long.parseLong(spec.substring("timestamp:".length()));
            Map<TopicPartition, OffsetSpec> q = new HashMap<>();
            end.keySet().forEach(tp -> q.put(tp, OffsetSpec.forTimestamp(t)));
            Map<TopicPartition, Long> out = offsets(admin, q);
            out.replaceAll((tp, o) -> o < 0 ? end.get(tp) : o);
            return out;
        }
        return new HashMap<>(otherwise);
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, Map<TopicPartition, OffsetSpec> q) throws Exception {
        Map<TopicPartition, Long> out = new HashMap<>();
        for (Map.Entry<TopicPartition, ListOffsetsResultInfo> e : admin.listOffsets(q).all().get(30, TimeUnit.SECONDS).entrySet()) {
            out.put(e.getKey(), e.getValue().offset());
        }
        return out;
    }

    /** Bytes of the input files under a --files folder. */
    static long fileBytes(String dir) {
        try (var files = java.nio.file.Files.walk(java.nio.file.Path.of(dir))) {
            return files.filter(java.nio.file.Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
