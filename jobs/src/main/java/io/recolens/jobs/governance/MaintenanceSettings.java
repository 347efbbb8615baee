package io.recolens.jobs.governance;

import io.recolens.jobs.config.JobSettings;
import io.recolens.jobs.config.RecolensOptions;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;

/**
 * What {@code bin/recolens maintain} keeps and compacts, read from the same configuration as the job; the raw archive
 * keeps {@code archiveRetentionDays} (archive.retention) whatever its table property says.
 */
public record MaintenanceSettings(
        Duration snapshotMaxAge,
        int snapshotMinKeep,
        Duration orphanMinAge,
        long targetFileBytes,
        int minInputFiles,
        int archiveRetentionDays) {

    public MaintenanceSettings {
        if (snapshotMinKeep < 1) {
            throw new IllegalArgumentException(RecolensOptions.MAINTENANCE_SNAPSHOT_MIN_KEEP.key() + " must be at least 1");
        }
        if (minInputFiles < 2) {
            throw new IllegalArgumentException(RecolensOptions.MAINTENANCE_MIN_INPUT_FILES.key() + " must be at least 2");
        }
        if (targetFileBytes < 1024) {
            throw new IllegalArgumentException(RecolensOptions.MAINTENANCE_TARGET_FILE_SIZE.key() + " must be at least 1 kb");
        }
    }

    public static MaintenanceSettings from(Configuration c) {
        return new MaintenanceSettings(
                c.get(RecolensOptions.MAINTENANCE_SNAPSHOT_MAX_AGE),
                c.get(RecolensOptions.MAINTENANCE_SNAPSHOT_MIN_KEEP),
                c.get(RecolensOptions.MAINTENANCE_ORPHAN_MIN_AGE),
                c.get(RecolensOptions.MAINTENANCE_TARGET_FILE_SIZE).getBytes(),
                c.get(RecolensOptions.MAINTENANCE_MIN_INPUT_FILES),
                JobSettings.archiveRetentionDays(c));
    }

    /** Files under this size are small and compacted. */
    public long smallFileBytes() {
        return targetFileBytes * 3 / 4;
    }
}
