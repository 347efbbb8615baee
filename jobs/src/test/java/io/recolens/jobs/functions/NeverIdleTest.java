package io.recolens.jobs.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class NeverIdleTest {

    @Test
    void recordsAndWatermarksPassButIdlenessDoesNot() throws Exception {
        try (OneInputStreamOperatorTestHarness<String, String> h = new OneInputStreamOperatorTestHarness<>(new NeverIdle<>())) {
            h.open();
            h.processElement(new StreamRecord<>("a", 1_000));
            h.processWatermark(new Watermark(500));
            h.processWatermarkStatus(WatermarkStatus.IDLE);
            h.processWatermarkStatus(WatermarkStatus.ACTIVE);
            h.processElement(new StreamRecord<>("b", 2_000));
            h.processWatermark(Watermark.MAX_WATERMARK);
            assertThat(List.copyOf(h.getOutput())).containsExactly(
                    new StreamRecord<>("a", 1_000), new Watermark(500), new StreamRecord<>("b", 2_000), Watermark.MAX_WATERMARK);
        }
    }
}
