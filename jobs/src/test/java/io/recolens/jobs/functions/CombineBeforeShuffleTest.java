package io.recolens.jobs.functions;

import static io.recolens.jobs.functions.AdditiveAggregatorTest.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.recolens.connectors.iceberg.LatencyBuckets;
import io.recolens.model.EngagementRow;
import io.recolens.model.ExponentialHistogram;
import io.recolens.model.SideEffectRow;
import io.recolens.model.SpanRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class CombineBeforeShuffleTest {
    private final Aggregates.Engagement additive = new Aggregates.Engagement(5_000);

    private OneInputStreamOperatorTestHarness<EngagementRow, EngagementRow> harness(int maxKeys) throws Exception {
        OneInputStreamOperatorTestHarness<EngagementRow, EngagementRow> h =
                new OneInputStreamOperatorTestHarness<>(new CombineBeforeShuffle<>(additive, maxKeys));
        h.open();
        return h;
    }

    @Test
    void sendsOneRowPerKeyWithTheSumsBeforeTheWatermarkItBelongsTo() throws Exception {
        try (var h = harness(100)) {
            h.processElement(row("a", 1, 1), 10);
            h.processElement(row("a", 1, 0), 20);
            h.processElement(row("b", 1, 2), 30);
            h.processElement(row("a", 1, 1), 40);
            assertThat(h.getOutput()).isEmpty();

            h.processWatermark(new Watermark(50));

            List<Object> out = new ArrayList<>(h.getOutput());
            assertThat(out).hasSize(3);
            assertThat(out.get(2)).isEqualTo(new Watermark(50));
            assertThat(rows(out)).extracting(r -> r.variant + ":" + r.impressions + "/" + r.clicks)
                    .containsExactlyInAnyOrder("a:3/2", "b:1/2");
        }
    }

    @Test
    void sideEffectRowsLeaveWithTheirWholeLatencyHistogram() throws Exception {
        ExponentialHistogram expected = new ExponentialHistogram();
        try (var h = new OneInputStreamOperatorTestHarness<SideEffectRow, SideEffectRow>(
                new CombineBeforeShuffle<>(new Aggregates.SideEffects(1_000), 100))) {
            h.open();
            for (int i = 0; i < 500; i++) {
                SideEffectRow r = new SideEffectRow();
                r.windowStart = 0;
                r.windowEnd = 60_000;
                r.experiment = "e";
                r.variant = "v";
                r.service = "s";
                r.operation = "op";
                r.latencyHistogram = LatencyBuckets.newHistogram();
                SpanRecord span = new SpanRecord();
                span.durationMicros = 100 + 37L * i;
                SideEffects.addSpan(r, span);
                expected.add(span.durationMicros);
                h.processElement(r, i);
            }
            h.endInput();
            List<SideEffectRow> out = h.extractOutputValues();
            assertThat(out).hasSize(1);
            // Emitted sealed: the packed column (what Flink serializes) holds every span, not just the first row's.
            assertThat(out.get(0).latencyExpHistogram.packed).isEqualTo(expected.packed);
            assertThat(out.get(0).spanCount).isEqualTo(500);
        }
    }

    @Test
    void holdsNothingAcrossACheckpointBarrier() throws Exception {
        try (var h = harness(100)) {
            h.processElement(row("a", 1, 1), 10);
            h.prepareSnapshotPreBarrier(1);
            assertThat(rows(h.getOutput())).extracting(r -> r.impressions).containsExactly(1L);
            // Nothing is left to lose: the snapshot after the barrier holds no operator state.
            assertThat(((CombineBeforeShuffle<?>) h.getOneInputOperator()).held()).isZero();
        }
    }

    @Test
    void sendsEverythingWhenItHoldsMaxKeysAndAtTheEndOfInput() throws Exception {
        try (var h = harness(2)) {
            h.processElement(row("a", 1, 0), 10);
            h.processElement(row("b", 1, 0), 10);
            assertThat(rows(h.getOutput())).hasSize(2);
            h.processElement(row("c", 1, 0), 10);
            h.processElement(row("c", 1, 0), 10);
            h.endInput();
            assertThat(rows(h.getOutput())).extracting(r -> r.variant + ":" + r.impressions).containsExactly("a:1", "b:1", "c:2");
        }
    }

    @Test
    void keepsEverySumWhateverTheFlushPoints() throws Exception {
        long sent = 0;
        try (var h = harness(8)) {
            for (int i = 0; i < 1_000; i++) {
                h.processElement(row("v" + (i % 7), 1, i % 3), i);
                sent += i % 3;
                if (i % 97 == 0) h.processWatermark(new Watermark(i));
                if (i % 131 == 0) h.prepareSnapshotPreBarrier(i);
            }
            h.endInput();
            List<EngagementRow> out = rows(h.getOutput());
            assertThat(out.stream().mapToLong(r -> r.impressions).sum()).isEqualTo(1_000);
            assertThat(out.stream().mapToLong(r -> r.clicks).sum()).isEqualTo(sent);
            assertThat(out.size()).isLessThan(1_000);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<EngagementRow> rows(java.util.Collection<Object> output) {
        List<EngagementRow> rows = new ArrayList<>();
        for (Object o : output) if (o instanceof StreamRecord<?> r) rows.add(((StreamRecord<EngagementRow>) r).getValue());
        return rows;
    }
}
