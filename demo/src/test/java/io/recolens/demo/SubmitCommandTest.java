package io.recolens.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubmitCommandTest {
    @TempDir
    Path dir;

    @Test
    void configFileAndFlagsBecomeProgramArgumentsFlagsLast() throws Exception {
        Path config = Files.writeString(dir.resolve("job.properties"), "kafka.group-id=from-file\ntrace.gap = 30 s\n");
        SubmitCommand.Flags f = SubmitCommand.Flags.parse(new String[] {"--cluster", "http://127.0.0.1:8081", "--jar", "job.jar",
                "--config", config.toString(), "--trace.gap", "5 s", "--mode=batch", "--parallelism", "4", "--wait"});
        assertThat(f.cluster().toString()).isEqualTo("http://127.0.0.1:8081");
        assertThat(f.parallelism()).isEqualTo(4);
        assertThat(f.await()).isTrue();
        assertThat(f.savepoint()).isNull();
        assertThat(f.jobArgs()).containsExactly("--kafka.group-id", "from-file", "--trace.gap", "5 s", "--mode", "batch");
    }

    @Test
    void aLocalSavepointFolderBecomesAnAbsoluteFileUriAndUrisPassAsGiven() throws Exception {
        SubmitCommand.Flags local = SubmitCommand.Flags.parse(new String[] {"--cluster", "http://h:1", "--jar", "j", "--savepoint", "sp/savepoint-1"});
        assertThat(local.savepoint()).isEqualTo(Path.of("sp/savepoint-1").toAbsolutePath().toUri().toString());
        SubmitCommand.Flags s3 = SubmitCommand.Flags.parse(new String[] {"--cluster", "http://h:1", "--jar", "j", "--savepoint", "s3://b/sp/savepoint-1"});
        assertThat(s3.savepoint()).isEqualTo("s3://b/sp/savepoint-1");
    }

    @Test
    void refusesTheHmacKeyAsAProgramArgumentAndAMissingCluster() throws Exception {
        Path config = Files.writeString(dir.resolve("job.properties"), "unit-key.secret=0123456789abcdef0123\n");
        assertThatThrownBy(() -> SubmitCommand.Flags.parse(new String[] {"--cluster", "http://h:1", "--jar", "j", "--config", config.toString()}))
                .hasMessageContaining("refusing to submit unit-key.secret").hasMessageContaining("RECOLENS_UNIT_KEY_SECRET");
        assertThatThrownBy(() -> SubmitCommand.Flags.parse(new String[] {"--jar", "j"})).hasMessageContaining("--cluster URL is required");
    }
}
