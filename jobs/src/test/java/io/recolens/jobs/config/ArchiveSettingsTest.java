package io.recolens.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** archive.enabled, archive.retention and input=archive: defaults, rounding, and what is refused. */
class ArchiveSettingsTest {
    private static final Map<String, String> ENV = Map.of(RecolensOptions.UNIT_KEY_ENV, "a-long-enough-test-secret-0123456789");

    private static JobSettings settings(String... args) {
        return JobSettings.from(ConfigReader.fromArgs(args), ENV);
    }

    @Test
    void offByDefaultWithSevenDaysOfRetention() {
        JobSettings s = settings("--kafka.bootstrap-servers", "x:1");
        assertThat(s.archive).isFalse();
        assertThat(s.archiveRetentionDays).isEqualTo(7);
    }

    @Test
    void retentionIsRoundedUpToWholeDays() {
        JobSettings s = settings("--kafka.bootstrap-servers", "x:1", "--archive.enabled", "true", "--archive.retention", "36 h");
        assertThat(s.archive).isTrue();
        assertThat(s.archiveRetentionDays).isEqualTo(2);
        assertThat(settings("--kafka.bootstrap-servers", "x:1", "--archive.retention", "1 min").archiveRetentionDays).isEqualTo(1);
        assertThatThrownBy(() -> settings("--kafka.bootstrap-servers", "x:1", "--archive.retention", "0 s"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("archive.retention");
    }

    @Test
    void theArchiveIsABatchInputThatNeedsNoKafkaAndIsNotArchivedAgain() {
        JobSettings s = settings("--mode", "batch", "--input", "archive", "--archive.enabled", "true");
        assertThat(s.input).isEqualTo(RecolensOptions.InputKind.ARCHIVE);
        assertThat(s.archive).as("reading the archive does not write it again").isFalse();
        assertThatThrownBy(() -> settings("--input", "archive")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("batch mode only");
    }
}
