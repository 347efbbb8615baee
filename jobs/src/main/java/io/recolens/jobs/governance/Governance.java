package io.recolens.jobs.governance;

import io.recolens.connectors.iceberg.TableDefinitions;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;

/** The two governance runs over a whole catalog namespace: maintain and forget. Each logs what it did and returns it. */
public final class Governance {

    private Governance() {}

    /** What a run did, under the ID its {@code maintenance_log} rows carry. */
    public record Run(String runId, List<MaintenanceAction> actions) {}

    /** Maintains every recolens table present (the job's, the raw archive's, {@code maintenance_log} and {@code drift_findings}), then logs the run. */
    public static Run maintain(Catalog catalog, Namespace namespace, MaintenanceSettings settings, boolean dryRun, boolean purge,
            Instant now, LocalDate today) {
        String runId = "maintain-" + UUID.randomUUID();
        Table log = MaintenanceLog.ensure(catalog, namespace);
        List<MaintenanceAction> actions = new ArrayList<>();
        List<String> tables = new ArrayList<>(TableDefinitions.JOB_TABLES);
        tables.addAll(TableDefinitions.ARCHIVE_TABLES);
        tables.add(TableDefinitions.MAINTENANCE_LOG);
        tables.add(TableDefinitions.DRIFT_FINDINGS);
        for (String name : tables) {
            TableIdentifier id = TableIdentifier.of(namespace, name);
            if (!catalog.tableExists(id)) {
                continue;
            }
            actions.addAll(new TableMaintainer(catalog.loadTable(id), name, settings, dryRun, now, today).run(purge));
        }
        MaintenanceLog.append(log, runId, now, dryRun, actions);
        return new Run(runId, actions);
    }

    /** Erases one unit from every table that holds it and logs the erasure by unit key. */
    public static Run forget(Catalog catalog, Namespace namespace, UnitErasure erasure, boolean dryRun, Instant now) {
        String runId = "forget-" + UUID.randomUUID();
        Table log = MaintenanceLog.ensure(catalog, namespace);
        UnitErasure.UnitIds ids = erasure.idsOf(load(catalog, namespace, TableDefinitions.LINEAGE_HISTORY),
                load(catalog, namespace, TableDefinitions.EXPERIMENT_EXPOSURES))
                .with(erasure.idsOf(load(catalog, namespace, TableDefinitions.RAW_IMPRESSIONS), null));
        List<MaintenanceAction> actions = new ArrayList<>();
        for (String name : UnitErasure.tableOrder()) {
            Table table = load(catalog, namespace, name);
            if (table != null) {
                actions.add(erasure.erase(table, name, ids, dryRun));
            }
        }
        MaintenanceLog.append(log, runId, now, dryRun, actions);
        return new Run(runId, actions);
    }

    private static Table load(Catalog catalog, Namespace namespace, String name) {
        TableIdentifier id = TableIdentifier.of(namespace, name);
        return catalog.tableExists(id) ? catalog.loadTable(id) : null;
    }
}
