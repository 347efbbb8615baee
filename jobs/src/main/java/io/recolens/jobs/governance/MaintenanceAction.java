package io.recolens.jobs.governance;

import java.util.List;

/**
 * One thing a maintain or forget run did (or, in a dry run, would do) to one table: a row of {@code maintenance_log}.
 *
 * @param table table name inside the recolens namespace
 * @param action retention, expire_snapshots, compact, remove_orphans, rewrite_manifests or forget
 * @param partitions partition paths touched, e.g. {@code served_at_day=2026-11-02}
 * @param unitKey forget only: the erased unit key; null otherwise
 * @param detail what was decided and why
 */
public record MaintenanceAction(
        String table,
        String action,
        List<String> partitions,
        long filesRemoved,
        long filesAdded,
        long snapshotsExpired,
        long bytesRemoved,
        long bytesAdded,
        long rowsRemoved,
        String unitKey,
        String detail) {

    public static final String RETENTION = "retention";
    public static final String EXPIRE_SNAPSHOTS = "expire_snapshots";
    public static final String COMPACT = "compact";
    public static final String REMOVE_ORPHANS = "remove_orphans";
    public static final String REWRITE_MANIFESTS = "rewrite_manifests";
    public static final String FORGET = "forget";

    public MaintenanceAction {
        partitions = List.copyOf(partitions);
    }

    /** True when the action changed nothing (or would change nothing). */
    public boolean isNoOp() {
        return filesRemoved == 0 && filesAdded == 0 && snapshotsExpired == 0 && rowsRemoved == 0;
    }
}
