package io.recolens.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recolens.jobs.config.ConfigException;
import io.recolens.jobs.config.ConfigReader;
import io.recolens.jobs.config.JobSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which archived records a backfill from the archive reads: everything, or [from, to) by each table's event time. */
class ArchiveInputsTest {
    private static final Map<String, String> ENV = Map.of("RECOLENS_UNIT_KEY_SECRET", "a-long-enough-test-secret-0123456789");
    private static final long DAY = 86_400_000L;

    private static JobSettings settings(String... args) {
        return JobSettings.from(ConfigReader.fromArgs(args), ENV);
    }

    @Test
    void withoutBoundsEveryArchivedRecordIsRead() {
        ArchiveInputs inputs = ArchiveInputs.of(settings("--mode", "batch", "--input", "archive"));
        assertThat(inputs.filters()).hasSize(3).allSatisfy((stream, filters) -> assertThat(filters).isEmpty());
    }

    @Test
    void timestampBoundsSelectEventTimeInEachTable() {
        ArchiveInputs inputs = ArchiveInputs.of(settings("--mode", "batch", "--input", "archive",
                "--kafka.starting-offsets", "timestamp:" + 20_000 * DAY, "--kafka.stopping-offsets", "timestamp:" + 20_001 * DAY));
        assertThat(inputs.filters().get(DecodedInput.Stream.IMPRESSIONS)).extracting(Object::toString)
                .containsExactly("ref(name=\"served_at\") >= " + 20_000 * DAY * 1000, "ref(name=\"served_at\") < " + 20_001 * DAY * 1000);
        assertThat(inputs.filters().get(DecodedInput.Stream.CLICKS).toString()).contains("clicked_at");
        assertThat(inputs.filters().get(DecodedInput.Stream.SPANS).toString()).contains("start_time");
    }

    @Test
    void theArchiveIsReadFromCatalogNamespaceOrArchiveReadNamespace() {
        assertThat(settings("--mode", "batch", "--input", "archive", "--catalog.namespace", "prod").archiveCatalogProperties)
                .containsEntry("namespace", "prod");
        JobSettings compare = settings("--mode", "batch", "--input", "archive", "--catalog.namespace", "compare",
                "--archive.read-namespace", "prod");
        assertThat(compare.archiveCatalogProperties).containsEntry("namespace", "prod");
        assertThat(compare.catalogProperties).containsEntry("namespace", "compare");
    }

    @Test
    void anOverwritingBackfillFromTheArchiveNeedsWholeDaysAsFromKafka() {
        assertThatThrownBy(() -> settings("--mode", "batch", "--input", "archive", "--kafka.starting-offsets", "timestamp:" + (DAY + 1)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("00:00Z");
    }
}
