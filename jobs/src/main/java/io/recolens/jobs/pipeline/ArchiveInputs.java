package io.recolens.jobs.pipeline;

import io.recolens.connectors.decode.DeadLetters;
import io.recolens.connectors.iceberg.ArchiveRows;
import io.recolens.connectors.iceberg.CatalogConfig;
import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.connectors.iceberg.TableDefinitions;
import io.recolens.connectors.iceberg.TableRows;
import io.recolens.jobs.config.ConfigException;
import io.recolens.model.DeadLetter;
import io.recolens.jobs.config.JobSettings;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.types.Either;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.flink.source.IcebergSource;

/**
 * Batch inputs read from the raw archive ({@code raw_impressions}, {@code raw_clicks}, {@code raw_spans}) instead of
 * Kafka: the records the job decoded when it archived them, so a backfill after Kafka's retention and a replay of one
 * trace see what the job saw. Malformed records never reached the archive: such a run writes no dead letters.
 */
public final class ArchiveInputs implements PipelineInputs {
    private final RecolensCatalog catalog;
    private final Map<DecodedInput.Stream, List<Expression>> filters;

    /**
     * @param filters per stream, Iceberg row filters the archive is read with (e.g. one trace for a replay); a stream
     *     without an entry is read whole
     */
    public ArchiveInputs(RecolensCatalog catalog, Map<DecodedInput.Stream, List<Expression>> filters) {
        this.catalog = catalog;
        this.filters = Map.copyOf(filters);
    }

    /**
     * The archive in the catalog the settings name (namespace: archive.read-namespace, else catalog.namespace); {@code timestamp:} bounds of kafka.starting-offsets and
     * kafka.stopping-offsets (what {@code backfill --from/--to} set) select records by event time, [from, to).
     */
    public static ArchiveInputs of(JobSettings settings) {
        Map<DecodedInput.Stream, List<Expression>> filters = new EnumMap<>(DecodedInput.Stream.class);
        for (DecodedInput.Stream stream : DecodedInput.Stream.values()) {
            List<Expression> bounds = new ArrayList<>();
            String column = eventTimeColumn(stream);
            if (settings.startingOffsets.startsWith(TIMESTAMP)) {
                bounds.add(Expressions.greaterThanOrEqual(column, micros(settings.startingOffsets)));
            }
            if (settings.stoppingOffsets.startsWith(TIMESTAMP)) {
                bounds.add(Expressions.lessThan(column, micros(settings.stoppingOffsets)));
            }
            filters.put(stream, bounds);
        }
        return new ArchiveInputs(RecolensCatalog.of(CatalogConfig.fromProperties(settings.archiveCatalogProperties)), filters);
    }

    private static final String TIMESTAMP = "timestamp:";

    private static long micros(String bound) {
        return Long.parseLong(bound.substring(TIMESTAMP.length())) * 1000L;
    }

    /** The event-time column of a stream's archive table (its day partition source). */
    public static String eventTimeColumn(DecodedInput.Stream stream) {
        return switch (stream) {
            case IMPRESSIONS -> "served_at";
            case CLICKS -> "clicked_at";
            case SPANS -> "start_time";
        };
    }

    /** The row filters per stream (for tests and messages). */
    Map<DecodedInput.Stream, List<Expression>> filters() {
        return filters;
    }

    /** The archive table a stream is read from. */
    public static String table(DecodedInput.Stream stream) {
        return switch (stream) {
            case IMPRESSIONS -> TableDefinitions.RAW_IMPRESSIONS;
            case CLICKS -> TableDefinitions.RAW_CLICKS;
            case SPANS -> TableDefinitions.RAW_SPANS;
        };
    }

    @Override
    public <T> DataStream<Either<DeadLetter, T>> read(StreamExecutionEnvironment env, DecodedInput<T> input) {
        DecodedInput.Stream stream = input.stream();
        String table = table(stream);
        requireTable(table);
        IcebergSource<RowData> source = IcebergSource.forRowData()
                .tableLoader(catalog.tableLoader(table))
                .streaming(false)
                .filters(filters.getOrDefault(stream, List.of()))
                .build();
        // Batch only, like files: event time decides keys and windows; watermarks do not matter in batch.
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "archive " + table,
                        TableRows.typeInfo(TableDefinitions.load(table)))
                .uid(stream.sourceUid).name("read " + table)
                .map(new ArchivedRecords<T>(stream), DeadLetters.eitherType(input.type()))
                .uid(stream.decodeUid).name("archived " + stream.label)
                .assignTimestampsAndWatermarks(input.watermarks())
                .uid(stream.watermarksUid).name(stream.label + " event time");
    }

    private void requireTable(String table) {
        Catalog opened = catalog.open();
        try {
            if (!opened.tableExists(catalog.tableId(table))) {
                throw new ConfigException("input", "archive table " + catalog.tableId(table) + " does not exist",
                        "the archive is written by a job run with archive.enabled=true into catalog.namespace; read another with archive.read-namespace");
            }
        } finally {
            if (opened instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception ignored) {
                    // Only an existence check was made.
                }
            }
        }
    }

    /** One archived row back to the decoded record the pipeline reads (never a dead letter). */
    static final class ArchivedRecords<T> implements MapFunction<RowData, Either<DeadLetter, T>> {
        private static final long serialVersionUID = 1L;
        private final DecodedInput.Stream stream;

        ArchivedRecords(DecodedInput.Stream stream) {
            this.stream = stream;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Either<DeadLetter, T> map(RowData row) {
            Object record = switch (stream) {
                case IMPRESSIONS -> ArchiveRows.toImpression(row);
                case CLICKS -> ArchiveRows.toClick(row);
                case SPANS -> ArchiveRows.toSpan(row);
            };
            return Either.Right((T) record);
        }
    }
}
