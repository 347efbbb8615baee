package io.recolens.jobs.functions;

import static io.recolens.jobs.functions.Fixtures.child;
import static io.recolens.jobs.functions.Fixtures.impression;
import static io.recolens.jobs.functions.Fixtures.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.recolens.model.AnomalyRow;
import io.recolens.connectors.iceberg.LatencyBuckets;
import io.recolens.model.LineageRow;
import io.recolens.model.SideEffectRow;
import io.recolens.model.SpanRecord;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TraceAssemblerTest {
    private static final long GAP = 1_000;
    private static final long RETENTION = 10_000;
    private static final long WINDOW = 60_000;

    private KeyedTwoInputStreamOperatorTestHarness<org.apache.flink.api.java.tuple.Tuple2<Long, Long>, io.recolens.model.Impression, SpanRecord, LineageRow> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = newHarness(Map.of());
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private static KeyedTwoInputStreamOperatorTestHarness<org.apache.flink.api.java.tuple.Tuple2<Long, Long>, io.recolens.model.Impression, SpanRecord, LineageRow> newHarness(
            Map<String, Set<String>> known) throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new TraceAssembler(GAP, RETENTION, WINDOW, known)),
                new TraceKeys.OfImpression(), new TraceKeys.OfSpan(), TraceKeys.TYPE);
    }

    @Test
    void closesTraceAfterGapAndEnrichesSpansThatDroppedTheBaggage() throws Exception {
        harness.processElement1(new StreamRecord<>(impression("imp-1", "t1", 100_000, Map.of("exp", "hybrid")), 100_000));
        harness.processElement2(new StreamRecord<>(span("t1", "s1", "gateway", 100_000, 40_000), 100_000));
        SpanRecord noBaggage = child("t1", "s2", "feature-store", 100_010, 12_000);
        noBaggage.database = true;
        harness.processElement2(new StreamRecord<>(noBaggage, 100_010));

        harness.processWatermark1(new org.apache.flink.streaming.api.watermark.Watermark(100_500));
        harness.processWatermark2(new org.apache.flink.streaming.api.watermark.Watermark(100_500));
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        advance(101_010);
        List<LineageRow> rows = harness.extractOutputValues();
        assertThat(rows).hasSize(1);
        LineageRow row = rows.get(0);
        assertThat(row.experiments).containsEntry("exp", "hybrid");
        assertThat(row.trace.spanCount).isEqualTo(2);
        assertThat(row.trace.rootDurationMicros).isEqualTo(40_000);
        assertThat(row.trace.dbTimeMicros).isEqualTo(12_000);
        assertThat(row.trace.serviceTimeMicros).containsEntry("feature-store", 12_000L);

        List<SideEffectRow> effects = sideEffects();
        assertThat(effects).extracting(r -> r.service).containsExactlyInAnyOrder("gateway", "feature-store");
        SideEffectRow fs = effects.stream().filter(r -> r.service.equals("feature-store")).findFirst().orElseThrow();
        assertThat(fs.variant).isEqualTo("hybrid");
        assertThat(fs.dbTimeMicros).isEqualTo(12_000);
        assertThat(fs.latencyHistogram[LatencyBuckets.bucketOf(12_000)]).isEqualTo(1);
        assertThat(fs.windowStart).isEqualTo(60_000);
    }

    @Test
    void spanAttributesAndFlagEventsFillMissingExperimentsAndConflictsAreReported() throws Exception {
        harness.processElement1(new StreamRecord<>(impression("imp-1", "t1", 1_000, Map.of("exp", "control")), 1_000));
        SpanRecord s = span("t1", "s1", "ranker", 1_000, 5_000);
        s.attributeVariants.put("exp", "hybrid");
        s.attributeVariants.put("other", "b");
        s.flagVariants.put("flag-x", "on");
        harness.processElement2(new StreamRecord<>(s, 1_000));
        advance(10_000);

        LineageRow row = harness.extractOutputValues().get(0);
        assertThat(row.experiments).containsEntry("exp", "control").containsEntry("other", "b").containsEntry("flag-x", "on");
        assertThat(row.variantSources).containsEntry("exp", "impression").containsEntry("other", "span_attribute").containsEntry("flag-x", "flag_event");
        List<AnomalyRow> anomalies = anomalies();
        assertThat(anomalies).extracting(a -> a.kind).containsExactly(AnomalyRow.VARIANT_CONFLICT);
        assertThat(anomalies.get(0).detail).contains("impression says 'control'").contains("says 'hybrid'");
    }

    @Test
    void duplicateImpressionsAndSpansCountOnceEvenAfterTheTraceClosed() throws Exception {
        var imp = impression("imp-1", "t1", 1_000, Map.of("exp", "a"));
        harness.processElement1(new StreamRecord<>(imp, 1_000));
        harness.processElement1(new StreamRecord<>(imp, 1_000));
        harness.processElement2(new StreamRecord<>(span("t1", "s1", "gw", 1_000, 1_000), 1_000));
        harness.processElement2(new StreamRecord<>(span("t1", "s1", "gw", 1_000, 1_000), 1_000));
        advance(5_000);
        assertThat(harness.extractOutputValues()).hasSize(1);
        assertThat(sideEffects()).singleElement().satisfies(r -> assertThat(r.spanCount).isEqualTo(1));

        harness.processElement1(new StreamRecord<>(imp, 1_000));
        harness.processElement2(new StreamRecord<>(span("t1", "s1", "gw", 1_000, 1_000), 1_000));
        assertThat(harness.extractOutputValues()).hasSize(1);
        assertThat(sideEffects()).hasSize(1);

        // A new span after close is enriched with the closed trace's variants.
        harness.processElement2(new StreamRecord<>(child("t1", "s9", "db", 1_500, 3_000), 1_500));
        assertThat(sideEffects()).hasSize(2).last().satisfies(r -> assertThat(r.variant).isEqualTo("a"));
    }

    @Test
    void spansWithoutImpressionAreAnAnomalyUnlessTheTraceOnlyCarriesLineage() throws Exception {
        SpanRecord orphan = span("t2", "s1", "ranker", 1_000, 1_000);
        harness.processElement2(new StreamRecord<>(orphan, 1_000));
        SpanRecord pipeline = span("t3", "p1", "feature-pipeline", 1_000, 1_000);
        pipeline.lineageId = "lin-1";
        pipeline.featureName = "user_embedding";
        harness.processElement2(new StreamRecord<>(pipeline, 1_000));
        advance(5_000);
        assertThat(anomalies()).extracting(a -> a.kind, a -> a.traceId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(AnomalyRow.SPAN_WITHOUT_IMPRESSION, "t2"));
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void unregisteredVariantIsReported() throws Exception {
        harness.close();
        harness = newHarness(Map.of("exp", Set.of("control", "hybrid")));
        harness.open();
        harness.processElement1(new StreamRecord<>(impression("imp-1", "t1", 1_000, Map.of("exp", "hybird")), 1_000));
        advance(5_000);
        assertThat(anomalies()).extracting(a -> a.kind).containsExactly(AnomalyRow.UNKNOWN_VARIANT);
    }

    @Test
    void stateIsClearedAfterLateRetention() throws Exception {
        harness.processElement1(new StreamRecord<>(impression("imp-1", "t1", 1_000, Map.of("exp", "a")), 1_000));
        advance(2_000);
        assertThat(harness.numKeyedStateEntries()).isGreaterThan(0);
        advance(2_000 + RETENTION);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void snapshotAndRestoreKeepsOpenTraces() throws Exception {
        harness.processElement1(new StreamRecord<>(impression("imp-1", "t1", 1_000, Map.of("exp", "a")), 1_000));
        harness.processElement2(new StreamRecord<>(span("t1", "s1", "gw", 1_000, 1_000), 1_000));
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1_500);
        harness.close();

        harness = newHarness(Map.of());
        harness.setup();
        harness.initializeState(snapshot);
        harness.open();
        harness.processElement2(new StreamRecord<>(child("t1", "s2", "db", 1_200, 2_000), 1_200));
        advance(5_000);
        LineageRow row = harness.extractOutputValues().get(0);
        assertThat(row.impressionId).isEqualTo("imp-1");
        assertThat(row.trace.spanCount).isEqualTo(2);
    }

    private void advance(long watermark) throws Exception {
        harness.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(watermark));
    }

    private List<SideEffectRow> sideEffects() {
        return harness.getSideOutput(TraceAssembler.SIDE_EFFECTS) == null ? List.of()
                : harness.getSideOutput(TraceAssembler.SIDE_EFFECTS).stream().map(StreamRecord::getValue).toList();
    }

    private List<AnomalyRow> anomalies() {
        return harness.getSideOutput(TraceAssembler.ANOMALIES) == null ? List.of()
                : harness.getSideOutput(TraceAssembler.ANOMALIES).stream().map(StreamRecord::getValue).toList();
    }
}
