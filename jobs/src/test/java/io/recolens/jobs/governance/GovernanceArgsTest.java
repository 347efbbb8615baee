package io.recolens.jobs.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recolens.jobs.config.ConfigException;
import io.recolens.jobs.config.RecolensOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** maintain/forget read the catalog like run: --config file, then flags; their own flags apart. */
class GovernanceArgsTest {

    @TempDir
    Path dir;

    @Test
    void ownFlagsApartAndTheRestReadLikeTheJob() throws Exception {
        Path file = Files.writeString(dir.resolve("job.properties"),
                "catalog.type=hadoop\ncatalog.warehouse=/from/file\ncatalog.namespace=ns1\nmaintenance.snapshot-max-age=2 h\n");
        GovernanceArgs args = GovernanceArgs.parse(new String[] {"--dry-run", "--config", file.toString(), "--purge",
                "--catalog.warehouse", "/from/flag", "--user", "u-1"});
        assertThat(args.dryRun()).isTrue();
        assertThat(args.purge()).isTrue();
        assertThat(args.user()).isEqualTo("u-1");
        assertThat(args.unitKey()).isNull();
        assertThat(args.catalog().config().catalogProperties()).containsEntry("warehouse", "/from/flag");
        assertThat(args.catalog().namespace().toString()).isEqualTo("ns1");
        assertThat(MaintenanceSettings.from(args.config()).snapshotMaxAge()).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void defaultsAndChecks() {
        MaintenanceSettings defaults = MaintenanceSettings.from(new Configuration());
        assertThat(defaults.snapshotMaxAge()).isEqualTo(Duration.ofDays(1));
        assertThat(defaults.snapshotMinKeep()).isEqualTo(20);
        assertThat(defaults.orphanMinAge()).isEqualTo(Duration.ofDays(3));
        assertThat(defaults.targetFileBytes()).isEqualTo(128L << 20);
        assertThat(defaults.smallFileBytes()).isEqualTo(96L << 20);
        assertThat(defaults.minInputFiles()).isEqualTo(5);
        Configuration c = new Configuration();
        c.set(RecolensOptions.MAINTENANCE_MIN_INPUT_FILES, 1);
        assertThatThrownBy(() -> MaintenanceSettings.from(c)).hasMessageContaining("maintenance.compaction.min-input-files");
    }

    @Test
    void unknownKeysAndMissingValuesAreRefused() {
        assertThatThrownBy(() -> GovernanceArgs.parse(new String[] {"--catalog.type", "hadoop", "--maintenance.typo", "1"}))
                .isInstanceOf(ConfigException.class).hasMessageContaining("maintenance.typo");
        assertThatThrownBy(() -> GovernanceArgs.parse(new String[] {"--user"})).hasMessageContaining("--user needs a value");
    }
}
