package io.recolens.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.recolens.jobs.config.ConfigReader;
import io.recolens.jobs.config.JobSettings;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobConfigurationRecordTest {
    @Test
    void recordsTheLineageRelevantSettingsAndNoSecretOrConnection() {
        JobSettings settings = JobSettings.from(ConfigReader.fromMap(Map.of("mode", "batch", "kafka.bootstrap-servers", "kafka:9092",
                "lineage.provenance-wait", "2 min", "lineage.salts", "8", "catalog.uri", "https://catalog.example",
                "kafka.properties.sasl.jaas.config", "user=x password=hunter2")), Map.of("RECOLENS_UNIT_KEY_SECRET", "s3cr3t-integration-test-0123456789"));
        Map<String, String> recorded = JobConfigurationRecord.of(settings, Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(recorded).containsEntry("mode", "batch").containsEntry("lineage.provenance-wait", "120000 ms")
                .containsEntry("lineage.salts", "8").containsEntry("started_at", "2026-03-01T00:00:00Z")
                .containsEntry("sink.write-mode", "overwrite-partitions");
        String property = JobConfigurationRecord.format(recorded);
        assertThat(property).doesNotContain("s3cr3t", "hunter2", "kafka:9092", "catalog.example");
        assertThat(JobConfigurationRecord.parse(property)).isEqualTo(recorded);
    }
}
