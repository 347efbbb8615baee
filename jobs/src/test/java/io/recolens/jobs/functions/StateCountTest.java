package io.recolens.jobs.functions;

import static io.recolens.jobs.functions.Fixtures.click;
import static io.recolens.jobs.functions.Fixtures.impression;
import static io.recolens.jobs.functions.Fixtures.servedRow;
import static io.recolens.jobs.functions.Fixtures.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.recolens.model.Click;
import io.recolens.model.Impression;
import io.recolens.model.LineageRow;
import io.recolens.model.SpanRecord;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The openTraces and waitingImpressions gauges follow what the functions hold in state, and keep it across a
 * snapshot and restore (before, a restored job counted from zero and the gauge went negative as restored traces closed).
 */
class StateCountTest {
    @Test
    void openTracesCountsTracesUntilTheyCloseAndSurvivesARestore() throws Exception {
        var harness = traceHarness();
        harness.open();
        harness.processElement1(new StreamRecord<>(impression("imp-1", "t1", 1_000, Map.of("exp", "a")), 1_000));
        harness.processElement2(new StreamRecord<>(span("t1", "s1", "gw", 1_000, 1_000), 1_000));
        harness.processElement2(new StreamRecord<>(span("t2", "s2", "gw", 1_100, 1_000), 1_100));
        assertThat(traces(harness).openTraces()).isEqualTo(2);
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1_500);
        harness.close();

        harness = traceHarness();
        harness.setup();
        harness.initializeState(snapshot);
        harness.open();
        assertThat(traces(harness).openTraces()).as("restored").isEqualTo(2);
        harness.processElement2(new StreamRecord<>(span("t3", "s3", "gw", 1_200, 1_000), 1_200));
        assertThat(traces(harness).openTraces()).isEqualTo(3);
        harness.processBothWatermarks(new Watermark(10_000));
        assertThat(harness.extractOutputValues()).hasSize(1);
        assertThat(traces(harness).openTraces()).as("all closed, restored ones included").isZero();
        harness.close();
    }

    @Test
    void waitingImpressionsCountsImpressionsUntilAttributedAndSurvivesARestore() throws Exception {
        var harness = attributionHarness();
        harness.open();
        harness.processElement1(new StreamRecord<>(servedRow("imp-1", 1_000, Map.of("exp", "a")), 1_000));
        harness.processElement1(new StreamRecord<>(servedRow("imp-1", 1_000, Map.of("exp", "a")), 1_000));
        harness.processElement1(new StreamRecord<>(servedRow("imp-2", 2_000, Map.of("exp", "a")), 2_000));
        harness.processElement2(new StreamRecord<>(click("c1", "imp-3", "item-a", 2_000), 2_000));
        assertThat(attribution(harness).waitingImpressions()).as("a duplicate and a click alone are not waiting impressions").isEqualTo(2);
        OperatorSubtaskState snapshot = harness.snapshot(1L, 2_000);
        harness.close();

        harness = attributionHarness();
        harness.setup();
        harness.initializeState(snapshot);
        harness.open();
        assertThat(attribution(harness).waitingImpressions()).as("restored").isEqualTo(2);
        harness.processBothWatermarks(new Watermark(11_000));
        assertThat(attribution(harness).waitingImpressions()).isEqualTo(1);
        harness.processBothWatermarks(new Watermark(12_000));
        assertThat(attribution(harness).waitingImpressions()).isZero();
        harness.close();
    }

    private static KeyedTwoInputStreamOperatorTestHarness<org.apache.flink.api.java.tuple.Tuple2<Long, Long>, Impression, SpanRecord, LineageRow> traceHarness() throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(new KeyedCoProcessOperator<>(new TraceAssembler(1_000, 10_000, 60_000, Map.of())),
                new TraceKeys.OfImpression(), new TraceKeys.OfSpan(), TraceKeys.TYPE);
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, AttributionInput, Click, LineageRow> attributionHarness() throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(new KeyedCoProcessOperator<>(new ClickAttributor(10_000, 15_000, 5_000)),
                r -> r.impressionId, c -> c.impressionId, Types.STRING);
    }

    @SuppressWarnings("unchecked")
    private static TraceAssembler traces(KeyedTwoInputStreamOperatorTestHarness<org.apache.flink.api.java.tuple.Tuple2<Long, Long>, Impression, SpanRecord, LineageRow> h) {
        return (TraceAssembler) ((KeyedCoProcessOperator<org.apache.flink.api.java.tuple.Tuple2<Long, Long>, Impression, SpanRecord, LineageRow>) h.getOperator()).getUserFunction();
    }

    @SuppressWarnings("unchecked")
    private static ClickAttributor attribution(KeyedTwoInputStreamOperatorTestHarness<String, AttributionInput, Click, LineageRow> h) {
        return (ClickAttributor) ((KeyedCoProcessOperator<String, AttributionInput, Click, LineageRow>) h.getOperator()).getUserFunction();
    }
}
