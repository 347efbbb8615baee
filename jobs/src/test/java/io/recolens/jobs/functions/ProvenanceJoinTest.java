package io.recolens.jobs.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.recolens.model.AnomalyRow;
import io.recolens.model.FeatureRef;
import io.recolens.model.LineageRow;
import io.recolens.model.SpanRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProvenanceJoinTest {
    private static final long WAIT = 10_000;
    private static final long STALE = 50_000;
    private static final long RETENTION = 100_000;
    private static final int SALTS = 1;

    private KeyedTwoInputStreamOperatorTestHarness<String, LineageRow, Provenance, LineageRow> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = newHarness();
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, LineageRow, Provenance, LineageRow> newHarness() throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new ProvenanceJoin(WAIT, STALE, RETENTION)),
                new LineageKeys.OfRow(SALTS), new LineageKeys.OfProvenance(), Types.STRING);
    }

    @Test
    void provenanceThatCameBeforeTheImpressionEnrichesItWhenTheWaitEnds() throws Exception {
        provenance("run-1", "s1", "user_embedding", "v1", 0, 100);
        row("imp-1", 1_000, "hash-e", "hash-p");
        advance(1_000 + WAIT - 1);
        assertThat(harness.extractOutputValues()).isEmpty();

        advance(1_000 + WAIT);
        LineageRow out = harness.extractOutputValues().get(0);
        FeatureRef embedding = out.features.get(0);
        assertThat(embedding.source).isEqualTo("src.user_embedding");
        assertThat(embedding.pipelineTraceId).isEqualTo("run-1");
        assertThat(embedding.producedAt).isEqualTo(100L);
        assertThat(out.features.get(1).pipelineTraceId).isNull();
        assertThat(out.features.get(1).producedAt).isNull();
        assertThat(anomalies()).extracting(a -> a.kind, a -> a.impressionId, a -> a.lineageId)
                .containsExactly(tuple(LineageFindings.MISSING_ANCESTRY, "imp-1", "lin-1"));
        assertThat(anomalies().get(0).detail).contains("item_popularity@v1");
        // One experiment: it is named on the row.
        assertThat(anomalies().get(0).experiment).isEqualTo("exp");
    }

    @Test
    void provenanceThatComesAfterTheImpressionCountsWithinTheWaitOnly() throws Exception {
        row("imp-1", 1_000, "hash-e", "hash-p");
        provenance("run-late", "s1", "user_embedding", "v1", 1_000 + WAIT, 1_000 + WAIT + 500);
        provenance("run-too-late", "s2", "item_popularity", "v1", 1_000 + WAIT + 1, 1_000 + WAIT + 500);
        advance(1_000 + WAIT);
        LineageRow out = harness.extractOutputValues().get(0);
        assertThat(out.features).extracting(f -> f.pipelineTraceId).containsExactly("run-late", null);
        assertThat(anomalies()).extracting(a -> a.kind).containsExactly(LineageFindings.MISSING_ANCESTRY);
    }

    @Test
    void theLatestRunBeforeServingWinsAndOtherVersionsDoNotCount() throws Exception {
        provenance("run-old", "s1", "user_embedding", "v1", 0, 100);
        provenance("run-new", "s2", "user_embedding", "v1", 200, 300);
        provenance("run-after", "s3", "user_embedding", "v1", 1_500, 1_600);
        provenance("run-other-version", "s4", "item_popularity", "v2", 500, 600);
        row("imp-1", 1_000, "hash-e", "hash-p");
        advance(1_000 + WAIT);
        assertThat(harness.extractOutputValues().get(0).features).extracting(f -> f.pipelineTraceId).containsExactly("run-new", null);
    }

    @Test
    void provenanceOlderThanTheBoundIsAStaleFeature() throws Exception {
        provenance("run-1", "s1", "user_embedding", "v1", 0, 100);
        provenance("run-2", "s2", "item_popularity", "v1", 60_000, 60_100);
        row("imp-1", 100 + STALE + 1, "hash-e", "hash-p");
        advance(100 + STALE + 1 + WAIT);
        assertThat(anomalies()).extracting(a -> a.kind).containsExactly(LineageFindings.STALE_FEATURE);
        assertThat(anomalies().get(0).detail).contains("user_embedding@v1", "run-1");
    }

    @Test
    void aRepeatedSpanIsKeptOnceAndStateIsForgottenAfterTheRetention() throws Exception {
        provenance("run-1", "s1", "user_embedding", "v1", 0, 100);
        provenance("run-1", "s1", "user_embedding", "v1", 0, 100);
        row("imp-1", 1_000, "hash-e", "hash-p");
        advance(1_000 + WAIT);
        assertThat(harness.extractOutputValues()).hasSize(1);
        advance(1_000 + RETENTION - 1);
        assertThat(harness.numKeyedStateEntries()).isPositive();
        advance(1_000 + RETENTION);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void rowsDueAtOneTimeAreWrittenInEventTimeOrder() throws Exception {
        row("imp-2", 2_000, "hash-x", "hash-p");
        row("imp-1", 1_000, "hash-e", "hash-p");
        row("imp-3", 3_000, "hash-e", "hash-p");
        advance(3_000 + WAIT);
        assertThat(harness.extractOutputValues()).extracting(r -> r.impressionId).containsExactly("imp-1", "imp-2", "imp-3");
    }

    @Test
    void afterTheFinalWatermarkARowIsJoinedAtOnce() throws Exception {
        provenance("run-1", "s1", "user_embedding", "v1", 0, 100);
        advance(Long.MAX_VALUE);
        row("imp-1", 1_000, "hash-e", "hash-p");
        assertThat(harness.extractOutputValues()).singleElement()
                .satisfies(r -> assertThat(r.features.get(0).pipelineTraceId).isEqualTo("run-1"));
    }

    @Test
    void snapshotAndRestoreKeepsWaitingRowsAndProvenance() throws Exception {
        provenance("run-1", "s1", "user_embedding", "v1", 0, 100);
        row("imp-1", 1_000, "hash-e", "hash-p");
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1_000);
        harness.close();
        harness = newHarness();
        harness.setup();
        harness.initializeState(snapshot);
        harness.open();
        provenance("run-2", "s2", "item_popularity", "v1", 2_000, 2_100);
        advance(1_000 + WAIT);
        assertThat(harness.extractOutputValues()).singleElement()
                .satisfies(r -> assertThat(r.features).extracting(f -> f.pipelineTraceId).containsExactly("run-1", "run-2"));
        assertThat(anomalies()).isEmpty();
    }

    @Test
    void provenanceSpansAreOnlyThoseWithLineageAndFeatureAndGoToEverySalt() {
        SpanRecord describing = span("run-1", "s1", "user_embedding", "v1", 0, 100);
        SpanRecord referencing = span("t-serve", "s2", null, null, 0, 100);
        List<Provenance> out = new ArrayList<>();
        Collector<Provenance> collect = new Collector<>() {
            @Override
            public void collect(Provenance record) {
                out.add(record);
            }

            @Override
            public void close() {}
        };
        ProvenanceSpans split = new ProvenanceSpans(4);
        split.flatMap(describing, collect);
        split.flatMap(referencing, collect);
        assertThat(out).extracting(p -> p.salt).containsExactly(0, 1, 2, 3);
        assertThat(out).extracting(p -> new LineageKeys.OfProvenance().getKey(p)).containsExactly("lin-1#0", "lin-1#1", "lin-1#2", "lin-1#3");
        assertThat(LineageKeys.salt("imp-1", 4)).isBetween(0, 3).isEqualTo(LineageKeys.salt("imp-1", 4));
    }

    private void row(String impressionId, long servedAt, String embeddingHash, String popularityHash) throws Exception {
        LineageRow r = Fixtures.served(impressionId, servedAt, Map.of("exp", "a"));
        r.features.add(new FeatureRef("user_embedding", "v1", embeddingHash));
        r.features.add(new FeatureRef("item_popularity", "v1", popularityHash));
        harness.processElement1(new StreamRecord<>(r, servedAt));
    }

    private void provenance(String trace, String spanId, String feature, String version, long start, long end) throws Exception {
        harness.processElement2(new StreamRecord<>(Provenance.of(span(trace, spanId, feature, version, start, end), 0), start));
    }

    private static SpanRecord span(String trace, String spanId, String feature, String version, long start, long end) {
        SpanRecord s = Fixtures.span(trace, spanId, "feature-pipeline", start, (end - start) * 1000);
        s.lineageId = "lin-1";
        s.featureName = feature;
        s.featureVersion = version;
        s.featureSource = feature == null ? null : "src." + feature;
        return s;
    }

    private void advance(long watermark) throws Exception {
        harness.processBothWatermarks(new Watermark(watermark));
    }

    private List<AnomalyRow> anomalies() {
        var out = harness.getSideOutput(ProvenanceJoin.ANOMALIES);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
    }
}
