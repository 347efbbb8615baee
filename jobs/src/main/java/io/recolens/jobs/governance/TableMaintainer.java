package io.recolens.jobs.governance;

import io.recolens.connectors.iceberg.TableDefinition;
import io.recolens.connectors.iceberg.TableDefinitions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.util.TimeUtils;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFiles;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.RewriteManifests;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * Maintains one table: retention (metadata-only deletes of whole day partitions), compaction of small files, snapshot
 * expiry, and orphan file removal; with {@code purge}, everything older than the current snapshot goes at once. Each
 * step returns what it did (or would do in a dry run) as a {@link MaintenanceAction}.
 */
public final class TableMaintainer {

    private final Table table;
    private final String name;
    private final MaintenanceSettings settings;
    private final boolean dryRun;
    private final Instant now;
    private final LocalDate today;

    /**
     * @param now wall-clock time: snapshot and file ages are measured from it
     * @param today the UTC day retention counts back from (today's date, except in tests and dry runs that ask "what if")
     */
    public TableMaintainer(Table table, String name, MaintenanceSettings settings, boolean dryRun, Instant now, LocalDate today) {
        this.table = table;
        this.name = name;
        this.settings = settings;
        this.dryRun = dryRun;
        this.now = now;
        this.today = today;
    }

    /** Every step in order; {@code purge} adds the manifest rewrite and expires everything but the current snapshot. */
    public List<MaintenanceAction> run(boolean purge) {
        List<MaintenanceAction> actions = new ArrayList<>();
        actions.add(retention());
        actions.add(compact());
        if (purge) {
            actions.add(rewriteManifests());
        }
        actions.add(expireSnapshots(purge));
        actions.add(removeOrphans());
        return actions;
    }

    /** Deletes the day partitions past the table's {@value TableDefinition#RETENTION_DAYS} (the archive's: archive.retention). */
    public MaintenanceAction retention() {
        table.refresh();
        // The archive follows archive.retention of this run's configuration, so shortening it takes effect at once.
        String days = TableDefinitions.ARCHIVE_TABLES.contains(name) ? String.valueOf(settings.archiveRetentionDays())
                : table.properties().get(TableDefinition.RETENTION_DAYS);
        Optional<RetentionRule> rule = RetentionRule.of(table.schema(), table.spec());
        if (days == null || rule.isEmpty()) {
            return action(MaintenanceAction.RETENTION, List.of(), 0, 0, 0, 0, 0, 0,
                    days == null ? "no " + TableDefinition.RETENTION_DAYS + " property: kept everything" : "not partitioned by day: kept everything");
        }
        int retentionDays = Integer.parseInt(days.trim());
        LocalDate cutoff = RetentionRule.cutoff(today, retentionDays);
        Expression filter = rule.get().before(cutoff);
        Set<String> partitions = new TreeSet<>();
        long files = 0;
        long bytes = 0;
        long rows = 0;
        if (table.currentSnapshot() != null) {
            try (CloseableIterable<FileScanTask> tasks = table.newScan().filter(filter).planFiles()) {
                for (FileScanTask task : tasks) {
                    if (task.spec().specId() == table.spec().specId() && rule.get().dayOf(task.file().partition()).isBefore(cutoff)) {
                        partitions.add(task.spec().partitionToPath(task.file().partition()));
                        files++;
                        bytes += task.file().fileSizeInBytes();
                        rows += task.file().recordCount();
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String detail = retentionDays + " days: dropped days before " + cutoff;
        if (files > 0 && !dryRun) {
            DeleteFiles delete = table.newDelete().deleteFromRowFilter(filter);
            FlinkCommitMarker.commit(table, delete);
        }
        return action(MaintenanceAction.RETENTION, new ArrayList<>(partitions), files, 0, 0, bytes, 0, rows, detail);
    }

    /** Rewrites each partition holding at least min-input-files small files into files of the target size. */
    public MaintenanceAction compact() {
        table.refresh();
        Snapshot start = table.currentSnapshot();
        if (start == null) {
            return action(MaintenanceAction.COMPACT, List.of(), 0, 0, 0, 0, 0, 0, "empty table");
        }
        Map<String, List<FileScanTask>> smallByPartition = new LinkedHashMap<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(start.snapshotId()).planFiles()) {
            for (FileScanTask task : tasks) {
                // Files with delete files are left alone: rewriting them would have to settle the deletes too.
                if (task.deletes().isEmpty() && task.file().fileSizeInBytes() < settings.smallFileBytes()) {
                    String key = task.spec().specId() + "/" + task.spec().partitionToPath(task.file().partition());
                    smallByPartition.computeIfAbsent(key, k -> new ArrayList<>()).add(task);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> partitions = new ArrayList<>();
        long removed = 0;
        long added = 0;
        long bytesRemoved = 0;
        long bytesAdded = 0;
        Set<DataFile> oldFiles = new HashSet<>();
        Set<DataFile> newFiles = new HashSet<>();
        FileRewriter rewriter = new FileRewriter(table, settings.targetFileBytes(), "compact");
        for (Map.Entry<String, List<FileScanTask>> group : smallByPartition.entrySet()) {
            List<FileScanTask> tasks = group.getValue();
            if (tasks.size() < settings.minInputFiles()) {
                continue;
            }
            partitions.add(tasks.get(0).spec().partitionToPath(tasks.get(0).file().partition()));
            removed += tasks.size();
            for (FileScanTask task : tasks) {
                bytesRemoved += task.file().fileSizeInBytes();
                oldFiles.add(task.file());
            }
            if (!dryRun) {
                FileRewriter.Result result = rewriter.rewrite(tasks, row -> true);
                for (DataFile file : result.written()) {
                    added++;
                    bytesAdded += file.fileSizeInBytes();
                    newFiles.add(file);
                }
            }
        }
        if (!dryRun && !oldFiles.isEmpty()) {
            RewriteFiles rewrite = table.newRewrite().validateFromSnapshot(start.snapshotId());
            oldFiles.forEach(rewrite::deleteFile);
            newFiles.forEach(rewrite::addFile);
            FlinkCommitMarker.commit(table, rewrite);
        }
        String detail = partitions.isEmpty()
                ? "no partition with " + settings.minInputFiles() + "+ files under " + settings.smallFileBytes() + " bytes"
                : "small files (< " + settings.smallFileBytes() + " bytes) merged per partition";
        return action(MaintenanceAction.COMPACT, partitions, removed, added, 0, bytesRemoved, bytesAdded, 0, detail);
    }

    /** Purge only: rewrites the manifests so no manifest still lists (with their column bounds) files already removed. */
    public MaintenanceAction rewriteManifests() {
        table.refresh();
        Snapshot current = table.currentSnapshot();
        if (current == null) {
            return action(MaintenanceAction.REWRITE_MANIFESTS, List.of(), 0, 0, 0, 0, 0, 0, "empty table");
        }
        int before = current.allManifests(table.io()).size();
        long added = 0;
        if (!dryRun) {
            RewriteManifests rewrite = table.rewriteManifests().rewriteIf(manifest -> true);
            Snapshot after = FlinkCommitMarker.commit(table, rewrite);
            added = after.allManifests(table.io()).size();
        }
        return action(MaintenanceAction.REWRITE_MANIFESTS, List.of(), before, added, 0, 0, 0, 0,
                "manifests rewritten to their live entries (removed files' entries and column bounds dropped)");
    }

    /**
     * Expires snapshots older than snapshot-max-age beyond the newest snapshot-min-keep; never one needed to find the
     * streaming job's last committed checkpoint. With {@code purge}, every snapshot but the current one.
     */
    public MaintenanceAction expireSnapshots(boolean purge) {
        table.refresh();
        Snapshot current = table.currentSnapshot();
        if (current == null) {
            return action(MaintenanceAction.EXPIRE_SNAPSHOTS, List.of(), 0, 0, 0, 0, 0, 0, "empty table");
        }
        long olderThan;
        int keep;
        String detail;
        if (purge) {
            olderThan = Math.max(now.toEpochMilli(), current.timestampMillis()) + 1;
            keep = 1;
            detail = "purge: every snapshot but the current one";
        } else {
            olderThan = now.toEpochMilli() - settings.snapshotMaxAge().toMillis();
            keep = settings.snapshotMinKeep();
            Long markerAt = newestMarkerTimestamp(current);
            if (markerAt != null && markerAt < olderThan) {
                // Keep the chain from the current snapshot back to the streaming job's last commit unbroken.
                olderThan = markerAt;
            }
            detail = "kept snapshots newer than " + TimeUtils.formatWithHighestUnit(settings.snapshotMaxAge()) + ", the newest " + keep
                    + " and the chain to the last Flink commit";
        }
        List<Snapshot> expiring = wouldExpire(current, olderThan, keep);
        if (expiring.isEmpty()) {
            return action(MaintenanceAction.EXPIRE_SNAPSHOTS, List.of(), 0, 0, 0, 0, 0, 0, detail);
        }
        AtomicLong deleted = new AtomicLong();
        if (!dryRun) {
            table.expireSnapshots().expireOlderThan(olderThan).retainLast(keep).cleanExpiredFiles(true)
                    .deleteWith(path -> {
                        table.io().deleteFile(path);
                        deleted.incrementAndGet();
                    })
                    .commit();
        }
        return action(MaintenanceAction.EXPIRE_SNAPSHOTS, List.of(), deleted.get(), 0, expiring.size(), 0, 0, 0, detail);
    }

    /**
     * Deletes files no snapshot references, older than orphan-min-age; also with --purge, since a younger file may be
     * one a stopped or restarting job has written for a checkpoint it has yet to commit.
     */
    public MaintenanceAction removeOrphans() {
        table.refresh();
        if (!OrphanFiles.canList(table)) {
            return action(MaintenanceAction.REMOVE_ORPHANS, List.of(), 0, 0, 0, 0, 0, 0,
                    "skipped: the table's FileIO (" + table.io().getClass().getSimpleName() + ") cannot list files");
        }
        java.time.Duration minAge = settings.orphanMinAge();
        List<FileInfo> orphans = OrphanFiles.find(table, now.toEpochMilli() - minAge.toMillis());
        long bytes = 0;
        for (FileInfo orphan : orphans) {
            bytes += orphan.size();
            if (!dryRun) {
                table.io().deleteFile(orphan.location());
            }
        }
        return action(MaintenanceAction.REMOVE_ORPHANS, List.of(), orphans.size(), 0, 0, bytes, 0, 0,
                "unreferenced files older than " + TimeUtils.formatWithHighestUnit(minAge));
    }

    private Long newestMarkerTimestamp(Snapshot current) {
        for (Snapshot s : SnapshotUtil.ancestorsOf(current.snapshotId(), table::snapshot)) {
            if (s.summary() != null && s.summary().containsKey(FlinkCommitMarker.CHECKPOINT_ID)) {
                return s.timestampMillis();
            }
        }
        return null;
    }

    // The same rule ExpireSnapshots applies, for the count and for dry runs: older than the bound and not among the
    // newest `keep` ancestors of the current snapshot.
    private List<Snapshot> wouldExpire(Snapshot current, long olderThan, int keep) {
        Set<Long> retained = new HashSet<>();
        for (Snapshot s : SnapshotUtil.ancestorsOf(current.snapshotId(), table::snapshot)) {
            if (retained.size() >= keep) {
                break;
            }
            retained.add(s.snapshotId());
        }
        List<Snapshot> out = new ArrayList<>();
        for (Snapshot s : table.snapshots()) {
            if (s.timestampMillis() < olderThan && !retained.contains(s.snapshotId()) && s.snapshotId() != current.snapshotId()) {
                out.add(s);
            }
        }
        return out;
    }

    private MaintenanceAction action(String action, List<String> partitions, long filesRemoved, long filesAdded, long snapshots,
            long bytesRemoved, long bytesAdded, long rows, String detail) {
        return new MaintenanceAction(name, action, partitions, filesRemoved, filesAdded, snapshots, bytesRemoved, bytesAdded, rows,
                null, detail);
    }
}
