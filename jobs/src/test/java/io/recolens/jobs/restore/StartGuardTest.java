package io.recolens.jobs.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.recolens.jobs.config.ConfigReader;
import io.recolens.jobs.config.JobSettings;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class StartGuardTest {
    private static JobSettings settings(Map<String, String> extra) {
        Map<String, String> c = new java.util.HashMap<>(Map.of("demo", "true", "kafka.bootstrap-servers", "127.0.0.1:1"));
        c.putAll(extra);
        return JobSettings.from(ConfigReader.fromMap(c), Map.of());
    }

    @Test
    void requiredByDefaultInStreamingAndNeverInBatch() {
        assertThat(settings(Map.of()).requireState).isTrue();
        assertThat(settings(Map.of("restore.require-state", "false")).requireState).isFalse();
        assertThat(settings(Map.of("mode", "batch")).requireState).isFalse();
    }

    @Test
    void skippedWithoutTouchingKafkaOrTheCatalogWhenARestoreIsConfiguredOrTheGuardIsOff() {
        // Kafka on port 1 and no catalog warehouse: any look would fail, so returning proves no look was taken.
        Configuration restoring = new Configuration();
        restoring.set(StateRecoveryOptions.SAVEPOINT_PATH, "file:///nowhere/chk-1");
        StartGuard.check(settings(Map.of()), restoring);
        StartGuard.check(settings(Map.of("restore.require-state", "false")), new Configuration());
        StartGuard.check(settings(Map.of("mode", "batch")), new Configuration());
    }

    @Test
    void messageNamesTheTablesTheGroupTheNewestRestorePointAndBothWaysOut() {
        String m = StartGuard.message("recolens", java.util.List.of("lineage_history"),
                Map.of(new TopicPartition("reco.impressions", 0), 42L), Optional.of("/ck/abc/chk-12 (checkpoint 12 of job abc, x)"));
        assertThat(m).startsWith("recolens: refusing to start without state")
                .contains("lineage_history", "'recolens'", "--restore PATH (newest found: /ck/abc/chk-12", "--fresh",
                        "execution.state-recovery.path", "restore.require-state=false");
    }
}
