package io.recolens.demo;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** How far the job's committed offsets (committed on checkpoints) are behind the end of the input topics. */
public final class ConsumerLag implements AutoCloseable {
    private static final List<String> DEFAULT_TOPICS = List.of("reco.impressions", "reco.clicks", "otlp_spans");
    private final Admin admin;
    private final String group;
    private final List<String> topics;

    ConsumerLag(String bootstrap, String group) {
        this(bootstrap, group, DEFAULT_TOPICS);
    }

    public ConsumerLag(String bootstrap, String group, List<String> topics) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        this.admin = Admin.create(p);
        this.group = group;
        this.topics = List.copyOf(topics);
    }

    public long total() throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (TopicDescription d : admin.describeTopics(topics).allTopicNames().get().values()) {
            d.partitions().forEach(p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
        }
        var ends = admin.listOffsets(latest).all().get();
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        long lag = 0;
        for (var e : ends.entrySet()) {
            OffsetAndMetadata c = committed.get(e.getKey());
            lag += e.getValue().offset() - (c == null ? 0 : c.offset());
        }
        return lag;
    }

    @Override
    public void close() {
        admin.close();
    }
}
