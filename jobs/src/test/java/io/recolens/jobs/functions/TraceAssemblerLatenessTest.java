package io.recolens.jobs.functions;

import static io.recolens.jobs.functions.Fixtures.child;
import static io.recolens.jobs.functions.Fixtures.impression;
import static io.recolens.jobs.functions.Fixtures.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.recolens.model.AnomalyRow;
import io.recolens.model.Impression;
import io.recolens.model.LineageRow;
import io.recolens.model.SideEffectRow;
import io.recolens.model.SpanRecord;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bounded state, caps and the late-data policy of {@link TraceAssembler}, with both clocks advanced. */
class TraceAssemblerLatenessTest {
    private static final long GAP = 1_000;
    private static final long LATENESS = 10_000;
    private static final long WINDOW = 60_000;
    private static final long DAY = 86_400_000L;

    private KeyedTwoInputStreamOperatorTestHarness<org.apache.flink.api.java.tuple.Tuple2<Long, Long>, Impression, SpanRecord, LineageRow> harness;

    @AfterEach
    void tearDown() throws Exception {
        if (harness != null) harness.close();
    }

    private void start(int maxSpans, long maxDuration) throws Exception {
        harness = newHarness(maxSpans, maxDuration);
        harness.open();
    }

    private static KeyedTwoInputStreamOperatorTestHarness<org.apache.flink.api.java.tuple.Tuple2<Long, Long>, Impression, SpanRecord, LineageRow> newHarness(int maxSpans, long maxDuration) throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new TraceAssembler(GAP, LATENESS, WINDOW, Map.of(), maxSpans, maxDuration)),
                new TraceKeys.OfImpression(), new TraceKeys.OfSpan(), TraceKeys.TYPE);
    }

    /** Snapshot, close, restore into a fresh harness: what a failover in the middle of the scenario does. */
    private void restart(int maxSpans, long maxDuration) throws Exception {
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        harness.close();
        harness = newHarness(maxSpans, maxDuration);
        harness.setup();
        harness.initializeState(snapshot);
        harness.open();
    }

    @Test
    void aLongOutageWithTheWatermarkStuckLosesNothing() throws Exception {
        start(2000, 600_000);
        harness.processElement1(new StreamRecord<>(impression("imp-1", "t1", 1_000, Map.of("exp", "a")), 1_000));
        harness.processElement2(new StreamRecord<>(span("t1", "s1", "gw", 1_000, 5_000), 1_000));
        advance(500);
        // Days of processing time pass (an outage upstream) while event time stands still: no state may expire.
        harness.setProcessingTime(3 * DAY);
        harness.setStateTtlProcessingTime(3 * DAY);
        restart(2000, 600_000);
        harness.setProcessingTime(6 * DAY);
        harness.setStateTtlProcessingTime(6 * DAY);
        assertThat(harness.extractOutputValues()).isEmpty();

        harness.processElement2(new StreamRecord<>(child("t1", "s2", "db", 1_100, 2_000), 1_100));
        advance(2_100);
        assertThat(harness.extractOutputValues()).singleElement().satisfies(r -> {
            assertThat(r.impressionId).isEqualTo("imp-1");
            assertThat(r.trace.spanCount).isEqualTo(2);
        });
        assertThat(sideEffects()).extracting(r -> r.service).containsExactlyInAnyOrder("gw", "db");
        advance(2_100 + LATENESS);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void spansPastTheCapAreSummedButNotKeptAndReportedOnce() throws Exception {
        start(2, 600_000);
        harness.processElement1(new StreamRecord<>(impression("imp-1", "t1", 1_000, Map.of("exp", "a")), 1_000));
        for (int i = 0; i < 5; i++) {
            harness.processElement2(new StreamRecord<>(child("t1", "s" + i, "svc", 1_000 + i, 1_000), 1_000 + i));
            if (i == 2) restart(2, 600_000);
        }
        advance(3_000);
        assertThat(harness.extractOutputValues()).singleElement().satisfies(r -> assertThat(r.trace.spanCount).isEqualTo(5));
        assertThat(sideEffects()).singleElement().satisfies(r -> assertThat(r.spanCount).isEqualTo(5));
        assertThat(anomalies()).filteredOn(a -> a.kind.equals(AnomalyRow.TRACE_CAP)).singleElement()
                .satisfies(a -> assertThat(a.detail).startsWith("3 span(s) past trace.max-spans=2"));
        // Late spans past the cap still count; they are reported once when the trace is forgotten.
        harness.processElement2(new StreamRecord<>(child("t1", "s9", "svc", 1_500, 1_000), 1_500));
        assertThat(sideEffects()).hasSize(2);
        advance(3_000 + LATENESS);
        assertThat(anomalies()).filteredOn(a -> a.kind.equals(AnomalyRow.TRACE_CAP)).extracting(a -> a.detail)
                .hasSize(2).last().asString().startsWith("1 late span(s) past trace.max-spans=2");
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void aTraceLongerThanMaxDurationClosesAtTheCapAndLaterRecordsAreLate() throws Exception {
        start(2000, 5_000);
        harness.processElement1(new StreamRecord<>(impression("imp-1", "t1", 1_000, Map.of("exp", "a")), 1_000));
        for (long t = 1_500; t <= 5_500; t += 500) {
            harness.processElement2(new StreamRecord<>(child("t1", "s" + t, "svc", t, 1_000), t));
            advance(t - 400);
        }
        assertThat(harness.extractOutputValues()).isEmpty();
        advance(6_000);
        assertThat(harness.extractOutputValues()).singleElement().satisfies(r -> assertThat(r.trace.spanCount).isEqualTo(9));
        assertThat(anomalies()).extracting(a -> a.kind).containsExactly(AnomalyRow.TRACE_CAP);
        assertThat(anomalies().get(0).detail).contains("trace.max-duration=5000");

        harness.processElement2(new StreamRecord<>(child("t1", "s-late", "svc", 6_200, 1_000), 6_200));
        assertThat(attributionInputs()).last().satisfies(u -> {
            assertThat(u.isSummaryUpdate()).isTrue();
            assertThat(u.impressionId).isEqualTo("imp-1");
            assertThat(u.summary.spanCount).isEqualTo(10);
        });
        advance(6_000 + LATENESS);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void aLateImpressionBringsTheTraceSideEffectsExactlyOncePerExperiment() throws Exception {
        start(2000, 600_000);
        harness.processElement1(new StreamRecord<>(impression("imp-1", "t1", 1_000, Map.of("exp", "a")), 1_000));
        harness.processElement2(new StreamRecord<>(span("t1", "s1", "gw", 1_000, 5_000), 1_000));
        harness.processElement2(new StreamRecord<>(child("t1", "s2", "db", 1_010, 2_000), 1_010));
        advance(2_100);
        assertThat(sideEffects()).extracting(r -> r.experiment).containsOnly("exp").hasSize(2);
        assertThat(harness.extractOutputValues()).extracting(r -> r.impressionId).containsExactly("imp-1");
        restart(2000, 600_000);

        Impression late = impression("imp-2", "t1", 1_200, Map.of("exp", "a", "exp2", "x"));
        harness.processElement1(new StreamRecord<>(late, 1_200));
        harness.processElement1(new StreamRecord<>(late, 1_200));
        harness.processElement1(new StreamRecord<>(impression("imp-3", "t1", 1_300, Map.of("exp2", "x")), 1_300));

        List<LineageRow> rows = harness.extractOutputValues();
        assertThat(rows).extracting(r -> r.impressionId).containsExactly("imp-2", "imp-3");
        assertThat(rows.get(0).trace.spanCount).isEqualTo(2);
        assertThat(rows.get(0).experiments).containsEntry("exp", "a").containsEntry("exp2", "x");
        // exp was emitted at close; exp2 only once, for both spans, although two late impressions carry it.
        assertThat(sideEffects()).filteredOn(r -> r.experiment.equals("exp2")).extracting(r -> r.service, r -> r.variant)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("gw", "x"), org.assertj.core.groups.Tuple.tuple("db", "x"));
        assertThat(sideEffects()).filteredOn(r -> r.experiment.equals("exp")).isEmpty();
        advance(2_100 + LATENESS);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void aLateImpressionForATraceThatHadNoneGetsTheSpanVariantsAndNewExperiments() throws Exception {
        start(2000, 600_000);
        SpanRecord ranker = span("t1", "s1", "ranker", 1_000, 5_000);
        ranker.attributeVariants.put("exp", "b");
        harness.processElement2(new StreamRecord<>(ranker, 1_000));
        advance(2_100);
        assertThat(anomalies()).extracting(a -> a.kind).containsExactly(AnomalyRow.SPAN_WITHOUT_IMPRESSION);
        assertThat(sideEffects()).extracting(r -> r.experiment + "=" + r.variant).containsExactly("exp=b");

        harness.processElement1(new StreamRecord<>(impression("imp-1", "t1", 1_000, Map.of("exp2", "y")), 1_000));
        assertThat(harness.extractOutputValues()).singleElement().satisfies(r -> {
            assertThat(r.experiments).containsEntry("exp", "b").containsEntry("exp2", "y");
            assertThat(r.trace.spanCount).isEqualTo(1);
        });
        assertThat(sideEffects()).extracting(r -> r.experiment + "=" + r.variant).containsExactly("exp=b", "exp2=y");
    }

    @Test
    void aLateSpanEntersTheSummaryAndItsSideEffectsAndReachesTheLineageRow() throws Exception {
        start(2000, 600_000);
        harness.processElement1(new StreamRecord<>(impression("imp-1", "t1", 1_000, Map.of("exp", "a")), 1_000));
        harness.processElement2(new StreamRecord<>(span("t1", "s1", "gw", 1_000, 5_000), 1_000));
        advance(2_100);
        List<AttributionInput> toAttribution = new java.util.ArrayList<>(attributionInputs());
        restart(2000, 600_000);
        SpanRecord late = child("t1", "s2", "db", 1_050, 7_000);
        late.database = true;
        harness.processElement2(new StreamRecord<>(late, 1_050));
        harness.processElement2(new StreamRecord<>(late, 1_050));

        assertThat(sideEffects()).singleElement().satisfies(r -> {
            assertThat(r.service).isEqualTo("db");
            assertThat(r.variant).isEqualTo("a");
            assertThat(r.dbTimeMicros).isEqualTo(7_000);
        });
        toAttribution.addAll(attributionInputs());
        assertThat(toAttribution).hasSize(2);
        AttributionInput update = toAttribution.get(1);
        assertThat(update.isSummaryUpdate()).isTrue();
        assertThat(update.summary.spanCount).isEqualTo(2);
        assertThat(update.summary.dbTimeMicros).isEqualTo(7_000);

        // The row held by ClickAttributor takes the new summary and is written with it.
        var attributor = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new ClickAttributor(30_000, 35_000, LATENESS)),
                (AttributionInput r) -> r.impressionId, (io.recolens.model.Click c) -> c.impressionId, Types.STRING);
        attributor.open();
        for (AttributionInput in : toAttribution) attributor.processElement1(new StreamRecord<>(in, in.eventTime));
        attributor.processBothWatermarks(new Watermark(31_000));
        assertThat(attributor.extractOutputValues()).singleElement().satisfies(r -> {
            assertThat(r.trace.spanCount).isEqualTo(2);
            assertThat(r.trace.serviceTimeMicros).containsEntry("db", 7_000L);
        });
        attributor.close();
    }

    @Test
    void recordsPastLatenessAreLateRecordAnomaliesAndAnImpressionStillGetsItsRow() throws Exception {
        start(2000, 600_000);
        advance(100_000);
        harness.processElement2(new StreamRecord<>(span("t-old", "s1", "gw", 50_000, 1_000), 50_000));
        restart(2000, 600_000);
        // A restored operator knows no watermark until the first one arrives; until then nothing counts as late.
        advance(100_000);
        harness.processElement2(new StreamRecord<>(child("t-old", "s2", "db", 50_100, 1_000), 50_100));
        assertThat(anomalies()).isEmpty();
        advance(100_000 + GAP);
        assertThat(anomalies()).singleElement().satisfies(a -> {
            assertThat(a.kind).isEqualTo(AnomalyRow.LATE_RECORD);
            assertThat(a.detail).startsWith("kind=span: 2 span(s) up to 50000 ms behind the watermark");
        });
        assertThat(sideEffects()).isEmpty();

        harness.processElement1(new StreamRecord<>(impression("imp-9", "t-old", 60_000, Map.of("exp", "a")), 60_000));
        assertThat(harness.extractOutputValues()).singleElement().satisfies(r -> {
            assertThat(r.impressionId).isEqualTo("imp-9");
            assertThat(r.experiments).containsEntry("exp", "a");
            assertThat(r.trace.spanCount).isZero();
        });
        assertThat(anomalies()).last().satisfies(a -> {
            assertThat(a.kind).isEqualTo(AnomalyRow.LATE_RECORD);
            assertThat(a.detail).startsWith("kind=impression: 41000 ms behind");
            assertThat(a.impressionId).isEqualTo("imp-9");
        });
        assertThat(attributionInputs()).singleElement().satisfies(in -> assertThat(in.row.impressionId).isEqualTo("imp-9"));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void recordsWithinLatenessAfterCloseAreNotLateRecords() throws Exception {
        start(2000, 600_000);
        harness.processElement1(new StreamRecord<>(impression("imp-1", "t1", 1_000, Map.of("exp", "a")), 1_000));
        advance(2_000 + LATENESS - 1);
        harness.processElement2(new StreamRecord<>(span("t1", "s1", "gw", 1_000, 1_000), 1_000));
        assertThat(anomalies()).isEmpty();
        assertThat(sideEffects()).hasSize(1);
        advance(2_000 + LATENESS);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    private void advance(long watermark) throws Exception {
        harness.processBothWatermarks(new Watermark(watermark));
    }

    private List<SideEffectRow> sideEffects() {
        var out = harness.getSideOutput(TraceAssembler.SIDE_EFFECTS);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
    }

    private List<AnomalyRow> anomalies() {
        var out = harness.getSideOutput(TraceAssembler.ANOMALIES);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
    }

    private List<AttributionInput> attributionInputs() {
        var out = harness.getSideOutput(TraceAssembler.TO_ATTRIBUTION);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
    }
}
