package io.recolens.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several --config files merge in order (later wins), then flags; none is silently dropped. */
class ConfigFilesOrderTest {
    @Test
    void laterFilesWinAndFlagsWinOverFiles(@TempDir Path dir) throws Exception {
        Path a = Files.writeString(dir.resolve("a.properties"), "trace.gap=5 s\ntopics.clicks=from-a\n");
        Path b = Files.writeString(dir.resolve("b.properties"), "trace.gap=6 s\ncatalog.credential=x:y\n");
        Configuration c = ConfigReader.fromArgs(new String[] {"--config", a.toString(), "--config", b.toString(), "--topics.clicks", "flag"});
        assertThat(c.toMap()).containsEntry("trace.gap", "6 s").containsEntry("topics.clicks", "flag").containsEntry("catalog.credential", "x:y");
    }
}
