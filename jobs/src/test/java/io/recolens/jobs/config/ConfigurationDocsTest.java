package io.recolens.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;

/** docs/configuration.md is what ConfigurationDocs generates from the options; -Dregenerate=true rewrites it. */
class ConfigurationDocsTest {
    private static Path docsFile() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("docs"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("repository root with docs/").isNotNull();
        return dir.resolve("docs").resolve("configuration.md");
    }

    @Test
    void theReferenceIsUpToDate() throws Exception {
        Path file = docsFile();
        String generated = ConfigurationDocs.render();
        if (Boolean.getBoolean("regenerate")) {
            Files.writeString(file, generated, StandardCharsets.UTF_8);
        }
        String committed = Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        assertThat(committed).as("docs/configuration.md is stale (an option was added or changed). Regenerate it from the "
                + "repository root with:%n  %s%nand commit the result", ConfigurationDocs.REGENERATE).isEqualTo(generated);
    }

    @Test
    void everyOptionHasADescriptionAndAppearsInTheReference() {
        String doc = ConfigurationDocs.render();
        for (ConfigOption<?> o : RecolensOptions.ALL) {
            assertThat(o.description().getBlocks()).as(o.key() + " has a description").isNotEmpty();
            assertThat(doc).contains("| `" + o.key() + "` |");
        }
    }
}
