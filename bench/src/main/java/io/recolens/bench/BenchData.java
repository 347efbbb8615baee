package io.recolens.bench;

import io.recolens.simulator.GroundTruth;
import io.recolens.simulator.KafkaTrafficSink;
import io.recolens.simulator.SimulatorConfig;
import io.recolens.simulator.SpanEncoding;
import io.recolens.simulator.TrafficSimulator;
import io.recolens.simulator.TrafficSink;
import java.util.List;

/**
 * Loads the benchmark's traffic into Kafka: one simulator run per span encoding with the same seed, so both
 * span topics describe the same traces; impressions and clicks are written once.
 */
final class BenchData {
    private BenchData() {}

    /** The simulator settings of a benchmark data set: the default realistic mix, sized by the flags. */
    static SimulatorConfig simulation(BenchFlags flags, SpanEncoding encoding, long startEpochMs) {
        return SimulatorConfig.builder()
                .startEpochMs(startEpochMs)
                .seed(flags.seed())
                .requests(flags.requests())
                .users(flags.users())
                // About 5% CTR per item impression is the "realistic mix".
                .baseCtr(0.05)
                .hybridCtrLift(0.015)
                // Every trace has its impression, so the SQL reference (which knows variants only from impressions)
                // and the pipeline count the same spans; the hostile run covers broken records.
                .malformedShare(0)
                .lostImpressionShare(0)
                .spanEncoding(encoding)
                .extraSpansPerRequest(flags.extraSpans())
                .extraExperiments(flags.extraExperiments())
                .build();
    }

    static GroundTruth load(String bootstrap, BenchTopics topics, BenchFlags flags, List<String> encodings) {
        GroundTruth truth = null;
        boolean first = true;
        // Recent event time: the broker's retention would delete records stamped with the simulator's fixed past date.
        SimulatorConfig sizing = simulation(flags, SpanEncoding.OTLP_PROTO, 0);
        long start = (System.currentTimeMillis() - sizing.simulatedDurationMs() - 3_600_000L) / 1000 * 1000;
        for (String encoding : encodings) {
            SpanEncoding spanEncoding = encoding.equals("otlp_json") ? SpanEncoding.OTLP_JSON : SpanEncoding.OTLP_PROTO;
            KafkaTrafficSink.Topics target = new KafkaTrafficSink.Topics(topics.impressions(), topics.clicks(), topics.spans(encoding));
            try (KafkaTrafficSink kafka = new KafkaTrafficSink(bootstrap, target)) {
                TrafficSink sink = first ? kafka : spansOnly(kafka);
                GroundTruth t = new TrafficSimulator().run(simulation(flags, spanEncoding, start), sink);
                if (truth == null) truth = t;
            }
            first = false;
        }
        return truth;
    }

    /** The second encoding's run: its impressions and clicks are the first run's, already loaded. */
    private static TrafficSink spansOnly(TrafficSink delegate) {
        return new TrafficSink() {
            @Override
            public void impression(byte[] key, byte[] value, long timestampMs) {}

            @Override
            public void click(byte[] key, byte[] value, long timestampMs) {}

            @Override
            public void spans(byte[] key, byte[] value, long timestampMs) {
                delegate.spans(key, value, timestampMs);
            }

            @Override
            public void close() {}
        };
    }
}
