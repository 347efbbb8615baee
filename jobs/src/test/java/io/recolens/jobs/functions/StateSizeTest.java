package io.recolens.jobs.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.recolens.connectors.decode.ClickJsonDecoder;
import io.recolens.connectors.decode.DecoderSettings;
import io.recolens.connectors.decode.ImpressionJsonDecoder;
import io.recolens.connectors.decode.OtlpEncoding;
import io.recolens.connectors.decode.OtlpSpanDecoder;
import io.recolens.model.Click;
import io.recolens.model.Impression;
import io.recolens.model.LineageRow;
import io.recolens.model.RawRecord;
import io.recolens.model.SpanRecord;
import io.recolens.simulator.RecordingTrafficSink;
import io.recolens.simulator.SimulatorConfig;
import io.recolens.simulator.SpanEncoding;
import io.recolens.simulator.Topic;
import io.recolens.simulator.TrafficSimulator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Measures the state per open trace, per closed trace and per waiting impression on simulator traffic, with the
 * serializers Flink picks for the state descriptors and with the size of real harness snapshots (docs/lateness.md,
 * "State per key"). The bounds fail the test if a change makes the state much larger.
 */
class StateSizeTest {
    private static final long GAP = 30_000;
    private static final long LATENESS = 600_000;
    private static final long WINDOW = 60_000;
    private static final long ATTRIBUTION = 1_800_000;

    @Test
    void statePerKeyOnSimulatorTraffic() throws Exception {
        SimulatorConfig config = SimulatorConfig.builder().seed(7).requests(400).users(100).build();
        RecordingTrafficSink recording = new RecordingTrafficSink();
        new TrafficSimulator().run(config, recording);
        DecoderSettings decoding = DecoderSettings.builder("a-long-enough-test-secret-0123456789").build();
        List<Impression> impressions = decode(recording, Topic.IMPRESSIONS, new ImpressionJsonDecoder(decoding)::decode);
        List<Click> clicks = decode(recording, Topic.CLICKS, new ClickJsonDecoder(decoding)::decode);
        OtlpSpanDecoder spanDecoder = new OtlpSpanDecoder(config.spanEncoding() == SpanEncoding.OTLP_JSON ? OtlpEncoding.OTLP_JSON : OtlpEncoding.OTLP_PROTO, decoding);
        spanDecoder.open();
        List<SpanRecord> spans = decode(recording, Topic.SPANS, spanDecoder::decode);
        assertThat(impressions).isNotEmpty();
        assertThat(spans).isNotEmpty();

        Set<String> traces = new HashSet<>();
        impressions.forEach(i -> traces.add(i.traceId));
        spans.forEach(s -> traces.add(s.traceId));

        TypeSerializer<Impression> impressionSer = serializer(new ListStateDescriptor<>("i", Impression.class));
        TypeSerializer<SpanRecord> spanSer = serializer(new ListStateDescriptor<>("s", SpanRecord.class));
        TypeSerializer<LineageRow> rowSer = serializer(new ValueStateDescriptor<>("r", LineageRow.class));
        TypeSerializer<PendingClick> pendingSer = serializer(new ListStateDescriptor<>("c", PendingClick.class));
        TypeSerializer<Click> clickSer = serializer(new ListStateDescriptor<>("c", Click.class));
        double impressionBytes = average(impressions, impressionSer);
        double spanBytes = average(spans, spanSer);
        double spansPerTrace = (double) spans.size() / traces.size();
        List<PendingClick> pending = clicks.stream().map(PendingClick::of).toList();
        double pendingBytes = average(pending, pendingSer);
        double clickBytes = average(clicks, clickSer);

        // Open traces: every record in, no watermark yet.
        var assembler = assemblerHolding(impressions, spans);
        long openSnapshot = assembler.snapshot(1, 1).getStateSize();
        long maxEvent = Math.max(impressions.stream().mapToLong(i -> i.servedAt).max().orElse(0), spans.stream().mapToLong(s -> s.startMs).max().orElse(0));
        // Closed traces: every trace closed (gap passed), none forgotten yet (lateness not passed).
        assembler.processBothWatermarks(new Watermark(maxEvent + GAP + 1));
        long closedSnapshot = assembler.snapshot(2, 2).getStateSize();
        List<AttributionInput> rows = assembler.getSideOutput(TraceAssembler.TO_ATTRIBUTION).stream().map(StreamRecord::getValue).toList();
        assembler.close();

        // Waiting impressions: lineage rows and clicks in, attribution window not passed.
        var attributor = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new ClickAttributor(ATTRIBUTION, ATTRIBUTION + 300_000, LATENESS)),
                (AttributionInput r) -> r.impressionId, (Click c) -> c.impressionId, Types.STRING);
        attributor.open();
        for (AttributionInput r : rows) attributor.processElement1(new StreamRecord<>(r, r.eventTime));
        long rowsOnly = attributor.snapshot(1, 1).getStateSize();
        for (Click c : clicks) attributor.processElement2(new StreamRecord<>(c, c.clickedAt));
        long withClicks = attributor.snapshot(2, 2).getStateSize();
        double rowBytes = average(rows.stream().map(r -> r.row).toList(), rowSer);
        attributor.close();

        double openPerTrace = (double) openSnapshot / traces.size();
        double closedPerTrace = (double) closedSnapshot / traces.size();
        double waitingPerImpression = (double) withClicks / rows.size();
        System.out.printf("StateSize: %d impressions, %d traces, %.1f spans/trace, %d clicks%n", impressions.size(), traces.size(), spansPerTrace, clicks.size());
        System.out.printf("StateSize: serialized Impression %.0f B, SpanRecord %.0f B, LineageRow %.0f B, Click %.0f B, PendingClick %.0f B%n",
                impressionBytes, spanBytes, rowBytes, clickBytes, pendingBytes);
        System.out.printf("StateSize: snapshot per open trace %.0f B, per closed trace %.0f B%n", openPerTrace, closedPerTrace);
        System.out.printf("StateSize: snapshot per waiting impression %.0f B without clicks, %.0f B with its clicks%n",
                (double) rowsOnly / rows.size(), waitingPerImpression);

        // Bounds ~2x the measured numbers: a regression that doubles the state fails here.
        assertThat(openPerTrace).isLessThan(2 * (impressionBytes * impressions.size() / traces.size() + spanBytes * spansPerTrace) + 400);
        assertThat(closedPerTrace).isLessThan(openPerTrace);
        assertThat(pendingBytes).isLessThan(clickBytes);
        assertThat(waitingPerImpression).isLessThan(2 * rowBytes + 400);
    }

    /**
     * How the state of an open trace grows with spans per trace and experiments per request (docs/benchmarks.md,
     * "Cost growth"): the same traffic with extra database spans per request and extra experiments. Fails if a
     * span or an experiment costs far more state than its serialized record.
     */
    @Test
    void openTraceStateGrowsLinearlyWithSpansAndExperiments() throws Exception {
        TypeSerializer<SpanRecord> spanSer = serializer(new ListStateDescriptor<>("s", SpanRecord.class));
        double[] spans = new double[3];
        double[] bytesBySpans = new double[3];
        int[] extraSpans = {0, 8, 24};
        for (int i = 0; i < 3; i++) {
            OpenTraces t = openTraces(SimulatorConfig.builder().seed(7).requests(200).users(100).extraSpansPerRequest(extraSpans[i]).build());
            spans[i] = t.spansPerTrace();
            bytesBySpans[i] = t.bytesPerTrace();
            System.out.printf("StateGrowth: %.1f spans per trace, 2 experiments: %.0f B per open trace (%.0f B per span record)%n",
                    t.spansPerTrace(), t.bytesPerTrace(), average(t.spans(), spanSer));
        }
        double[] bytesByExperiments = new double[3];
        int[] extraExperiments = {0, 4, 14};
        for (int i = 0; i < 3; i++) {
            OpenTraces t = openTraces(SimulatorConfig.builder().seed(7).requests(200).users(100).extraExperiments(extraExperiments[i]).build());
            bytesByExperiments[i] = t.bytesPerTrace();
            System.out.printf("StateGrowth: %.1f spans per trace, %d experiments: %.0f B per open trace (%.0f B per span record)%n",
                    t.spansPerTrace(), 2 + extraExperiments[i], t.bytesPerTrace(), average(t.spans(), spanSer));
        }
        // Linear in spans: each added span costs about one serialized span record, never a multiple.
        double perAddedSpan = (bytesBySpans[2] - bytesBySpans[0]) / (spans[2] - spans[0]);
        assertThat(perAddedSpan).isBetween(50.0, 600.0);
        assertThat((bytesBySpans[2] - bytesBySpans[1]) / (spans[2] - spans[1])).isBetween(perAddedSpan * 0.5, perAddedSpan * 2);
        // Each experiment is one attribute on every span and one entry in the impression: linear, not quadratic.
        double perExperimentLow = (bytesByExperiments[1] - bytesByExperiments[0]) / 4;
        double perExperimentHigh = (bytesByExperiments[2] - bytesByExperiments[1]) / 10;
        assertThat(perExperimentHigh).isLessThan(2 * perExperimentLow + 100);
    }

    private record OpenTraces(List<SpanRecord> spans, double spansPerTrace, double bytesPerTrace) {}

    /** Every record of a simulation into the trace assembler, no watermark: every trace open; snapshot bytes per trace. */
    private static OpenTraces openTraces(SimulatorConfig config) throws Exception {
        RecordingTrafficSink recording = new RecordingTrafficSink();
        new TrafficSimulator().run(config, recording);
        DecoderSettings decoding = DecoderSettings.builder("a-long-enough-test-secret-0123456789").build();
        List<Impression> impressions = decode(recording, Topic.IMPRESSIONS, new ImpressionJsonDecoder(decoding)::decode);
        OtlpSpanDecoder spanDecoder = new OtlpSpanDecoder(OtlpEncoding.OTLP_PROTO, decoding);
        spanDecoder.open();
        List<SpanRecord> spans = decode(recording, Topic.SPANS, spanDecoder::decode);
        Set<String> traces = new HashSet<>();
        impressions.forEach(i -> traces.add(i.traceId));
        spans.forEach(s -> traces.add(s.traceId));
        var assembler = assemblerHolding(impressions, spans);
        long open = assembler.snapshot(1, 1).getStateSize();
        assembler.close();
        return new OpenTraces(spans, (double) spans.size() / traces.size(), (double) open / traces.size());
    }

    /** A trace assembler harness that has taken every record and no watermark: every trace open. */
    private static KeyedTwoInputStreamOperatorTestHarness<org.apache.flink.api.java.tuple.Tuple2<Long, Long>, Impression, SpanRecord, LineageRow>
            assemblerHolding(List<Impression> impressions, List<SpanRecord> spans) throws Exception {
        var assembler = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new TraceAssembler(GAP, LATENESS, WINDOW, Map.of())),
                new TraceKeys.OfImpression(), new TraceKeys.OfSpan(), TraceKeys.TYPE);
        assembler.open();
        for (Impression i : impressions) assembler.processElement1(new StreamRecord<>(i, i.servedAt));
        for (SpanRecord s : spans) assembler.processElement2(new StreamRecord<>(s, s.startMs));
        return assembler;
    }

    private static <T> TypeSerializer<T> serializer(StateDescriptor<?, ?> descriptor) {
        descriptor.initializeSerializerUnlessSet(new ExecutionConfig());
        @SuppressWarnings("unchecked")
        TypeSerializer<T> s = descriptor instanceof ListStateDescriptor<?> list
                ? (TypeSerializer<T>) list.getElementSerializer() : (TypeSerializer<T>) descriptor.getSerializer();
        return s;
    }

    private static <T> double average(List<T> values, TypeSerializer<T> serializer) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(4096);
        for (T v : values) serializer.serialize(v, out);
        return values.isEmpty() ? 0 : (double) out.length() / values.size();
    }

    private interface Decode<T> {
        void decode(RawRecord r, java.util.function.Consumer<T> out, java.util.function.Consumer<io.recolens.model.DeadLetter> dead);
    }

    private static <T> List<T> decode(RecordingTrafficSink recording, Topic topic, Decode<T> decoder) {
        List<T> out = new ArrayList<>();
        for (RecordingTrafficSink.Recorded r : recording.records(topic)) {
            decoder.decode(new RawRecord(topic.name(), 0, r.index(), r.key(), r.value(), r.timestampMs()), out::add, d -> {});
        }
        return out;
    }
}
