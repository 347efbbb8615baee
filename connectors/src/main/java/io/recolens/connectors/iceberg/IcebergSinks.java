package io.recolens.connectors.iceberg;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.data.RowData;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.TableLoader;
import org.apache.iceberg.flink.sink.IcebergSink;
import org.apache.iceberg.flink.sink.RestoreAwareIcebergSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires exactly-once Iceberg sinks (append, or in batch a replace of the day partitions written) (Iceberg's Sink V2 {@link IcebergSink}) with stable
 * uids and readable names.
 *
 * <p>Commit cadence: each writer closes its data files when a checkpoint starts and the committer
 * commits them as one Iceberg snapshot when that checkpoint completes, so rows become visible once
 * per {@code execution.checkpointing.interval} (e.g. every 60 s) and a failure between checkpoints
 * rolls back to the last committed snapshot: exactly once. Each commit writes at least one file per
 * writer and day partition, so a shorter interval means fresher tables and more small files for the
 * maintenance job to compact. Without checkpointing a streaming job never commits; in batch mode
 * (and when bounded input ends) there is a single final commit.
 *
 * <p>{@link SinkWriteMode#OVERWRITE_PARTITIONS} makes that single batch commit an Iceberg
 * {@code ReplacePartitions} (the committer's overwrite path): every day partition the job wrote a file into
 * is replaced as a whole, the other days stay. That is what makes a backfill idempotent (docs/backfill.md).
 * In streaming it would replace a day with each checkpoint's few rows, so it is refused there.
 */
public final class IcebergSinks {

    private static final Logger LOG = LoggerFactory.getLogger(IcebergSinks.class);

    private IcebergSinks() {}

    /**
     * Appends rows already in the table's column layout.
     *
     * @param uid stable operator uid; Iceberg derives the writer and committer uids from it, so it
     *     must never change once a job has run with savepoints
     * @param name operator name shown in the Flink UI
     * @param writeParallelism writer parallelism; 0 or less keeps the input's parallelism (chained)
     */
    public static DataStreamSink<RowData> append(
            DataStream<RowData> rows, CatalogLoader loader, TableIdentifier id, String uid, String name, int writeParallelism) {
        return append(rows, loader, id, uid, writeParallelism, false, null).name(name);
    }

    /**
     * Appends rows of one definition's layout; the sink also checks that layout against the table
     * (column order, types, nullability) when the job is built, not at the first write.
     */
    public static DataStreamSink<RowData> append(
            DataStream<RowData> rows, TableDefinition definition, RecolensCatalog catalog, String uid, String name, int writeParallelism) {
        return append(rows, catalog.loader(), catalog.tableId(definition.name()), uid, writeParallelism, false,
                FlinkSchemaUtil.toResolvedSchema(definition.schema()))
                .name(name);
    }

    /**
     * Converts model rows with {@code converter} (named and uid'd {@code uid + "-to-rowdata"}) and
     * appends them.
     */
    public static <T> DataStreamSink<RowData> append(
            DataStream<T> rows,
            MapFunction<T, RowData> converter,
            TableDefinition definition,
            RecolensCatalog catalog,
            String uid,
            String name,
            int writeParallelism) {
        DataStream<RowData> converted = rows.map(converter, TableRows.typeInfo(definition))
                .uid(uid + "-to-rowdata")
                .name(name + " (to RowData)");
        return append(converted, definition, catalog, uid, name, writeParallelism);
    }

    /**
     * Converts model rows like {@link #append(DataStream, MapFunction, TableDefinition, RecolensCatalog, String, String, int)}
     * and writes them in {@code mode}.
     *
     * @param keep rows to write (e.g. a {@link DayRangeFilter}), or null for all
     * @throws IllegalArgumentException for {@link SinkWriteMode#OVERWRITE_PARTITIONS} in a streaming job
     */
    public static <T> DataStreamSink<RowData> write(
            DataStream<T> rows,
            MapFunction<T, RowData> converter,
            TableDefinition definition,
            RecolensCatalog catalog,
            String uid,
            String name,
            int writeParallelism,
            SinkWriteMode mode,
            FilterFunction<RowData> keep) {
        DataStream<RowData> converted = rows.map(converter, TableRows.typeInfo(definition))
                .uid(uid + "-to-rowdata")
                .name(name + " (to RowData)");
        if (keep != null) {
            converted = converted.filter(keep).uid(uid + "-day-range").name(name + " (days replaced only)");
        }
        boolean overwrite = mode == SinkWriteMode.OVERWRITE_PARTITIONS;
        if (overwrite && streaming(rows.getExecutionEnvironment())) {
            throw new IllegalArgumentException("overwrite-partitions is for batch jobs: a streaming commit would replace whole days"
                    + " with one checkpoint's rows");
        }
        return append(converted, catalog.loader(), catalog.tableId(definition.name()), uid, writeParallelism, overwrite,
                FlinkSchemaUtil.toResolvedSchema(definition.schema()))
                .name(overwrite ? name + " (replace days)" : name);
    }

    // RestoreAwareIcebergSink instead of the builder's append(): Iceberg's own pre-commit aggregator drops the rows
    // flushed when input ends right after a failover (see that class).
    private static DataStreamSink<RowData> append(DataStream<RowData> rows, CatalogLoader loader, TableIdentifier id, String uid,
            int writeParallelism, boolean overwrite, ResolvedSchema schema) {
        warnIfNeverCommits(rows.getExecutionEnvironment(), id);
        TableLoader tableLoader = TableLoader.fromCatalog(loader, id);
        IcebergSink.Builder builder = IcebergSink.forRowData(rows)
                .tableLoader(tableLoader)
                .uidSuffix(uid)
                .overwrite(overwrite)
                .upsert(false);
        if (schema != null) {
            builder.resolvedSchema(schema);
        }
        if (writeParallelism > 0) {
            builder.writeParallelism(writeParallelism);
        }
        return RestoreAwareIcebergSink.append(builder, rows, tableLoader, uid, writeParallelism);
    }

    private static boolean streaming(StreamExecutionEnvironment env) {
        return env.getConfiguration().get(ExecutionOptions.RUNTIME_MODE) == RuntimeExecutionMode.STREAMING;
    }

    // The most common way to lose a day of output: a streaming job without checkpoints never commits.
    private static void warnIfNeverCommits(StreamExecutionEnvironment env, TableIdentifier id) {
        if (streaming(env) && !env.getCheckpointConfig().isCheckpointingEnabled()) {
            LOG.warn("Checkpointing is disabled in a streaming job: the Iceberg sink for {} commits only when bounded input ends."
                    + " Set execution.checkpointing.interval.", id);
        }
    }
}
