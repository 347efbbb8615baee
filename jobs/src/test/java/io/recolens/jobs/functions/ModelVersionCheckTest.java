package io.recolens.jobs.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.recolens.model.AnomalyRow;
import io.recolens.model.Impression;
import io.recolens.model.SpanRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ModelVersionCheckTest {
    private static final long GAP = 1_000;
    private static final long LATENESS = 5_000;

    private KeyedTwoInputStreamOperatorTestHarness<String, Impression, SpanRecord, AnomalyRow> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = newHarness();
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, Impression, SpanRecord, AnomalyRow> newHarness() throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(new KeyedCoProcessOperator<>(new ModelVersionCheck(GAP, LATENESS)),
                i -> i.traceId, s -> s.traceId, Types.STRING);
    }

    @Test
    void aSpanReportingAnotherVersionOfTheSameModelIsOneFindingPerImpression() throws Exception {
        harness.processElement2(new StreamRecord<>(ranker("t1", "s1", "ranker", "3.3.0", 100), 100));
        harness.processElement2(new StreamRecord<>(ranker("t1", "s2", "other-model", "9", 100), 100));
        harness.processElement1(new StreamRecord<>(impression("imp-1", "t1", "3.2.1", 200), 200));
        harness.processElement1(new StreamRecord<>(impression("imp-1", "t1", "3.2.1", 200), 200));
        harness.processBothWatermarks(new Watermark(200 + GAP - 1));
        assertThat(harness.extractOutputValues()).isEmpty();
        harness.processBothWatermarks(new Watermark(200 + GAP));
        assertThat(harness.extractOutputValues()).singleElement().satisfies(a -> {
            assertThat(a.kind).isEqualTo(LineageFindings.MODEL_VERSION_MISMATCH);
            assertThat(a.impressionId).isEqualTo("imp-1");
            assertThat(a.detail).contains("3.2.1", "3.3.0").doesNotContain("other-model");
        });
        // A repeated impression later within lateness is not reported again; then everything is forgotten.
        harness.processElement1(new StreamRecord<>(impression("imp-1", "t1", "3.2.1", 200), 200));
        harness.processBothWatermarks(new Watermark(200 + 2 * GAP + LATENESS));
        assertThat(harness.extractOutputValues()).hasSize(1);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void theSameVersionIsNoFinding() throws Exception {
        harness.processElement2(new StreamRecord<>(ranker("t1", "s1", "ranker", "3.2.1", 100), 100));
        harness.processElement1(new StreamRecord<>(impression("imp-1", "t1", "3.2.1", 200), 200));
        harness.processBothWatermarks(new Watermark(10_000));
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void snapshotAndRestoreKeepsTheTrace() throws Exception {
        harness.processElement2(new StreamRecord<>(ranker("t1", "s1", "ranker", "3.3.0", 100), 100));
        OperatorSubtaskState snapshot = harness.snapshot(1L, 100);
        harness.close();
        harness = newHarness();
        harness.setup();
        harness.initializeState(snapshot);
        harness.open();
        harness.processElement1(new StreamRecord<>(impression("imp-1", "t1", "3.2.1", 200), 200));
        harness.processBothWatermarks(new Watermark(200 + GAP));
        assertThat(harness.extractOutputValues()).hasSize(1);
    }

    @Test
    void slimRecordsGiveTheSameFindingAsWholeOnesAndCarryNoSlate() throws Exception {
        Impression whole = impression("imp-1", "t1", "3.2.1", 200);
        whole.items.add(new io.recolens.model.SlateItem("item-1", 0, 0.9));
        whole.features.add(new io.recolens.model.FeatureRef("user_embedding", "v3", "h"));
        SpanRecord span = ranker("t1", "s1", "ranker", "3.3.0", 100);
        harness.processElement2(new StreamRecord<>(span, 100));
        harness.processElement1(new StreamRecord<>(whole, 200));
        harness.processBothWatermarks(new Watermark(200 + GAP));
        AnomalyRow fromWhole = harness.extractOutputValues().get(0);

        List<Impression> slimImpressions = new ArrayList<>();
        new ModelVersionCheck.ImpressionsNamingAModel().flatMap(whole, new ListCollector<>(slimImpressions));
        Impression unnamed = Fixtures.impression("imp-2", "t1", 300, Map.of("exp", "a"));
        new ModelVersionCheck.ImpressionsNamingAModel().flatMap(unnamed, new ListCollector<>(slimImpressions));
        List<SpanRecord> slimSpans = new ArrayList<>();
        new ModelVersionCheck.SpansNamingAModel().flatMap(span, new ListCollector<>(slimSpans));
        new ModelVersionCheck.SpansNamingAModel().flatMap(Fixtures.child("t1", "s9", "db", 100, 10), new ListCollector<>(slimSpans));
        assertThat(slimImpressions).singleElement().satisfies(i -> {
            assertThat(i.items).isEmpty();
            assertThat(i.features).isEmpty();
        });
        assertThat(slimSpans).hasSize(1);

        try (KeyedTwoInputStreamOperatorTestHarness<String, Impression, SpanRecord, AnomalyRow> slim = newHarness()) {
            slim.open();
            slim.processElement2(new StreamRecord<>(slimSpans.get(0), 100));
            slim.processElement1(new StreamRecord<>(slimImpressions.get(0), 200));
            slim.processBothWatermarks(new Watermark(200 + GAP));
            assertThat(slim.extractOutputValues()).singleElement().usingRecursiveComparison().isEqualTo(fromWhole);
        }
    }

    private static Impression impression(String id, String trace, String version, long at) {
        Impression i = Fixtures.impression(id, trace, at, Map.of("exp", "a", "exp2", "b"));
        i.modelName = "ranker";
        i.modelVersion = version;
        return i;
    }

    private static SpanRecord ranker(String trace, String spanId, String model, String version, long at) {
        SpanRecord s = Fixtures.child(trace, spanId, "ranker", at, 1_000);
        s.modelName = model;
        s.modelVersion = version;
        return s;
    }
}
