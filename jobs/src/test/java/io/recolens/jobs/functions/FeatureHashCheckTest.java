package io.recolens.jobs.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.recolens.model.AnomalyRow;
import io.recolens.model.FeatureRef;
import io.recolens.model.LineageRow;
import io.recolens.model.SlateItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FeatureHashCheckTest {
    private static final long WAIT = 10_000;
    private static final long RETENTION = 100_000;

    private KeyedOneInputStreamOperatorTestHarness<String, LineageRow, AnomalyRow> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = newHarness();
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, LineageRow, AnomalyRow> newHarness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new FeatureHashCheck(WAIT, RETENTION)),
                new FeatureHashCheck.ByUnit(), Types.STRING);
    }

    @Test
    void theUnitsEarliestHashIsTheReferenceAndEachOtherHashIsOneFinding() throws Exception {
        // Rows of one unit from several join-3 subtasks, out of event-time order, within one watermark step.
        row("imp-3", "u1", 3_000, "v1", "h-bad");
        row("imp-1", "u1", 1_000, "v1", "h-good");
        row("imp-2", "u1", 2_000, "v1", "h-good");
        row("imp-4", "u1", 4_000, "v1", "h-bad");
        row("imp-5", "u1", 5_000, "v1", "h-worse");
        harness.processWatermark(new Watermark(5_000 + WAIT - 1));
        assertThat(harness.extractOutputValues()).extracting(a -> a.impressionId).containsExactly("imp-3");
        harness.processWatermark(new Watermark(5_000 + WAIT));
        assertThat(harness.extractOutputValues()).extracting(a -> a.kind, a -> a.impressionId, a -> a.lineageId).containsExactly(
                tuple(LineageFindings.FEATURE_HASH_MISMATCH, "imp-3", "lin-1"),
                tuple(LineageFindings.FEATURE_HASH_MISMATCH, "imp-5", "lin-1"));
        assertThat(harness.extractOutputValues().get(0).detail).contains("h-bad", "h-good", "imp-1", "user_embedding@v1");
        assertThat(harness.extractOutputValues().get(0).experiment).isEqualTo("exp");
    }

    @Test
    void otherUnitsAndOtherVersionsAreNeverCompared() throws Exception {
        row("imp-1", "u1", 1_000, "v1", "h-u1");
        row("imp-2", "u2", 2_000, "v1", "h-u2");
        row("imp-3", "u1", 3_000, "v2", "h-u1-v2");
        harness.processWatermark(new Watermark(100_000));
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void stateIsForgottenAfterTheRetention() throws Exception {
        row("imp-1", "u1", 1_000, "v1", "h-good");
        harness.processWatermark(new Watermark(1_000 + WAIT + RETENTION - 1));
        assertThat(harness.numKeyedStateEntries()).isPositive();
        harness.processWatermark(new Watermark(1_000 + WAIT + RETENTION));
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void snapshotAndRestoreKeepsTheReference() throws Exception {
        row("imp-1", "u1", 1_000, "v1", "h-good");
        harness.processWatermark(new Watermark(1_000 + WAIT));
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1_000 + WAIT);
        harness.close();
        harness = newHarness();
        harness.setup();
        harness.initializeState(snapshot);
        harness.open();
        row("imp-2", "u1", 2_000, "v1", "h-good");
        row("imp-3", "u1", 3_000, "v1", "h-bad");
        harness.processWatermark(new Watermark(3_000 + WAIT));
        assertThat(harness.extractOutputValues()).extracting(a -> a.impressionId).containsExactly("imp-3");
    }

    @Test
    void slimRowsGiveTheSameFindingsAsWholeRows() throws Exception {
        List<LineageRow> whole = new ArrayList<>();
        String[][] served = {{"imp-3", "3000", "h-bad"}, {"imp-1", "1000", "h-good"}, {"imp-2", "2000", "h-good"}, {"imp-5", "5000", "h-worse"}};
        for (String[] s : served) {
            LineageRow r = Fixtures.served(s[0], Long.parseLong(s[1]), Map.of("exp", "a"));
            r.unitKey = "u1";
            r.features.add(new FeatureRef("user_embedding", "v1", s[2]));
            r.items.add(new SlateItem("item-1", 0, 0.5));
            whole.add(r);
        }
        LineageRow withoutFeatures = Fixtures.served("imp-9", 1_500, Map.of("exp", "a"));
        withoutFeatures.unitKey = "u1";
        whole.add(withoutFeatures);

        List<LineageRow> slim = new ArrayList<>();
        for (LineageRow r : whole) new FeatureHashCheck.WhatTheCheckReads().flatMap(r, new ListCollector<>(slim));
        assertThat(slim).hasSize(4).allSatisfy(r -> assertThat(r.items).isEmpty());

        for (LineageRow r : whole) harness.processElement(new StreamRecord<>(r, r.servedAt + WAIT));
        harness.processWatermark(new Watermark(5_000 + WAIT));
        try (KeyedOneInputStreamOperatorTestHarness<String, LineageRow, AnomalyRow> other = newHarness()) {
            other.open();
            for (LineageRow r : slim) other.processElement(new StreamRecord<>(r, r.servedAt + WAIT));
            other.processWatermark(new Watermark(5_000 + WAIT));
            assertThat(other.extractOutputValues()).hasSize(2).usingRecursiveFieldByFieldElementComparator()
                    .containsExactlyElementsOf(harness.extractOutputValues());
        }
    }

    private void row(String impressionId, String unit, long servedAt, String version, String hash) throws Exception {
        LineageRow r = Fixtures.served(impressionId, servedAt, Map.of("exp", "a"));
        r.unitKey = unit;
        r.features.add(new FeatureRef("user_embedding", version, hash));
        harness.processElement(new StreamRecord<>(r, servedAt + WAIT));
    }
}
