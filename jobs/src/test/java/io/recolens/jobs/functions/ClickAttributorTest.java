package io.recolens.jobs.functions;

import static io.recolens.jobs.functions.Fixtures.click;
import static io.recolens.jobs.functions.Fixtures.servedRow;
import static org.assertj.core.api.Assertions.assertThat;

import io.recolens.model.AnomalyRow;
import io.recolens.model.Click;
import io.recolens.model.LineageRow;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClickAttributorTest {
    private static final long WINDOW = 10_000;
    private static final long ORPHAN = 15_000;
    private static final long RETENTION = 5_000;

    private KeyedTwoInputStreamOperatorTestHarness<String, AttributionInput, Click, LineageRow> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = newHarness();
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, AttributionInput, Click, LineageRow> newHarness() throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new ClickAttributor(WINDOW, ORPHAN, RETENTION)),
                r -> r.impressionId, c -> c.impressionId, Types.STRING);
    }

    @Test
    void clicksWithinTheWindowOnSlateItemsCountOnce() throws Exception {
        harness.processElement1(new StreamRecord<>(servedRow("imp-1", 1_000, Map.of("exp", "a")), 1_000));
        harness.processElement2(new StreamRecord<>(click("c1", "imp-1", "item-a", 3_000), 3_000));
        harness.processElement2(new StreamRecord<>(click("c1", "imp-1", "item-a", 3_000), 3_000));
        harness.processElement2(new StreamRecord<>(click("c2", "imp-1", "item-b", 10_999), 10_999));
        harness.processElement2(new StreamRecord<>(click("c3", "imp-1", "item-a", 11_001), 11_001));
        harness.processElement2(new StreamRecord<>(click("c4", "imp-1", "item-zzz", 4_000), 4_000));
        advance(10_999);
        assertThat(harness.extractOutputValues()).isEmpty();

        advance(11_000);
        List<LineageRow> rows = harness.extractOutputValues();
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).clicks).extracting(c -> c.clickId).containsExactly("c1", "c2");
        assertThat(anomalies()).extracting(a -> a.kind, a -> a.clickId).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(AnomalyRow.CLICK_OUTSIDE_WINDOW, "c3"),
                org.assertj.core.groups.Tuple.tuple(AnomalyRow.CLICK_ITEM_NOT_IN_SLATE, "c4"));
    }

    @Test
    void clickBeforeItsImpressionWaitsForIt() throws Exception {
        harness.processElement2(new StreamRecord<>(click("c1", "imp-1", "item-a", 2_000), 2_000));
        advance(1_500);
        harness.processElement1(new StreamRecord<>(servedRow("imp-1", 1_000, Map.of("exp", "a")), 1_000));
        advance(20_000);
        assertThat(harness.extractOutputValues()).singleElement().satisfies(r -> assertThat(r.clicks).hasSize(1));
        assertThat(anomalies()).isEmpty();
    }

    @Test
    void clickWhoseImpressionNeverComesIsAnOrphan() throws Exception {
        harness.processElement2(new StreamRecord<>(click("c1", "imp-x", "item-a", 2_000), 2_000));
        harness.processElement2(new StreamRecord<>(click("c1", "imp-x", "item-a", 2_000), 2_000));
        advance(2_000 + ORPHAN - 1);
        assertThat(anomalies()).isEmpty();
        advance(2_000 + ORPHAN);
        assertThat(anomalies()).extracting(a -> a.kind).containsExactly(AnomalyRow.ORPHAN_CLICK);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void duplicateImpressionIsIgnoredAndLateClickReported() throws Exception {
        harness.processElement1(new StreamRecord<>(servedRow("imp-1", 1_000, Map.of("exp", "a")), 1_000));
        harness.processElement1(new StreamRecord<>(servedRow("imp-1", 1_000, Map.of("exp", "a")), 1_000));
        advance(11_000);
        harness.processElement1(new StreamRecord<>(servedRow("imp-1", 1_000, Map.of("exp", "a")), 1_000));
        harness.processElement2(new StreamRecord<>(click("c1", "imp-1", "item-a", 5_000), 5_000));
        assertThat(harness.extractOutputValues()).hasSize(1);
        assertThat(anomalies()).extracting(a -> a.kind).containsExactly(AnomalyRow.LATE_CLICK);
        advance(11_000 + RETENTION);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void afterTheFinalWatermarkAnImpressionIsAttributedAtOnce() throws Exception {
        advance(Long.MAX_VALUE);
        // A record from an input that was idle at the drain: no timer can fire any more, so it is handled now.
        harness.processElement1(new StreamRecord<>(servedRow("imp-1", 1_000, Map.of("exp", "a")), 1_000));
        assertThat(harness.extractOutputValues()).singleElement().satisfies(r -> assertThat(r.impressionId).isEqualTo("imp-1"));
    }

    @Test
    void snapshotAndRestoreKeepsWaitingImpressionsAndClicks() throws Exception {
        harness.processElement1(new StreamRecord<>(servedRow("imp-1", 1_000, Map.of("exp", "a")), 1_000));
        harness.processElement2(new StreamRecord<>(click("c1", "imp-1", "item-a", 2_000), 2_000));
        OperatorSubtaskState snapshot = harness.snapshot(1L, 2_000);
        harness.close();
        harness = newHarness();
        harness.setup();
        harness.initializeState(snapshot);
        harness.open();
        harness.processElement2(new StreamRecord<>(click("c2", "imp-1", "item-b", 3_000), 3_000));
        advance(11_000);
        assertThat(harness.extractOutputValues()).singleElement()
                .satisfies(r -> assertThat(r.clicks).extracting(c -> c.clickId).containsExactly("c1", "c2"));
    }

    private void advance(long watermark) throws Exception {
        harness.processBothWatermarks(new Watermark(watermark));
    }

    private List<AnomalyRow> anomalies() {
        var out = harness.getSideOutput(ClickAttributor.ANOMALIES);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
    }
}
