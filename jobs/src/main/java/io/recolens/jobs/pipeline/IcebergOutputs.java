package io.recolens.jobs.pipeline;

import io.recolens.connectors.iceberg.ArchiveRows;
import io.recolens.connectors.iceberg.CatalogConfig;
import io.recolens.connectors.iceberg.DayRangeFilter;
import io.recolens.connectors.iceberg.IcebergSinks;
import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.connectors.iceberg.SinkWriteMode;
import io.recolens.connectors.iceberg.TableBootstrap;
import io.recolens.connectors.iceberg.TableDefinition;
import io.recolens.connectors.iceberg.TableDefinitions;
import io.recolens.connectors.iceberg.TableRows;
import io.recolens.jobs.config.JobSettings;
import io.recolens.jobs.config.RecolensOptions;
import io.recolens.model.AnomalyRow;
import io.recolens.model.Click;
import io.recolens.model.CompletenessRow;
import io.recolens.model.DeadLetter;
import io.recolens.model.EngagementRow;
import io.recolens.model.ExposureRow;
import io.recolens.model.Impression;
import io.recolens.model.LineageRow;
import io.recolens.model.SideEffectRow;
import io.recolens.model.SpanRecord;
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
 * Every table is written in {@code sink.write-mode}: append in streaming, a replace of the day partitions
 * written in batch, so a rerun backfill gives the same tables (docs/backfill.md).
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
    public static final String LINEAGE_COMPLETENESS = TableDefinitions.LINEAGE_COMPLETENESS;
    public static final String RAW_IMPRESSIONS = TableDefinitions.RAW_IMPRESSIONS;
    public static final String RAW_CLICKS = TableDefinitions.RAW_CLICKS;
    public static final String RAW_SPANS = TableDefinitions.RAW_SPANS;

    private final RecolensCatalog catalog;
    private final Map<String, TableDefinition> definitions;
    private final int parallelism;
    private final int lineageParallelism;
    private final SinkWriteMode writeMode;
    /** Days [from, to) an overwriting Kafka backfill replaces; Long.MIN/MAX_VALUE where a bound is earliest/latest. */
    private final long fromDay;
    private final long toDay;

    private IcebergOutputs(RecolensCatalog catalog, Map<String, TableDefinition> definitions, JobSettings settings) {
        this.catalog = catalog;
        this.definitions = definitions;
        this.parallelism = settings.sinkParallelism;
        this.lineageParallelism = settings.sinkLineageParallelism;
        this.writeMode = settings.sinkWriteMode;
        // The archive is read with the same timestamp bounds (by event time): an overwrite replaces the same days.
        boolean kafka = settings.input != RecolensOptions.InputKind.FILES;
        this.fromDay = kafka ? boundDay(settings.startingOffsets, Long.MIN_VALUE) : Long.MIN_VALUE;
        this.toDay = kafka ? boundDay(settings.stoppingOffsets, Long.MAX_VALUE) : Long.MAX_VALUE;
    }

    // JobSettings has checked that an overwriting backfill's timestamp bounds sit on 00:00Z.
    private static long boundDay(String bound, long none) {
        return bound.startsWith("timestamp:") ? Long.parseLong(bound.substring("timestamp:".length())) / 86_400_000L : none;
    }

    /** Opens the configured catalog and creates, evolves or refuses every table; then returns the sinks. */
    public static IcebergOutputs bootstrap(JobSettings settings) {
        RecolensCatalog catalog = RecolensCatalog.of(CatalogConfig.fromProperties(settings.catalogProperties));
        Map<String, TableDefinition> definitions = TableDefinitions.loadAll();
        if (settings.archive) {
            // The archive's retention follows archive.retention, kept in the table property that maintain applies.
            TableDefinitions.loadArchive().forEach((name, d) -> definitions.put(name, d.withRetentionDays(settings.archiveRetentionDays)));
        }
        Catalog opened = catalog.open();
        try {
            for (TableBootstrap.Outcome outcome : TableBootstrap.ensureTables(opened, catalog.namespace(), definitions.values())) {
                LOG.info("Table {}: {} {}", outcome.table(), outcome.status(), outcome.changes());
            }
            JobConfigurationRecord.write(opened, catalog.tableId(LINEAGE_HISTORY), settings, java.time.Instant.now());
        } finally {
            if (opened instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LOG.warn("Closing catalog {} failed", catalog, e);
                }
            }
        }
        LOG.info("Iceberg sinks write in mode {} to namespace {}", settings.sinkWriteMode.configName(), catalog.namespace());
        return new IcebergOutputs(catalog, definitions, settings);
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
        sink(rows, new TableRows.LineageConverter(), LINEAGE_HISTORY, lineageParallelism);
    }

    @Override
    public void anomalies(DataStream<AnomalyRow> rows) {
        sink(rows, new TableRows.AnomalyConverter(), LINEAGE_ANOMALIES);
    }

    @Override
    public void deadLetters(DataStream<DeadLetter> rows) {
        sink(rows, new TableRows.DeadLetterConverter(), DEAD_LETTERS);
    }

    @Override
    public void completeness(DataStream<CompletenessRow> rows) {
        sink(rows, new TableRows.CompletenessConverter(), LINEAGE_COMPLETENESS);
    }

    @Override
    public void rawImpressions(DataStream<Impression> rows) {
        sink(rows, ArchiveRows.impressionRows(), RAW_IMPRESSIONS);
    }

    @Override
    public void rawClicks(DataStream<Click> rows) {
        sink(rows, ArchiveRows.clickRows(), RAW_CLICKS);
    }

    @Override
    public void rawSpans(DataStream<SpanRecord> rows) {
        sink(rows, ArchiveRows.spanRows(), RAW_SPANS);
    }

    private <T> void sink(DataStream<T> rows, MapFunction<T, RowData> converter, String table) {
        sink(rows, converter, table, parallelism);
    }

    private <T> void sink(DataStream<T> rows, MapFunction<T, RowData> converter, String table, int writers) {
        TableDefinition definition = definitions.get(table);
        // An overwrite must not touch the days at the edges of a timestamp range: late or early records of a
        // neighbouring day would replace that whole day with a handful of rows.
        boolean bounded = fromDay != Long.MIN_VALUE || toDay != Long.MAX_VALUE;
        DayRangeFilter keep = writeMode == SinkWriteMode.OVERWRITE_PARTITIONS && bounded ? DayRangeFilter.of(definition, fromDay, toDay) : null;
        IcebergSinks.write(rows, converter, definition, catalog, "sink-" + table.replace('_', '-'),
                "write " + table, writers, writeMode, keep);
    }
}
