package io.recolens.jobs.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class FinalWatermarkTest {

    private static OneInputStreamOperatorTestHarness<String, String> harness() throws Exception {
        OneInputStreamOperatorTestHarness<String, String> h = new OneInputStreamOperatorTestHarness<>(new FinalWatermark<>());
        h.open();
        return h;
    }

    @Test
    void anIdleInputThatEndsStillSendsTheEndOfEventTimeAfterItsRecords() throws Exception {
        try (OneInputStreamOperatorTestHarness<String, String> h = harness()) {
            h.processElement(new StreamRecord<>("a", 1_000));
            h.processWatermark(new Watermark(500));
            h.processWatermarkStatus(WatermarkStatus.IDLE);
            h.endInput();
            assertThat(List.copyOf(h.getOutput())).containsExactly(
                    new StreamRecord<>("a", 1_000), new Watermark(500), WatermarkStatus.IDLE, WatermarkStatus.ACTIVE, Watermark.MAX_WATERMARK);
        }
    }

    @Test
    void anInputThatSentTheFinalWatermarkItselfIsNotSentItTwice() throws Exception {
        try (OneInputStreamOperatorTestHarness<String, String> h = harness()) {
            h.processElement(new StreamRecord<>("a", 1_000));
            h.processWatermark(Watermark.MAX_WATERMARK);
            h.endInput();
            assertThat(List.copyOf(h.getOutput())).containsExactly(new StreamRecord<>("a", 1_000), Watermark.MAX_WATERMARK);
        }
    }

    @Test
    void anActiveInputThatEndsGetsTheFinalWatermarkWithoutAStatusChange() throws Exception {
        try (OneInputStreamOperatorTestHarness<String, String> h = harness()) {
            h.processWatermark(new Watermark(500));
            h.endInput();
            assertThat(List.copyOf(h.getOutput())).containsExactly(new Watermark(500), Watermark.MAX_WATERMARK);
        }
    }
}
