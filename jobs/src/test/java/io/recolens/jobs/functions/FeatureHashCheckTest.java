package io.recolens.jobs.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.recolens.model.AnomalyRow;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FeatureHashCheckTest {
    private static final long WAIT = 10_000;
    private static final long RETENTION = 100_000;

    private KeyedOneInputStreamOperatorTestHarness<String, HashClaim, AnomalyRow> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = newHarness();
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, HashClaim, AnomalyRow> newHarness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new FeatureHashCheck(WAIT, RETENTION)),
                HashClaim::key, Types.STRING);
    }

    @Test
    void theEarliestHashIsTheReferenceAndEachOtherHashIsOneFinding() throws Exception {
        // Claims of three salts, out of event-time order, within one watermark step.
        claim("imp-3", 3_000, "h-bad");
        claim("imp-1", 1_000, "h-good");
        claim("imp-2", 2_000, "h-good");
        claim("imp-4", 4_000, "h-bad");
        claim("imp-5", 5_000, "h-worse");
        harness.processWatermark(new Watermark(5_000 + WAIT - 1));
        assertThat(harness.extractOutputValues()).extracting(a -> a.impressionId).containsExactly("imp-3");
        harness.processWatermark(new Watermark(5_000 + WAIT));
        assertThat(harness.extractOutputValues()).extracting(a -> a.kind, a -> a.impressionId, a -> a.lineageId).containsExactly(
                tuple(LineageFindings.FEATURE_HASH_MISMATCH, "imp-3", "lin-1"),
                tuple(LineageFindings.FEATURE_HASH_MISMATCH, "imp-5", "lin-1"));
        assertThat(harness.extractOutputValues().get(0).detail).contains("h-bad", "h-good", "imp-1");
    }

    @Test
    void stateIsForgottenAfterTheRetention() throws Exception {
        claim("imp-1", 1_000, "h-good");
        harness.processWatermark(new Watermark(1_000 + WAIT + RETENTION - 1));
        assertThat(harness.numKeyedStateEntries()).isPositive();
        harness.processWatermark(new Watermark(1_000 + WAIT + RETENTION));
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void snapshotAndRestoreKeepsTheReference() throws Exception {
        claim("imp-1", 1_000, "h-good");
        harness.processWatermark(new Watermark(1_000 + WAIT));
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1_000 + WAIT);
        harness.close();
        harness = newHarness();
        harness.setup();
        harness.initializeState(snapshot);
        harness.open();
        claim("imp-2", 2_000, "h-good");
        claim("imp-3", 3_000, "h-bad");
        harness.processWatermark(new Watermark(3_000 + WAIT));
        assertThat(harness.extractOutputValues()).extracting(a -> a.impressionId).containsExactly("imp-3");
    }

    private void claim(String impressionId, long servedAt, String hash) throws Exception {
        HashClaim c = new HashClaim();
        c.lineageId = "lin-1";
        c.featureName = "user_embedding";
        c.featureVersion = "v1";
        c.hash = hash;
        c.impressionId = impressionId;
        c.traceId = "t-" + impressionId;
        c.servedAt = servedAt;
        harness.processElement(new StreamRecord<>(c, servedAt + WAIT));
    }
}
