package io.recolens.jobs.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.recolens.model.ExposureRow;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FirstExposureTest {
    private static final long SETTLE = 2_000;
    private KeyedOneInputStreamOperatorTestHarness<String, ExposureRow, ExposureRow> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = newHarness();
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ExposureRow, ExposureRow> newHarness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new FirstExposure(SETTLE, 86_400_000L)), ExposureCandidates::key, Types.STRING);
    }

    static ExposureRow exposure(String unit, long at, String impression) {
        ExposureRow x = new ExposureRow();
        x.experiment = "exp";
        x.variant = "a";
        x.unitKey = unit;
        x.firstExposureAt = at;
        x.impressionId = impression;
        return x;
    }

    @Test
    void writesTheEarliestExposureOnceAfterItSettles() throws Exception {
        harness.processElement(exposure("u1", 5_000, "imp-2"), 5_000);
        harness.processElement(exposure("u1", 4_000, "imp-1"), 4_000);
        harness.processWatermark(new Watermark(5_999));
        assertThat(harness.extractOutputValues()).isEmpty();
        harness.processWatermark(new Watermark(6_000));
        assertThat(harness.extractOutputValues()).singleElement().satisfies(x -> assertThat(x.impressionId).isEqualTo("imp-1"));
        harness.processElement(exposure("u1", 9_000, "imp-3"), 9_000);
        harness.processWatermark(new Watermark(20_000));
        assertThat(harness.extractOutputValues()).hasSize(1);
    }

    @Test
    void snapshotAndRestoreRemembersWrittenUnits() throws Exception {
        harness.processElement(exposure("u1", 1_000, "imp-1"), 1_000);
        harness.processWatermark(new Watermark(10_000));
        harness.processElement(exposure("u2", 11_000, "imp-9"), 11_000);
        OperatorSubtaskState snapshot = harness.snapshot(1, 11_000);
        harness.close();
        harness = newHarness();
        harness.setup();
        harness.initializeState(snapshot);
        harness.open();
        harness.processElement(exposure("u1", 12_000, "imp-5"), 12_000);
        harness.processWatermark(new Watermark(30_000));
        assertThat(harness.extractOutputValues()).extracting(x -> x.unitKey).containsExactly("u2");
    }
}
