package io.recolens.jobs.pipeline;

import io.recolens.connectors.iceberg.CatalogConfig;
import io.recolens.connectors.iceberg.IcebergSinks;
import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.connectors.iceberg.TableBootstrap;
import io.recolens.connectors.iceberg.TableDefinition;
import io.recolens.connectors.iceberg.TableDefinitions;
import io.recolens.connectors.iceberg.TableRows;
import io.recolens.jobs.config.JobSettings;
import io.recolens.model.AnomalyRow;
import io.recolens.model.DeadLetter;
import io.recolens.model.EngagementRow;
import io.recolens.model.ExposureRow;
import io.recolens.model.LineageRow;
import io.recolens.model.SideEffectRow;
import io.recolens.model.UnitDailyRow;
import java.util.Map;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.table.data.RowData;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.iceberg.catalog.Catalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Production outputs: one exactly-once Iceberg sink per table. Tables are created or checked against
 * {@code iceberg-schemas/} before the job is built, so an incompatible table stops the job at start.
 */
public final class IcebergOutputs implements PipelineOutputs {
    private static final Logger LOG = LoggerFactory.getLogger(IcebergOutputs.class);

    public static final String VARIANT_ENGAGEMENT = TableDefinitions.VARIANT_ENGAGEMENT;
    public static final String EXPERIMENT_UNIT_DAILY = TableDefinitions.EXPERIMENT_UNIT_DAILY;
    public static final String VARIANT_SIDE_EFFECTS = TableDefinitions.VARIANT_SIDE_EFFECTS;
    public static final String EXPERIMENT_EXPOSURES = TableDefinitions.EXPERIMENT_EXPOSURES;
    public static final String LINEAGE_HISTORY = TableDefinitions.LINEAGE_HISTORY;
    public static final String LINEAGE_ANOMALIES = TableDefinitions.LINEAGE_ANOMALIES;
    public static final String DEAD_LETTERS = TableDefinitions.DEAD_LETTERS;

    private final RecolensCatalog catalog;
    private final Map<String, TableDefinition> definitions;
    private final int parallelism;

    private IcebergOutputs(RecolensCatalog catalog, Map<String, TableDefinition> definitions, int parallelism) {
        this.catalog = catalog;
        this.definitions = definitions;
        this.parallelism = parallelism;
    }

    /** Opens the configured catalog and creates, evolves or refuses every table; then returns the sinks. */
    public static IcebergOutputs bootstrap(JobSettings settings) {
        RecolensCatalog catalog = RecolensCatalog.of(CatalogConfig.fromProperties(settings.catalogProperties));
        Map<String, TableDefinition> definitions = TableDefinitions.loadAll();
        Catalog opened = catalog.open();
        try {
            for (TableBootstrap.Outcome outcome : TableBootstrap.ensureTables(opened, catalog.namespace(), definitions.values())) {
                LOG.info("Table {}: {} {}", outcome.table(), outcome.status(), outcome.changes());
            }
        } finally {
            if (opened instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LOG.warn("Closing catalog {} failed", catalog, e);
                }
            }
        }
        return new IcebergOutputs(catalog, definitions, settings.sinkParallelism);
    }

    public RecolensCatalog catalog() {
        return catalog;
    }

    @Override
    public void engagement(DataStream<EngagementRow> rows) {
        sink(rows, new TableRows.EngagementConverter(), VARIANT_ENGAGEMENT);
    }

    @Override
    public void unitDaily(DataStream<UnitDailyRow> rows) {
        sink(rows, new TableRows.UnitDailyConverter(), EXPERIMENT_UNIT_DAILY);
    }

    @Override
    public void sideEffects(DataStream<SideEffectRow> rows) {
        sink(rows, new TableRows.SideEffectConverter(), VARIANT_SIDE_EFFECTS);
    }

    @Override
    public void exposures(DataStream<ExposureRow> rows) {
        sink(rows, new TableRows.ExposureConverter(), EXPERIMENT_EXPOSURES);
    }

    @Override
    public void lineage(DataStream<LineageRow> rows) {
        sink(rows, new TableRows.LineageConverter(), LINEAGE_HISTORY);
    }

    @Override
    public void anomalies(DataStream<AnomalyRow> rows) {
        sink(rows, new TableRows.AnomalyConverter(), LINEAGE_ANOMALIES);
    }

    @Override
    public void deadLetters(DataStream<DeadLetter> rows) {
        sink(rows, new TableRows.DeadLetterConverter(), DEAD_LETTERS);
    }

    private <T> void sink(DataStream<T> rows, MapFunction<T, RowData> converter, String table) {
        IcebergSinks.append(rows, converter, definitions.get(table), catalog, "sink-" + table.replace('_', '-'),
                "write " + table, parallelism);
    }
}
