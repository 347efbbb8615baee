package io.recolens.demo;

import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.jobs.config.JobSettings;
import io.recolens.jobs.pipeline.IcebergOutputs;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/**
 * What one run added to the tables: rows per table (the {@code added-records} of the snapshots committed
 * since the run started), dead letters, anomalies by kind, late records, runtime and events/s.
 */
final class RunSummary {
    static final List<String> TABLES = List.of(IcebergOutputs.LINEAGE_HISTORY, IcebergOutputs.VARIANT_ENGAGEMENT,
            IcebergOutputs.EXPERIMENT_UNIT_DAILY, IcebergOutputs.VARIANT_SIDE_EFFECTS, IcebergOutputs.EXPERIMENT_EXPOSURES,
            IcebergOutputs.LINEAGE_COMPLETENESS, IcebergOutputs.LINEAGE_ANOMALIES, IcebergOutputs.DEAD_LETTERS);

    private final RecolensCatalog catalog;
    private final Catalog opened;
    /** {@link #TABLES}, plus the raw archive when the run writes it. */
    private final List<String> tables;
    private final Map<String, Long> startSnapshots = new LinkedHashMap<>();
    private final long startMs = System.currentTimeMillis();

    /** Call before the job starts: remembers each table's current snapshot. */
    RunSummary(JobSettings settings) {
        this.catalog = RecolensCatalog.fromProperties(settings.catalogProperties);
        this.opened = catalog.open();
        List<String> written = new java.util.ArrayList<>(TABLES);
        if (settings.archive) written.addAll(io.recolens.connectors.iceberg.TableDefinitions.ARCHIVE_TABLES);
        this.tables = List.copyOf(written);
        for (String t : tables) {
            Table table = load(t);
            Snapshot s = table == null ? null : table.currentSnapshot();
            startSnapshots.put(t, s == null ? null : s.snapshotId());
        }
    }

    private Table load(String name) {
        return opened.tableExists(catalog.tableId(name)) ? opened.loadTable(catalog.tableId(name)) : null;
    }

    /** Rows added since the start, per table. */
    Map<String, Long> rowsAdded() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String t : tables) {
            Table table = load(t);
            long rows = 0;
            for (Snapshot s = table == null ? null : table.currentSnapshot(); s != null && !Long.valueOf(s.snapshotId()).equals(startSnapshots.get(t));
                    s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
                rows += Long.parseLong(s.summary().getOrDefault("added-records", "0"));
            }
            out.put(t, rows);
        }
        return out;
    }

    /** Set when this run replaced partitions, so anomalies are counted over the whole table. */
    private boolean replacedPartitions;

    private static boolean onlyAppendsAfter(Table table, long fromSnapshot) {
        for (org.apache.iceberg.Snapshot s = table.currentSnapshot(); s != null && s.snapshotId() != fromSnapshot;
                s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
            if (!org.apache.iceberg.DataOperations.APPEND.equals(s.operation())) return false;
        }
        return true;
    }

    /** Anomalies appended since the start, by kind. */
    Map<String, Long> anomaliesByKind() {
        Map<String, Long> out = new TreeMap<>();
        Table table = load(IcebergOutputs.LINEAGE_ANOMALIES);
        if (table == null || table.currentSnapshot() == null) return out;
        Long from = startSnapshots.get(IcebergOutputs.LINEAGE_ANOMALIES);
        if (from != null && from == table.currentSnapshot().snapshotId()) return out;
        IcebergGenerics.ScanBuilder scan = IcebergGenerics.read(table).select("kind");
        // An incremental read only works over appends; a backfill replaces day partitions instead, and then the
        // table's rows in those partitions are this run's: count the table as it stands (the label says so).
        if (from != null && onlyAppendsAfter(table, from)) scan = scan.appendsAfter(from);
        else if (from != null) replacedPartitions = true;
        try (CloseableIterable<Record> rows = scan.build()) {
            for (Record r : rows) out.merge(String.valueOf(r.getField("kind")), 1L, Long::sum);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    /** Prints the summary; {@code recordsRead} is what the sources read (negative when unknown). */
    void print(PrintStream out, long recordsRead) {
        double seconds = (System.currentTimeMillis() - startMs) / 1000.0;
        Map<String, Long> rows = rowsAdded();
        Map<String, Long> anomalies = anomaliesByKind();
        long late = anomalies.entrySet().stream().filter(e -> e.getKey().startsWith("late")).mapToLong(Map.Entry::getValue).sum();
        out.println();
        out.printf("Summary of this run: runtime %.1f s, %s%n", seconds, recordsRead < 0 ? "records read unknown"
                : String.format("%,d records read, %,.0f events/s", recordsRead, recordsRead / Math.max(seconds, 0.001)));
        out.println("  rows added per table:");
        rows.forEach((t, n) -> out.printf("    %-24s %,12d%n", t, n));
        out.printf("  dead letters: %,d%n", rows.get(IcebergOutputs.DEAD_LETTERS));
        out.printf("  anomalies%s: %,d%s%n", replacedPartitions ? " (whole table: this run replaced its day partitions)" : "",
                anomalies.values().stream().mapToLong(Long::longValue).sum(), anomalies.isEmpty() ? "" : " " + anomalies);
        out.printf("  late records (anomalies late_*): %,d%n", late);
    }
}
