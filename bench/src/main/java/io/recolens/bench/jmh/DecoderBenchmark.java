package io.recolens.bench.jmh;

import io.recolens.connectors.decode.DecoderSettings;
import io.recolens.connectors.decode.ImpressionJsonDecoder;
import io.recolens.connectors.decode.OtlpEncoding;
import io.recolens.connectors.decode.OtlpSpanDecoder;
import io.recolens.model.RawRecord;
import io.recolens.simulator.RecordingTrafficSink;
import io.recolens.simulator.SimulatorConfig;
import io.recolens.simulator.SpanEncoding;
import io.recolens.simulator.Topic;
import io.recolens.simulator.TrafficSimulator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/** The decoders on simulated records: the per-record floor under everything the job does. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class DecoderBenchmark {
    @Param({"otlp_proto", "otlp_json"})
    public String encoding;

    private List<byte[]> impressions;
    private List<byte[]> spanMessages;
    private ImpressionJsonDecoder impressionDecoder;
    private OtlpSpanDecoder spanDecoder;
    private int next;

    @Setup
    public void load() {
        SpanEncoding spans = encoding.equals("otlp_json") ? SpanEncoding.OTLP_JSON : SpanEncoding.OTLP_PROTO;
        RecordingTrafficSink sink = new RecordingTrafficSink();
        new TrafficSimulator().run(SimulatorConfig.builder().requests(2_000).malformedShare(0).spanEncoding(spans)
                .startEpochMs(System.currentTimeMillis() - 3_600_000L).build(), sink);
        impressions = sink.all().stream().filter(r -> r.topic() == Topic.IMPRESSIONS).map(RecordingTrafficSink.Recorded::value).toList();
        spanMessages = sink.all().stream().filter(r -> r.topic() == Topic.SPANS).map(RecordingTrafficSink.Recorded::value).toList();
        DecoderSettings settings = DecoderSettings.builder("jmh-benchmark-key").build();
        impressionDecoder = new ImpressionJsonDecoder(settings);
        spanDecoder = new OtlpSpanDecoder(encoding.equals("otlp_json") ? OtlpEncoding.OTLP_JSON : OtlpEncoding.OTLP_PROTO, settings);
    }

    /** One impression JSON record. */
    @Benchmark
    public void impression(Blackhole out) {
        byte[] value = impressions.get(next++ % impressions.size());
        impressionDecoder.decode(new RawRecord("impressions", 0, next, null, value, 0), out::consume, out::consume);
    }

    /** One OTLP message (several spans, sometimes several traces). */
    @Benchmark
    public void spanMessage(Blackhole out) {
        byte[] value = spanMessages.get(next++ % spanMessages.size());
        spanDecoder.decode(new RawRecord("spans", 0, next, null, value, 0), out::consume, out::consume);
    }
}
