package io.recolens.jobs.governance;

import io.recolens.connectors.iceberg.TableBootstrap;
import io.recolens.connectors.iceberg.TableDefinitions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;

/** The {@code maintenance_log} table: created on first use from its definition, one appended file per run. */
public final class MaintenanceLog {

    private MaintenanceLog() {}

    /** Creates the table if missing (or evolves it like the job's tables) and returns it. */
    public static Table ensure(Catalog catalog, Namespace namespace) {
        TableIdentifier id = TableIdentifier.of(namespace, TableDefinitions.MAINTENANCE_LOG);
        TableBootstrap.ensureTable(catalog, id, TableDefinitions.load(TableDefinitions.MAINTENANCE_LOG));
        return catalog.loadTable(id);
    }

    /** Appends the rows of one run, all stamped {@code loggedAt}. */
    public static void append(Table log, String runId, Instant loggedAt, boolean dryRun, List<MaintenanceAction> actions) {
        if (actions.isEmpty()) {
            return;
        }
        GenericAppenderFactory appenders = new GenericAppenderFactory(log.schema(), log.spec());
        appenders.setAll(log.properties());
        OutputFileFactory files = OutputFileFactory.builderFor(log, 0, loggedAt.toEpochMilli()).format(FileFormat.PARQUET)
                .operationId("log-" + runId).build();
        GenericRecord template = GenericRecord.create(log.schema());
        PartitionKey partition = new PartitionKey(log.spec(), log.schema());
        Record first = row(template, runId, loggedAt, dryRun, actions.get(0));
        partition.partition(new InternalRecordWrapper(log.schema().asStruct()).wrap(first));
        DataFile file;
        try {
            DataWriter<Record> writer = appenders.newDataWriter(files.newOutputFile(log.spec(), partition), FileFormat.PARQUET, partition);
            try (writer) {
                for (MaintenanceAction action : actions) {
                    writer.write(row(template, runId, loggedAt, dryRun, action));
                }
            }
            file = writer.toDataFile();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + log.name() + ": " + e.getMessage(), e);
        }
        FlinkCommitMarker.commit(log, log.newFastAppend().appendFile(file));
    }

    private static Record row(GenericRecord template, String runId, Instant loggedAt, boolean dryRun, MaintenanceAction a) {
        GenericRecord r = template.copy();
        r.setField("run_id", runId);
        r.setField("logged_at", loggedAt.atOffset(ZoneOffset.UTC));
        r.setField("table_name", a.table());
        r.setField("action", a.action());
        r.setField("dry_run", dryRun);
        r.setField("partitions", a.partitions());
        r.setField("files_removed", a.filesRemoved());
        r.setField("files_added", a.filesAdded());
        r.setField("snapshots_expired", a.snapshotsExpired());
        r.setField("bytes_removed", a.bytesRemoved());
        r.setField("bytes_added", a.bytesAdded());
        r.setField("rows_removed", a.rowsRemoved());
        r.setField("unit_key", a.unitKey());
        r.setField("detail", a.detail());
        return r;
    }

    /** A fixed-width text table of the actions, for the command's output. */
    public static String format(List<MaintenanceAction> actions) {
        StringBuilder out = new StringBuilder();
        String header = String.format(Locale.ROOT, "%-22s %-18s %6s %6s %6s %12s %12s %9s  %s%n", "table", "action", "files-",
                "files+", "snaps-", "bytes-", "bytes+", "rows-", "partitions / detail");
        out.append(header);
        for (MaintenanceAction a : actions) {
            String where = a.partitions().isEmpty() ? "" : summarize(a.partitions()) + "; ";
            out.append(String.format(Locale.ROOT, "%-22s %-18s %6d %6d %6d %12d %12d %9d  %s%s%n", a.table(), a.action(),
                    a.filesRemoved(), a.filesAdded(), a.snapshotsExpired(), a.bytesRemoved(), a.bytesAdded(), a.rowsRemoved(),
                    where, a.detail()));
        }
        return out.toString();
    }

    private static String summarize(List<String> partitions) {
        if (partitions.size() <= 3) {
            return String.join(", ", partitions);
        }
        return partitions.get(0) + " .. " + partitions.get(partitions.size() - 1) + " (" + partitions.size() + " partitions)";
    }
}
