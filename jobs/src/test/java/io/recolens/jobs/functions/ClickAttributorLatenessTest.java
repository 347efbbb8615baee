package io.recolens.jobs.functions;

import static io.recolens.jobs.functions.Fixtures.click;
import static io.recolens.jobs.functions.Fixtures.servedRow;
import static org.assertj.core.api.Assertions.assertThat;

import io.recolens.model.AnomalyRow;
import io.recolens.model.Click;
import io.recolens.model.LineageRow;
import io.recolens.model.TraceSummary;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bounded state, the pending-click cap, summary updates and late clicks of {@link ClickAttributor}, with both clocks advanced. */
class ClickAttributorLatenessTest {
    private static final long WINDOW = 10_000;
    private static final long ORPHAN = 15_000;
    private static final long LATENESS = 5_000;
    private static final long DAY = 86_400_000L;

    private KeyedTwoInputStreamOperatorTestHarness<String, AttributionInput, Click, LineageRow> harness;

    @AfterEach
    void tearDown() throws Exception {
        if (harness != null) harness.close();
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, AttributionInput, Click, LineageRow> newHarness(int maxPending) throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new ClickAttributor(WINDOW, ORPHAN, LATENESS, maxPending)),
                r -> r.impressionId, c -> c.impressionId, Types.STRING);
    }

    private void start(int maxPending) throws Exception {
        harness = newHarness(maxPending);
        harness.open();
    }

    private void restart(int maxPending) throws Exception {
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        harness.close();
        harness = newHarness(maxPending);
        harness.setup();
        harness.initializeState(snapshot);
        harness.open();
    }

    @Test
    void aLongOutageDoesNotExpireTheWaitingImpression() throws Exception {
        start(1000);
        harness.processElement1(new StreamRecord<>(servedRow("imp-1", 1_000, Map.of("exp", "a")), 1_000));
        harness.processElement2(new StreamRecord<>(click("c1", "imp-1", "item-a", 2_000), 2_000));
        // The earlier processing-time TTL (~4 h) expired the row here and the attribution timer then failed on it.
        harness.setProcessingTime(5 * DAY);
        harness.setStateTtlProcessingTime(5 * DAY);
        restart(1000);
        harness.setStateTtlProcessingTime(10 * DAY);
        advance(11_000);
        assertThat(harness.extractOutputValues()).singleElement()
                .satisfies(r -> assertThat(r.clicks).extracting(c -> c.clickId).containsExactly("c1"));
        advance(11_000 + LATENESS + ORPHAN);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void clicksPastTheCapAreNotKeptAndReportedOnce() throws Exception {
        start(2);
        harness.processElement2(new StreamRecord<>(click("c1", "imp-1", "item-a", 1_100), 1_100));
        harness.processElement1(new StreamRecord<>(servedRow("imp-1", 1_000, Map.of("exp", "a")), 1_000));
        harness.processElement2(new StreamRecord<>(click("c2", "imp-1", "item-b", 1_200), 1_200));
        restart(2);
        harness.processElement2(new StreamRecord<>(click("c3", "imp-1", "item-a", 1_300), 1_300));
        harness.processElement2(new StreamRecord<>(click("c4", "imp-1", "item-a", 1_400), 1_400));
        advance(11_000);
        assertThat(harness.extractOutputValues()).singleElement()
                .satisfies(r -> assertThat(r.clicks).extracting(c -> c.clickId).containsExactly("c1", "c2"));
        assertThat(anomalies()).singleElement().satisfies(a -> {
            assertThat(a.kind).isEqualTo(AnomalyRow.CLICK_CAP);
            assertThat(a.impressionId).isEqualTo("imp-1");
            assertThat(a.detail).startsWith("2 click(s) past attribution.max-pending-clicks=2");
        });
        advance(100_000);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void orphanClicksPastTheCapAreReportedWhenTheLastOrphanIs() throws Exception {
        start(1);
        harness.processElement2(new StreamRecord<>(click("c1", "imp-x", "item-a", 1_000), 1_000));
        harness.processElement2(new StreamRecord<>(click("c2", "imp-x", "item-a", 1_100), 1_100));
        advance(1_000 + ORPHAN);
        assertThat(anomalies()).extracting(a -> a.kind).containsExactly(AnomalyRow.ORPHAN_CLICK, AnomalyRow.CLICK_CAP);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void aSummaryUpdateReplacesTheHeldSummaryAndAfterTheRowIsWrittenIsALateRecord() throws Exception {
        start(1000);
        harness.processElement1(new StreamRecord<>(servedRow("imp-1", 1_000, Map.of("exp", "a")), 1_000));
        TraceSummary newer = new TraceSummary();
        newer.spanCount = 7;
        harness.processElement1(new StreamRecord<>(AttributionInput.summaryUpdate("imp-1", "t-imp-1", newer, 1_500), 1_500));
        restart(1000);
        advance(11_000);
        assertThat(harness.extractOutputValues()).singleElement().satisfies(r -> assertThat(r.trace.spanCount).isEqualTo(7));

        TraceSummary tooLate = new TraceSummary();
        tooLate.spanCount = 8;
        harness.processElement1(new StreamRecord<>(AttributionInput.summaryUpdate("imp-1", "t-imp-1", tooLate, 1_600), 1_600));
        // An update for an impression this function never saw creates no state either.
        harness.processElement1(new StreamRecord<>(AttributionInput.summaryUpdate("imp-2", "t-imp-2", tooLate, 1_600), 1_600));
        assertThat(anomalies()).extracting(a -> a.kind, a -> a.impressionId).containsExactly(
                org.assertj.core.groups.Tuple.tuple(AnomalyRow.LATE_RECORD, "imp-1"),
                org.assertj.core.groups.Tuple.tuple(AnomalyRow.LATE_RECORD, "imp-2"));
        assertThat(anomalies().get(0).detail).startsWith("kind=span:").contains("now 8 spans");
        advance(11_000 + LATENESS);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void aClickPastLatenessWithNothingWaitingIsALateRecordAndKeepsNoState() throws Exception {
        start(1000);
        advance(100_000);
        harness.processElement2(new StreamRecord<>(click("c1", "imp-1", "item-a", 90_000), 90_000));
        harness.processElement2(new StreamRecord<>(click("c2", "imp-2", "item-a", 96_000), 96_000));
        assertThat(anomalies()).singleElement().satisfies(a -> {
            assertThat(a.kind).isEqualTo(AnomalyRow.LATE_RECORD);
            assertThat(a.clickId).isEqualTo("c1");
            assertThat(a.detail).startsWith("kind=click: 10000 ms behind the watermark");
        });
        // c2 is within lateness: it waits for its impression as before.
        harness.processElement1(new StreamRecord<>(servedRow("imp-2", 95_000, Map.of("exp", "a")), 95_000));
        advance(106_000);
        assertThat(harness.extractOutputValues()).singleElement().satisfies(r -> assertThat(r.clicks).hasSize(1));
        advance(200_000);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void anAttributionTimerThatFindsNoRowIsReportedNotAFailure() throws Exception {
        // A restore that lost the row but kept its timer: written by a function with the same state names.
        var broken = new KeyedTwoInputStreamOperatorTestHarness<>(new KeyedCoProcessOperator<>(new TimerWithoutRow()),
                (AttributionInput r) -> r.impressionId, (Click c) -> c.impressionId, Types.STRING);
        broken.open();
        broken.processElement1(new StreamRecord<>(servedRow("imp-1", 1_000, Map.of("exp", "a")), 1_000));
        OperatorSubtaskState snapshot = broken.snapshot(1L, 1L);
        broken.close();
        harness = newHarness(1000);
        harness.setup();
        harness.initializeState(snapshot);
        harness.open();
        harness.processElement2(new StreamRecord<>(click("c1", "imp-1", "item-a", 2_000), 2_000));
        advance(11_000);
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(anomalies()).extracting(a -> a.kind).containsExactly(AnomalyRow.STATE_MISSING, AnomalyRow.ORPHAN_CLICK);
        advance(100_000);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    /** Registers ClickAttributor's attribution timer and attribute-at state, but not the row. */
    private static final class TimerWithoutRow extends KeyedCoProcessFunction<String, AttributionInput, Click, LineageRow> {
        @Override
        public void processElement1(AttributionInput in, Context ctx, Collector<LineageRow> out) throws Exception {
            ValueState<Long> at = getRuntimeContext().getState(new ValueStateDescriptor<>("attribute-at", Long.class));
            at.update(in.row.servedAt + WINDOW);
            ctx.timerService().registerEventTimeTimer(in.row.servedAt + WINDOW);
        }

        @Override
        public void processElement2(Click click, Context ctx, Collector<LineageRow> out) {}
    }

    private void advance(long watermark) throws Exception {
        harness.processBothWatermarks(new Watermark(watermark));
    }

    private List<AnomalyRow> anomalies() {
        var out = harness.getSideOutput(ClickAttributor.ANOMALIES);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
    }
}
