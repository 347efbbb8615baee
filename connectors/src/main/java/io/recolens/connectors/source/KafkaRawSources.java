package io.recolens.connectors.source;

import io.recolens.model.RawRecord;
import java.util.Objects;
import java.util.Properties;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Builds the {@link KafkaSource}s of raw records for one topic: where to start, and for batch runs
 * where to stop. Consumers always read with {@code isolation.level=read_committed}, so records of
 * aborted producer transactions never reach the job.
 */
public final class KafkaRawSources {

    /** Where a source starts reading when it has no checkpointed position. */
    public enum StartFrom {
        EARLIEST,
        LATEST,
        /** The group's committed offsets; partitions without one start at the earliest offset. */
        COMMITTED,
        /** The first offset whose timestamp is at or after {@link Builder#startTimestampMs}. */
        TIMESTAMP
    }

    /** Where a bounded (batch) source stops. */
    public enum StopAt {
        /** Unbounded: streaming mode. */
        NEVER,
        /** The latest offsets when the job starts. */
        LATEST,
        /** The first offset whose timestamp is at or after {@link Builder#stopTimestampMs}. */
        TIMESTAMP
    }

    private KafkaRawSources() {}

    public static Builder builder() {
        return new Builder();
    }

    /** Collects the settings of one raw-record Kafka source. */
    public static final class Builder {
        private String bootstrapServers;
        private String topic;
        private String groupId;
        private final Properties properties = new Properties();
        private StartFrom startFrom = StartFrom.COMMITTED;
        private long startTimestampMs = -1;
        private StopAt stopAt = StopAt.NEVER;
        private long stopTimestampMs = -1;

        private Builder() {}

        public Builder bootstrapServers(String servers) {
            this.bootstrapServers = servers;
            return this;
        }

        public Builder topic(String topic) {
            this.topic = topic;
            return this;
        }

        public Builder groupId(String groupId) {
            this.groupId = groupId;
            return this;
        }

        /** Extra consumer properties (security, timeouts); {@code isolation.level} is always read_committed. */
        public Builder properties(Properties extra) {
            if (extra != null) properties.putAll(extra);
            return this;
        }

        public Builder startFrom(StartFrom start) {
            this.startFrom = Objects.requireNonNull(start);
            return this;
        }

        public Builder startFromTimestamp(long epochMs) {
            this.startFrom = StartFrom.TIMESTAMP;
            this.startTimestampMs = epochMs;
            return this;
        }

        /** Batch: stop at the latest offsets seen when the job starts. */
        public Builder boundedByLatest() {
            this.stopAt = StopAt.LATEST;
            return this;
        }

        /** Batch: stop at the first record at or after this time in each partition. */
        public Builder boundedByTimestamp(long epochMs) {
            this.stopAt = StopAt.TIMESTAMP;
            this.stopTimestampMs = epochMs;
            return this;
        }

        public Builder unbounded() {
            this.stopAt = StopAt.NEVER;
            return this;
        }

        public KafkaSource<RawRecord> build() {
            return build(new RawRecordKafkaDeserializer());
        }

        /** Builds the source with its own deserializer, e.g. one that decodes inside the reader. */
        public <T> KafkaSource<T> build(KafkaRecordDeserializationSchema<T> deserializer) {
            require(bootstrapServers, "bootstrap servers");
            require(topic, "topic");
            require(groupId, "group id");
            if (startFrom == StartFrom.TIMESTAMP && startTimestampMs < 0) {
                throw new IllegalArgumentException("start from TIMESTAMP needs a start timestamp");
            }
            // Extra properties first, so the explicit settings below win over them.
            KafkaSourceBuilder<T> b = KafkaSource.<T>builder()
                    .setProperties(properties)
                    .setBootstrapServers(bootstrapServers)
                    .setTopics(topic)
                    .setGroupId(groupId)
                    .setClientIdPrefix(groupId + "-" + topic)
                    .setDeserializer(deserializer)
                    .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                    .setStartingOffsets(startingOffsets());
            switch (stopAt) {
                case LATEST:
                    b.setBounded(OffsetsInitializer.latest());
                    break;
                case TIMESTAMP:
                    b.setBounded(OffsetsInitializer.timestamp(stopTimestampMs));
                    break;
                default:
            }
            return b.build();
        }

        private OffsetsInitializer startingOffsets() {
            switch (startFrom) {
                case EARLIEST: return OffsetsInitializer.earliest();
                case LATEST: return OffsetsInitializer.latest();
                case TIMESTAMP: return OffsetsInitializer.timestamp(startTimestampMs);
                case COMMITTED:
                default: return OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
            }
        }

        private static void require(String value, String what) {
            if (value == null || value.isEmpty()) throw new IllegalArgumentException(what + " is required");
        }
    }
}
