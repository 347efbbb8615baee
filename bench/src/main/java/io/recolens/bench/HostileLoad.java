package io.recolens.bench;

import io.recolens.simulator.KafkaTrafficSink;
import io.recolens.simulator.Topic;
import io.recolens.simulator.TrafficSimulator;
import io.recolens.simulator.TrafficSink;
import io.recolens.simulator.hostile.HostileRecords;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Loads the fuzz mix of {@link HostileRecords} (broken JSON and protobuf, absurd sizes and times, mutations of
 * valid records) into its own topics, generated and sent in chunks so a million records never sit in memory.
 */
final class HostileLoad {
    private HostileLoad() {}

    private static final int CHUNK = 10_000;

    /** Returns the number of records sent per kind. */
    static Map<HostileRecords.Kind, Long> load(String bootstrap, BenchTopics topics, BenchFlags flags, long n) {
        // Valid records to mutate: a small ordinary simulation, kept in memory only.
        List<byte[]> impressions = new ArrayList<>();
        List<byte[]> clicks = new ArrayList<>();
        List<byte[]> spans = new ArrayList<>();
        BenchFlags small = new BenchFlags(500, 1, flags.parallelism(), flags.out(), flags.encodings(), flags.runs(), 0, 500, flags.seed(), 0, 0, 0, flags.streamingStates(), flags.streamingCheckpoint());
        new TrafficSimulator().run(BenchData.simulation(small, io.recolens.simulator.SpanEncoding.OTLP_PROTO, System.currentTimeMillis() - 7_200_000L),
                new TrafficSink() {
                    @Override
                    public void impression(byte[] key, byte[] value, long timestampMs) {
                        impressions.add(value);
                    }

                    @Override
                    public void click(byte[] key, byte[] value, long timestampMs) {
                        clicks.add(value);
                    }

                    @Override
                    public void spans(byte[] key, byte[] value, long timestampMs) {
                        spans.add(value);
                    }

                    @Override
                    public void close() {}
                });
        HostileRecords generator = new HostileRecords(flags.seed(), impressions, clicks, spans);
        Map<HostileRecords.Kind, Long> kinds = new EnumMap<>(HostileRecords.Kind.class);
        KafkaTrafficSink.Topics target = new KafkaTrafficSink.Topics(topics.impressions(), topics.clicks(), topics.spans("otlp_proto"));
        long now = System.currentTimeMillis();
        try (KafkaTrafficSink sink = new KafkaTrafficSink(bootstrap, target, Map.of("max.request.size", 8 * 1024 * 1024))) {
            for (long sent = 0; sent < n; sent += CHUNK) {
                for (HostileRecords.Hostile h : generator.generate((int) Math.min(CHUNK, n - sent))) {
                    sink.send(h.topic() == null ? Topic.IMPRESSIONS : h.topic(), null, h.value(), now);
                    kinds.merge(h.kind(), 1L, Long::sum);
                }
            }
        }
        return kinds;
    }
}
