package io.recolens.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandFlagsTest {
    @TempDir
    Path dir;

    @Test
    void reportFlagsAreTakenAndCatalogKeysReadLikeRun() throws Exception {
        Path config = dir.resolve("job.properties");
        Files.writeString(config, "catalog.warehouse=/from/file\ncatalog.namespace=ns\n");
        ReportCommand.Arguments a = ReportCommand.parse(new String[] {"--experiment", "e", "--from", "2026-11-20T00:00:00Z",
                "--control", "c", "--format", "markdown", "--out", "r.md", "--split", "c=2, t=1", "--every", "10m",
                "--config", config.toString(), "--catalog.warehouse", "/from/flag"});
        assertThat(a.options().experiment()).isEqualTo("e");
        assertThat(a.options().from()).isEqualTo(Instant.parse("2026-11-20T00:00:00Z"));
        assertThat(a.options().to()).isNull();
        assertThat(a.options().control()).isEqualTo("c");
        assertThat(a.options().split()).containsEntry("c", 2.0).containsEntry("t", 1.0);
        assertThat(a.format()).isEqualTo("markdown");
        assertThat(a.every()).isEqualTo(Duration.ofMinutes(10));
        // Flags override the file, as for `run`.
        assertThat(a.catalog()).containsEntry("warehouse", "/from/flag").containsEntry("namespace", "ns");
    }

    @Test
    void badFlagsAreRefusedWithTheFix() {
        assertThatThrownBy(() -> ReportCommand.parse(new String[] {"--format", "pdf", "--experiment", "e"})).hasMessageContaining("text, markdown, json or html");
        assertThatThrownBy(() -> ReportCommand.parse(new String[] {"--format", "json"})).hasMessageContaining("--experiment is required");
        assertThatThrownBy(() -> ReportCommand.parse(new String[] {"--experiment", "e", "--catalog-warehouse", "x"})).hasMessageContaining("unknown key");
        assertThatThrownBy(() -> ReportCommand.duration("soon")).hasMessageContaining("30s, 10m or 1h");
        assertThat(ReportCommand.duration("90s")).isEqualTo(Duration.ofSeconds(90));
    }
}
