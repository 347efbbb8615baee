package io.recolens.jobs.governance;

import io.recolens.connectors.iceberg.TableDefinitions;
import io.recolens.connectors.iceberg.TableReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Erases one unit from every table that can hold it, copy-on-write: each data file with a row of the unit is read and
 * written again without those rows, and one rewrite commit per table swaps the files. Tables with a {@code unit_key}
 * column lose the unit's rows; {@code lineage_anomalies} (no unit column) loses the anomalies of the unit's
 * impressions, traces and lineage IDs; {@code raw_spans} (the archive) loses the spans of the unit's traces;
 * {@code dead_letters} loses every record whose scrubbed bytes or error text hold
 * the unit key. The old files stay on disk until {@code maintain --purge} (or the normal expiry) removes them.
 * Aggregates without a unit column are not touched. Idempotent: a second run finds nothing and commits nothing.
 */
public final class UnitErasure {

    private static final String UNIT_KEY = "unit_key";

    private final String unitKey;
    private final List<String> byteNeedles;

    /**
     * @param unitKey the unit key (32 hex characters)
     * @param userIdLength length of the raw user ID when known (0 otherwise): protobuf dead letters hold the key's first
     *     that many characters in place of the ID (docs/privacy.md), matched when 8 or more
     */
    public UnitErasure(String unitKey, int userIdLength) {
        if (unitKey == null || !unitKey.matches("[0-9a-f]{32}")) {
            throw new IllegalArgumentException("a unit key is 32 lowercase hex characters, got '" + unitKey + "'");
        }
        this.unitKey = unitKey;
        Set<String> needles = new LinkedHashSet<>();
        needles.add(unitKey);
        if (userIdLength >= 8 && userIdLength < 32) {
            needles.add(unitKey.substring(0, userIdLength));
        }
        this.byteNeedles = List.copyOf(needles);
    }

    /** The unit key erased. */
    public String unitKey() {
        return unitKey;
    }

    /** IDs of the unit's impressions, traces and lineage, read before the rows holding them are erased. */
    public record UnitIds(Set<String> impressions, Set<String> traces, Set<String> lineage) {
        /** Both sets of IDs together (e.g. those of lineage_history and those of raw_impressions). */
        public UnitIds with(UnitIds other) {
            Set<String> i = new TreeSet<>(impressions);
            i.addAll(other.impressions);
            Set<String> t = new TreeSet<>(traces);
            t.addAll(other.traces);
            Set<String> l = new TreeSet<>(lineage);
            l.addAll(other.lineage);
            return new UnitIds(i, t, l);
        }

        boolean isEmpty() {
            return impressions.isEmpty() && traces.isEmpty() && lineage.isEmpty();
        }
    }

    /**
     * Reads the unit's IDs from {@code lineage_history} and {@code experiment_exposures} (either may be null); given
     * {@code raw_impressions} as the first table, reads the same columns from the archive.
     */
    public UnitIds idsOf(Table lineage, Table exposures) {
        Set<String> impressions = new TreeSet<>();
        Set<String> traces = new TreeSet<>();
        Set<String> lineageIds = new TreeSet<>();
        Expression ofUnit = Expressions.equal(UNIT_KEY, unitKey);
        if (lineage != null) {
            for (Record r : TableReader.read(lineage, ofUnit)) {
                addIfPresent(impressions, r.getField("impression_id"));
                addIfPresent(traces, r.getField("trace_id"));
                addIfPresent(lineageIds, r.getField("lineage_id"));
            }
        }
        if (exposures != null) {
            for (Record r : TableReader.read(exposures, ofUnit)) {
                addIfPresent(impressions, r.getField("impression_id"));
            }
        }
        return new UnitIds(impressions, traces, lineageIds);
    }

    /** Erases from one table; {@code ids} matter only for {@code lineage_anomalies}. */
    public MaintenanceAction erase(Table table, String name, UnitIds ids, boolean dryRun) {
        table.refresh();
        Expression filter;
        Predicate<Record> isUnit;
        if (table.schema().findField(UNIT_KEY) != null) {
            filter = Expressions.equal(UNIT_KEY, unitKey);
            isUnit = r -> unitKey.equals(r.getField(UNIT_KEY));
        } else if (name.equals(TableDefinitions.LINEAGE_ANOMALIES)) {
            if (ids.isEmpty()) {
                return done(name, List.of(), 0, 0, 0, 0, 0, "no impression, trace or lineage ID of the unit left to match");
            }
            filter = Expressions.or(Expressions.or(in("impression_id", ids.impressions()), in("trace_id", ids.traces())),
                    in("lineage_id", ids.lineage()));
            // Anomalies often lack one of the IDs (an orphan click has no trace): a null matches nothing.
            isUnit = r -> holds(ids.impressions(), r.getField("impression_id")) || holds(ids.traces(), r.getField("trace_id"))
                    || holds(ids.lineage(), r.getField("lineage_id"));
        } else if (name.equals(TableDefinitions.RAW_SPANS)) {
            // Spans carry no unit: the unit's spans are those of its traces (read before raw_impressions is erased).
            if (ids.traces().isEmpty()) {
                return done(name, List.of(), 0, 0, 0, 0, 0, "no trace ID of the unit left to match");
            }
            filter = in("trace_id", ids.traces());
            isUnit = r -> holds(ids.traces(), r.getField("trace_id"));
        } else if (name.equals(TableDefinitions.DEAD_LETTERS)) {
            filter = Expressions.alwaysTrue();
            isUnit = this::deadLetterHoldsUnit;
        } else {
            return done(name, List.of(), 0, 0, 0, 0, 0, "no unit column: aggregates are kept");
        }
        Snapshot start = table.currentSnapshot();
        if (start == null) {
            return done(name, List.of(), 0, 0, 0, 0, 0, "empty table");
        }
        FileRewriter rewriter = new FileRewriter(table, Long.MAX_VALUE, "forget");
        List<FileScanTask> affected = new ArrayList<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(start.snapshotId()).filter(filter).planFiles()) {
            for (FileScanTask task : tasks) {
                if (holdsUnit(rewriter, task, isUnit)) {
                    affected.add(task);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (affected.isEmpty()) {
            return done(name, List.of(), 0, 0, 0, 0, 0, "nothing of the unit left");
        }
        Set<String> partitions = new TreeSet<>();
        long bytesRemoved = 0;
        long bytesAdded = 0;
        long rows = 0;
        long added = 0;
        RewriteFiles rewrite = table.newRewrite().validateFromSnapshot(start.snapshotId());
        for (FileScanTask task : affected) {
            partitions.add(task.spec().partitionToPath(task.file().partition()));
            bytesRemoved += task.file().fileSizeInBytes();
            if (dryRun) {
                rows += count(rewriter, task, isUnit);
                continue;
            }
            FileRewriter.Result result = rewriter.rewrite(List.of(task), isUnit.negate());
            rows += result.rowsDropped();
            rewrite.deleteFile(task.file());
            for (var file : result.written()) {
                added++;
                bytesAdded += file.fileSizeInBytes();
                rewrite.addFile(file);
            }
        }
        if (!dryRun) {
            rewrite.set("recolens.operation", "forget");
            FlinkCommitMarker.commit(table, rewrite);
        }
        return done(name, new ArrayList<>(partitions), affected.size(), added, bytesRemoved, bytesAdded, rows,
                "files rewritten without the unit's rows; the old files go with the next maintain --purge");
    }

    private static long count(FileRewriter rewriter, FileScanTask task, Predicate<Record> isUnit) {
        long n = 0;
        try (CloseableIterable<Record> rows = rewriter.rows(task)) {
            for (Record r : rows) {
                if (isUnit.test(r)) {
                    n++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return n;
    }

    private static boolean holdsUnit(FileRewriter rewriter, FileScanTask task, Predicate<Record> isUnit) {
        try (CloseableIterable<Record> rows = rewriter.rows(task)) {
            for (Record r : rows) {
                if (isUnit.test(r)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean deadLetterHoldsUnit(Record r) {
        Object error = r.getField("error");
        Object raw = r.getField("raw");
        String bytes = raw instanceof ByteBuffer buffer ? latin1(buffer) : "";
        for (String needle : byteNeedles) {
            if (bytes.contains(needle) || (error instanceof CharSequence text && text.toString().contains(needle))) {
                return true;
            }
        }
        return false;
    }

    private static String latin1(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    private static Expression in(String column, Set<String> values) {
        return values.isEmpty() ? Expressions.alwaysFalse() : Expressions.in(column, values.toArray());
    }

    private static boolean holds(Set<String> ids, Object value) {
        return value != null && ids.contains(value.toString());
    }

    private static void addIfPresent(Set<String> set, Object value) {
        if (value != null) {
            set.add(value.toString());
        }
    }

    private MaintenanceAction done(String name, List<String> partitions, long removed, long added, long bytesRemoved, long bytesAdded,
            long rows, String detail) {
        return new MaintenanceAction(name, MaintenanceAction.FORGET, partitions, removed, added, 0, bytesRemoved, bytesAdded, rows,
                unitKey, detail);
    }

    /** Names of the tables forget visits, in the order it visits them (anomalies before the rows that identify them). */
    public static List<String> tableOrder() {
        List<String> order = new ArrayList<>();
        order.add(TableDefinitions.LINEAGE_ANOMALIES);
        order.add(TableDefinitions.DEAD_LETTERS);
        List<String> all = new ArrayList<>(TableDefinitions.JOB_TABLES);
        all.addAll(TableDefinitions.ARCHIVE_TABLES);
        for (String table : all) {
            if (!order.contains(table)) {
                order.add(table);
            }
        }
        return order;
    }
}
