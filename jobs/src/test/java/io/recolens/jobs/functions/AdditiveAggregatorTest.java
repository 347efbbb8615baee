package io.recolens.jobs.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.recolens.model.EngagementRow;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdditiveAggregatorTest {
    private static final long DELAY = 5_000;
    private final Aggregates.Engagement additive = new Aggregates.Engagement(DELAY);
    private KeyedOneInputStreamOperatorTestHarness<String, EngagementRow, EngagementRow> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = newHarness();
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private KeyedOneInputStreamOperatorTestHarness<String, EngagementRow, EngagementRow> newHarness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new AdditiveAggregator<>(additive, TypeInformation.of(EngagementRow.class))),
                additive, Types.STRING);
    }

    static EngagementRow row(String variant, long impressions, long clicks) {
        EngagementRow r = new EngagementRow();
        r.windowStart = 0;
        r.windowEnd = 60_000;
        r.experiment = "exp";
        r.variant = variant;
        r.surface = "home";
        r.segment = "new";
        r.impressions = impressions;
        r.itemImpressions = impressions * 10;
        r.clicks = clicks;
        r.clickedImpressions = clicks > 0 ? 1 : 0;
        return r;
    }

    @Test
    void sumsPerKeyAndFlushesWhenTheWatermarkPassesWindowEndPlusDelay() throws Exception {
        harness.processElement(row("a", 1, 1), 10);
        harness.processElement(row("a", 1, 0), 20);
        harness.processElement(row("b", 1, 2), 30);
        harness.processWatermark(new Watermark(64_999));
        assertThat(harness.extractOutputValues()).isEmpty();
        harness.processWatermark(new Watermark(65_000));
        List<EngagementRow> out = harness.extractOutputValues();
        assertThat(out).extracting(r -> r.variant, r -> r.impressions, r -> r.clicks, r -> r.itemImpressions)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("a", 2L, 1L, 20L),
                        org.assertj.core.groups.Tuple.tuple("b", 1L, 2L, 10L));
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void lateRowsBecomeAnAdditionalPartialRow() throws Exception {
        harness.processElement(row("a", 1, 0), 10);
        harness.processWatermark(new Watermark(70_000));
        harness.processElement(row("a", 3, 1), 10);
        harness.processWatermark(new Watermark(70_001));
        List<EngagementRow> out = harness.extractOutputValues();
        assertThat(out).hasSize(2);
        assertThat(out.stream().mapToLong(r -> r.impressions).sum()).isEqualTo(4);
    }

    @Test
    void rowsAfterTheFinalWatermarkAreWrittenAtOnce() throws Exception {
        harness.processWatermark(new Watermark(Long.MAX_VALUE));
        harness.processElement(row("a", 2, 1), 10);
        assertThat(harness.extractOutputValues()).singleElement().satisfies(r -> assertThat(r.impressions).isEqualTo(2));
    }

    @Test
    void snapshotAndRestoreKeepsPartialSums() throws Exception {
        harness.processElement(row("a", 2, 1), 10);
        OperatorSubtaskState snapshot = harness.snapshot(1, 10);
        harness.close();
        harness = newHarness();
        harness.setup();
        harness.initializeState(snapshot);
        harness.open();
        harness.processElement(row("a", 1, 0), 20);
        harness.processWatermark(new Watermark(65_000));
        assertThat(harness.extractOutputValues()).singleElement().satisfies(r -> {
            assertThat(r.impressions).isEqualTo(3);
            assertThat(r.clicks).isEqualTo(1);
        });
    }
}
