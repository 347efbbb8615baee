package io.recolens.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LocalRunnerFlagsTest {
    @Test
    void runnerFlagsAreTakenOutAndTheRestGoesToTheJob() {
        LocalRunner.Flags f = LocalRunner.Flags.parse(new String[] {"--config", "job.properties", "--port", "9000",
                "--checkpoint-dir", "ck", "--restore", "ck/abc/chk-3", "--trace.gap", "5 s"});
        assertThat(f.port()).isEqualTo(9000);
        assertThat(f.checkpoints()).isEqualTo(Path.of("ck").toAbsolutePath());
        assertThat(f.restore()).isEqualTo("ck/abc/chk-3");
        assertThat(f.fresh()).isFalse();
        assertThat(f.jobArgs()).containsExactly("--config", "job.properties", "--trace.gap", "5 s");
    }

    @Test
    void freshTurnsTheStartGuardOffAndExcludesRestore() {
        assertThat(LocalRunner.Flags.parse(new String[] {"--fresh"}).jobArgs()).containsExactly("--restore.require-state", "false");
        assertThatThrownBy(() -> LocalRunner.Flags.parse(new String[] {"--fresh", "--restore", "x"}))
                .hasMessageContaining("--restore and --fresh exclude each other");
    }

    @Test
    void progressLineShowsShareRateAndEta() {
        assertThat(ReadProgress.line(500, 2000, 10_000)).isEqualTo("read 500 of 2,000 records (25.0%), 50 rec/s, ETA 30s");
        assertThat(ReadProgress.line(500, -1, 10_000)).isEqualTo("read 500 records, 50 rec/s");
        assertThat(ReadProgress.line(-1, 2000, 10_000)).isEqualTo("waiting for the job's first metrics");
    }
}
