package io.recolens.jobs.governance;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotUpdate;
import org.apache.iceberg.Table;

/**
 * Keeps a streaming job restorable across maintenance commits. Iceberg's Flink committer finds the last checkpoint it
 * committed by walking the snapshot chain back from the current snapshot to the first one carrying its job and
 * operator ID ({@code flink.max-committed-checkpoint-id}); a snapshot chain cut by expiry before that point makes it
 * re-commit what was already committed (duplicates). Every maintenance commit therefore copies the newest such marker
 * onto its own snapshot, so the marker is always reachable from the current snapshot, even after {@code --purge}
 * expired everything older.
 */
public final class FlinkCommitMarker {

    static final String JOB_ID = "flink.job-id";
    static final String OPERATOR_ID = "flink.operator-id";
    static final String CHECKPOINT_ID = "flink.max-committed-checkpoint-id";

    private FlinkCommitMarker() {}

    /** The three summary entries of the newest snapshot from {@code from} backwards that has them. */
    public static Optional<Map<String, String>> newest(Table table, Snapshot from) {
        Snapshot s = from;
        while (s != null) {
            Map<String, String> summary = s.summary();
            if (summary != null && summary.containsKey(CHECKPOINT_ID) && summary.containsKey(JOB_ID)) {
                Map<String, String> marker = new LinkedHashMap<>();
                marker.put(JOB_ID, summary.get(JOB_ID));
                marker.put(CHECKPOINT_ID, summary.get(CHECKPOINT_ID));
                if (summary.containsKey(OPERATOR_ID)) {
                    marker.put(OPERATOR_ID, summary.get(OPERATOR_ID));
                }
                return Optional.of(marker);
            }
            s = s.parentId() == null ? null : table.snapshot(s.parentId());
        }
        return Optional.empty();
    }

    /**
     * Commits {@code update} carrying the current marker. If a Flink commit slipped in between (Iceberg retries our
     * commit on top of it), our snapshot may carry an older marker than its parent: then an empty append repeats the
     * right one on top, so the current snapshot's marker is never older than the job's last commit.
     */
    public static <T> Snapshot commit(Table table, SnapshotUpdate<T> update) {
        table.refresh();
        Snapshot base = table.currentSnapshot();
        newest(table, base).ifPresent(marker -> marker.forEach(update::set));
        update.commit();
        table.refresh();
        Snapshot committed = table.currentSnapshot();
        for (int attempt = 0; attempt < 5 && base != null && committed != null && !isParent(base, committed) && stale(table, committed); attempt++) {
            var append = table.newFastAppend();
            newest(table, table.snapshot(committed.parentId())).ifPresent(marker -> marker.forEach(append::set));
            base = committed;
            append.commit();
            table.refresh();
            committed = table.currentSnapshot();
        }
        return committed;
    }

    private static boolean isParent(Snapshot base, Snapshot committed) {
        return committed.parentId() != null && committed.parentId() == base.snapshotId();
    }

    // Our snapshot's marker is stale when an ancestor of it carries a different (newer) one for the same job.
    private static boolean stale(Table table, Snapshot committed) {
        if (committed.parentId() == null) {
            return false;
        }
        Optional<Map<String, String>> ours = Optional.ofNullable(committed.summary().get(CHECKPOINT_ID)).map(id -> Map.of(CHECKPOINT_ID, id));
        Optional<Map<String, String>> below = newest(table, table.snapshot(committed.parentId()));
        if (below.isEmpty()) {
            return false;
        }
        return ours.isEmpty() || !below.get().get(CHECKPOINT_ID).equals(ours.get().get(CHECKPOINT_ID))
                || !below.get().get(JOB_ID).equals(committed.summary().get(JOB_ID));
    }
}
