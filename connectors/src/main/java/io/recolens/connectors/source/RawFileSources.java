package io.recolens.connectors.source;

import io.recolens.model.RawRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.enumerate.NonSplittingRecursiveEnumerator;
import org.apache.flink.core.fs.Path;

/**
 * Builds bounded {@link FileSource}s of raw records over a directory, for batch runs without
 * Kafka. The directory is read recursively; hidden files ({@code .} or {@code _} prefix) and
 * files of other extensions are ignored. Layout, by extension:
 * <ul>
 *   <li>{@code *.jsonl}: one record per non-blank line (impressions, clicks, or one OTLP/JSON
 *       {@code TracesData} per line, as the OpenTelemetry file-exporter specification writes
 *       it); offset = 1-based line number;
 *   <li>{@code *.otlp}: repeated {@code [4-byte big-endian length][protobuf TracesData]} frames,
 *       the Collector file exporter's {@code format: proto} layout; offset = 0-based message
 *       index.
 * </ul>
 * Either may be compressed ({@code .gz}, {@code .gzip}, {@code .bz2}, {@code .xz} or {@code .deflate}
 * suffix: the codecs Flink's file source decompresses). Every record carries source = the file's path, partition = 0 and
 * timestamp = the file's modification time. Each file is one split (files are not cut).
 */
public final class RawFileSources {

    private RawFileSources() {}

    /** A bounded source over every supported file below {@code directory}; records up to maxRecordBytes kept whole. */
    public static FileSource<RawRecord> forDirectory(Path directory, int maxRecordBytes) {
        return FileSource.forBulkFileFormat(new RawRecordFileFormat(maxRecordBytes), directory)
                .setFileEnumerator(() -> new NonSplittingRecursiveEnumerator(RawFileSources::accept))
                .build();
    }

    /** Same as {@link #forDirectory(Path, int)} with the default 1 MiB record limit. */
    public static FileSource<RawRecord> forDirectory(Path directory) {
        return forDirectory(directory, 1024 * 1024);
    }

    /** Filters files and directories alike: the enumerator asks for both, the root included. */
    private static boolean accept(Path path) {
        String name = path.getName();
        if (name.startsWith(".") || name.startsWith("_")) return false;
        if (RawRecordFileFormat.isSupported(name)) return true;
        try {
            return path.getFileSystem().getFileStatus(path).isDir();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + path, e);
        }
    }
}
