package io.recolens.jobs.functions;

import static io.recolens.jobs.functions.FirstExposureTest.exposure;
import static org.assertj.core.api.Assertions.assertThat;

import io.recolens.model.ExposureRow;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link FirstExposure} remembers a unit for {@code exposures.retention} of event time, whatever processing time does. */
class FirstExposureRetentionTest {
    private static final long SETTLE = 2_000;
    private static final long RETENTION = 50_000;
    private static final long DAY = 86_400_000L;

    private KeyedOneInputStreamOperatorTestHarness<String, ExposureRow, ExposureRow> harness;

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ExposureRow, ExposureRow> newHarness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new FirstExposure(SETTLE, RETENTION)), ExposureCandidates::key, Types.STRING);
    }

    @Test
    void theUnitIsForgottenByAnEventTimeTimerNotByProcessingTime() throws Exception {
        harness = newHarness();
        harness.open();
        harness.processElement(exposure("u1", 1_000, "imp-1"), 1_000);
        harness.processWatermark(new Watermark(3_000));
        assertThat(harness.extractOutputValues()).hasSize(1);

        harness.setProcessingTime(400 * DAY);
        harness.setStateTtlProcessingTime(400 * DAY);
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();
        harness = newHarness();
        harness.setup();
        harness.initializeState(snapshot);
        harness.open();
        harness.processElement(exposure("u1", 20_000, "imp-2"), 20_000);
        harness.processWatermark(new Watermark(30_000));
        assertThat(harness.extractOutputValues()).isEmpty();

        harness.processWatermark(new Watermark(1_000 + RETENTION));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        harness.processElement(exposure("u1", 60_000, "imp-3"), 60_000);
        harness.processWatermark(new Watermark(70_000));
        assertThat(harness.extractOutputValues()).singleElement().satisfies(x -> assertThat(x.impressionId).isEqualTo("imp-3"));
    }

    @Test
    void aCandidateArrivingAfterTheFinalWatermarkDoesNotWriteTheUnitAgain() throws Exception {
        // Found by ExactlyOnceITCase: the final watermark of a drain fired the retention timers too, the unit was
        // forgotten, and a candidate from an input that was idle at the drain wrote a second exposure.
        harness = newHarness();
        harness.open();
        harness.processElement(exposure("u1", 1_000, "imp-1"), 1_000);
        harness.processWatermark(new Watermark(Long.MAX_VALUE));
        assertThat(harness.extractOutputValues()).hasSize(1);
        harness.processElement(exposure("u1", 5_000, "imp-2"), 5_000);
        assertThat(harness.extractOutputValues()).as("still one exposure").hasSize(1);
    }
}
