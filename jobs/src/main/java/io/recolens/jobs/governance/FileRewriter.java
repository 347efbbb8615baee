package io.recolens.jobs.governance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.GenericDeleteFilter;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IdentityPartitionConverters;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.PartitionUtil;

/**
 * Reads data files row by row (with any delete files of the task applied) and writes the rows to keep into new data
 * files of the same partition: the copy-on-write step of compaction and erasure. Parquet only, as every recolens table.
 */
final class FileRewriter {

    private final Table table;
    private final long targetFileBytes;
    private final OutputFileFactory files;
    private final GenericAppenderFactory appenders;

    FileRewriter(Table table, long targetFileBytes, String operation) {
        this.table = table;
        this.targetFileBytes = targetFileBytes;
        this.files = OutputFileFactory.builderFor(table, 0, System.nanoTime() & Long.MAX_VALUE)
                .format(FileFormat.PARQUET).operationId(operation + "-" + UUID.randomUUID()).build();
        this.appenders = new GenericAppenderFactory(table.schema(), table.spec());
        this.appenders.setAll(table.properties());
    }

    /** What a rewrite wrote and how many rows it left out. */
    record Result(List<DataFile> written, long rowsRead, long rowsDropped) {}

    /** The live rows of one task (whole file), in the table's current schema. */
    CloseableIterable<Record> rows(FileScanTask task) {
        if (task.file().format() != FileFormat.PARQUET) {
            throw new IllegalStateException("cannot rewrite " + task.file().location() + ": only Parquet data files are supported, found "
                    + task.file().format());
        }
        Schema schema = table.schema();
        GenericDeleteFilter deletes = new GenericDeleteFilter(table.io(), task, schema, schema);
        Schema read = deletes.requiredSchema();
        Map<Integer, ?> constants = PartitionUtil.constantsMap(task, IdentityPartitionConverters::convertConstant);
        CloseableIterable<Record> raw = Parquet.read(table.io().newInputFile(task.file().location()))
                .project(read)
                .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(read, fileSchema, constants))
                .build();
        CloseableIterable<Record> live = deletes.filter(raw);
        if (read.sameSchema(schema)) {
            return live;
        }
        return CloseableIterable.transform(live, r -> project(r, schema));
    }

    /**
     * Writes the rows of {@code tasks} (all of one partition of the current spec) for which {@code keep} holds, rolling
     * to a new file at the target size. Writes nothing when no row is kept.
     */
    Result rewrite(List<FileScanTask> tasks, Predicate<Record> keep) {
        if (tasks.isEmpty()) {
            return new Result(List.of(), 0, 0);
        }
        PartitionSpec spec = table.specs().get(tasks.get(0).file().specId());
        StructLike partition = tasks.get(0).file().partition();
        List<DataFile> written = new ArrayList<>();
        long read = 0;
        long dropped = 0;
        DataWriter<Record> writer = null;
        try {
            for (FileScanTask task : tasks) {
                try (CloseableIterable<Record> rows = rows(task)) {
                    for (Record row : rows) {
                        read++;
                        if (!keep.test(row)) {
                            dropped++;
                            continue;
                        }
                        if (writer == null) {
                            writer = appenders.newDataWriter(files.newOutputFile(spec, partition), FileFormat.PARQUET, partition);
                        }
                        writer.write(row);
                        if (writer.length() >= targetFileBytes) {
                            writer.close();
                            written.add(writer.toDataFile());
                            writer = null;
                        }
                    }
                }
            }
            if (writer != null) {
                writer.close();
                written.add(writer.toDataFile());
                writer = null;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite files of " + table.name() + ": " + e.getMessage(), e);
        } finally {
            if (writer != null) {
                try {
                    writer.close();
                } catch (IOException ignored) {
                    // Already failing; the half-written file is an orphan that maintenance removes later.
                }
            }
        }
        return new Result(written, read, dropped);
    }

    private static Record project(Record row, Schema schema) {
        GenericRecord out = GenericRecord.create(schema);
        for (Types.NestedField field : schema.columns()) {
            out.setField(field.name(), row.getField(field.name()));
        }
        return out;
    }
}
