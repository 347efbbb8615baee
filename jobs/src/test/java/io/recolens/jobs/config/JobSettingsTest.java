package io.recolens.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobSettingsTest {
    private static final Map<String, String> ENV_WITH_KEY = Map.of(RecolensOptions.UNIT_KEY_ENV, "a-long-enough-test-secret-0123456789");

    private static JobSettings settings(Map<String, String> env, String... args) {
        return JobSettings.from(ConfigReader.fromArgs(args), env);
    }

    @Test
    void defaults() {
        JobSettings s = settings(ENV_WITH_KEY, "--kafka.bootstrap-servers", "localhost:9092");
        assertThat(s.mode).isEqualTo(RecolensOptions.Mode.STREAMING);
        assertThat(s.topicImpressions).isEqualTo("reco.impressions");
        assertThat(s.topicSpans).isEqualTo("otlp_spans");
        assertThat(s.spansEncoding).isEqualTo("otlp_proto");
        assertThat(s.traceGapMs).isEqualTo(30_000);
        assertThat(s.attributionWindowMs).isEqualTo(30 * 60_000);
        assertThat(s.stoppingOffsets).isEqualTo("none");
        assertThat(s.unitKey.resolve()).isEqualTo("a-long-enough-test-secret-0123456789");
        assertThat(s.knownExperiments).isEmpty();
        assertThat(s.baggageAllowList).containsExactly("experiment.*", "user.cohort");
    }

    @Test
    void flagsOverrideTheConfigFileWhichOverridesDefaults(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("job.properties");
        Files.writeString(file, "kafka.bootstrap-servers=file:9092\ntrace.gap=5 s\ncatalog.type=rest\ncatalog.uri=http://127.0.0.1:8181\n");
        JobSettings s = settings(ENV_WITH_KEY, "--config", file.toString(), "--trace.gap", "7 s", "--mode", "batch",
                "--experiments.known", "exp=a|b;other=x");
        assertThat(s.kafkaBootstrap).isEqualTo("file:9092");
        assertThat(s.traceGapMs).isEqualTo(7_000);
        assertThat(s.mode).isEqualTo(RecolensOptions.Mode.BATCH);
        assertThat(s.stoppingOffsets).isEqualTo("latest");
        assertThat(s.catalogProperties).containsEntry("type", "rest").containsEntry("uri", "http://127.0.0.1:8181");
        assertThat(s.knownExperiments).containsKeys("exp", "other");
        assertThat(s.knownExperiments.get("exp")).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void missingSecretFailsOutsideTheDemoAndNamesTheFix() {
        assertThatThrownBy(() -> settings(Map.of(), "--kafka.bootstrap-servers", "x:1"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unit-key.secret").hasMessageContaining(RecolensOptions.UNIT_KEY_ENV);
        assertThat(settings(Map.of(), "--kafka.bootstrap-servers", "x:1", "--demo", "true").unitKey.resolve())
                .isEqualTo(JobSettings.DEMO_UNIT_KEY_SECRET);
    }

    @Test
    void badValuesFailAtStartNamingTheKey() {
        assertThatThrownBy(() -> settings(ENV_WITH_KEY, "--kafka.bootstrap-servers", "x:1", "--trace.gapp", "1 s"))
                .hasMessageContaining("'trace.gapp'").hasMessageContaining("unknown key");
        assertThatThrownBy(() -> settings(ENV_WITH_KEY, "--kafka.bootstrap-servers", "x:1", "--spans.encoding", "zipkin"))
                .hasMessageContaining("spans.encoding").hasMessageContaining("otlp_proto or otlp_json");
        assertThatThrownBy(() -> settings(ENV_WITH_KEY))
                .hasMessageContaining("kafka.bootstrap-servers");
        assertThatThrownBy(() -> settings(ENV_WITH_KEY, "--input", "files"))
                .hasMessageContaining("'input'").hasMessageContaining("--mode batch");
        assertThatThrownBy(() -> settings(ENV_WITH_KEY, "--kafka.bootstrap-servers", "x:1", "--trace.gap", "0 s"))
                .hasMessageContaining("trace.gap").hasMessageContaining("positive");
        assertThatThrownBy(() -> settings(ENV_WITH_KEY, "--kafka.bootstrap-servers", "x:1", "--mode", "batch", "--kafka.stopping-offsets", "none"))
                .hasMessageContaining("kafka.stopping-offsets");
        assertThatThrownBy(() -> settings(ENV_WITH_KEY, "--kafka.bootstrap-servers", "x:1", "--experiments.known", "exp"))
                .hasMessageContaining("experiments.known");
        assertThatThrownBy(() -> settings(ENV_WITH_KEY, "--kafka.bootstrap-servers", "x:1", "--unit-daily.flush-interval", "7 h"))
                .hasMessageContaining("unit-daily.flush-interval").hasMessageContaining("divisor of 24 h");
        assertThatThrownBy(() -> settings(ENV_WITH_KEY, "--kafka.bootstrap-servers", "x:1", "--trace.gap", "soon"))
                .hasMessageContaining("trace.gap");
    }

    @Test
    void writeModeDefaultsToOverwriteInBatchAndAppendInStreaming() {
        assertThat(settings(ENV_WITH_KEY, "--kafka.bootstrap-servers", "x:1").sinkWriteMode)
                .isEqualTo(io.recolens.connectors.iceberg.SinkWriteMode.APPEND);
        assertThat(settings(ENV_WITH_KEY, "--kafka.bootstrap-servers", "x:1", "--mode", "batch").sinkWriteMode)
                .isEqualTo(io.recolens.connectors.iceberg.SinkWriteMode.OVERWRITE_PARTITIONS);
        assertThat(settings(ENV_WITH_KEY, "--kafka.bootstrap-servers", "x:1", "--mode", "batch",
                "--kafka.starting-offsets", "timestamp:1795219200000", "--kafka.stopping-offsets", "timestamp:1795305600000").sinkWriteMode)
                .isEqualTo(io.recolens.connectors.iceberg.SinkWriteMode.OVERWRITE_PARTITIONS);
        assertThat(settings(ENV_WITH_KEY, "--kafka.bootstrap-servers", "x:1").limits.forgetAfterMs).isEqualTo(7 * 86_400_000L);
        assertThat(settings(ENV_WITH_KEY, "--kafka.bootstrap-servers", "x:1", "--limits.forget-after", "2 h").limits.forgetAfterMs)
                .isEqualTo(7_200_000L);
    }

    @Test
    void overwriteIsRefusedInStreamingAndForBoundsInsideADay() {
        assertThatThrownBy(() -> settings(ENV_WITH_KEY, "--kafka.bootstrap-servers", "x:1", "--sink.write-mode", "overwrite-partitions"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sink.write-mode").hasMessageContaining("streaming");
        assertThatThrownBy(() -> settings(ENV_WITH_KEY, "--kafka.bootstrap-servers", "x:1", "--mode", "batch",
                "--kafka.stopping-offsets", "timestamp:1795305600001"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("kafka.stopping-offsets").hasMessageContaining("00:00Z");
        assertThatThrownBy(() -> settings(ENV_WITH_KEY, "--kafka.bootstrap-servers", "x:1", "--sink.write-mode", "replace"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("append or overwrite-partitions");
        // Append into another namespace takes any bounds.
        assertThat(settings(ENV_WITH_KEY, "--kafka.bootstrap-servers", "x:1", "--mode", "batch", "--sink.write-mode", "append",
                "--kafka.stopping-offsets", "timestamp:1795305600001").sinkWriteMode)
                .isEqualTo(io.recolens.connectors.iceberg.SinkWriteMode.APPEND);
    }
}
