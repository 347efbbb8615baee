package io.recolens.connectors.source;

import io.recolens.model.RawRecord;
import java.io.IOException;
import java.util.Locale;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.impl.StreamFormatAdapter;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.RecordAndPosition;

/**
 * Picks the reader by file extension ({@code .jsonl} lines, {@code .otlp} length-prefixed frames,
 * either optionally compressed, e.g. {@code .jsonl.gz}) and stamps every record with its file's
 * path and modification time, which a {@code StreamFormat} reader cannot see. Files with other
 * extensions yield no records.
 */
final class RawRecordFileFormat implements BulkFormat<RawRecord, FileSourceSplit> {
    private static final long serialVersionUID = 1L;

    static final String JSONL = ".jsonl";
    static final String OTLP = ".otlp";
    /** Compression suffixes Flink's StreamFormatAdapter decompresses by itself. */
    private static final String[] COMPRESSION = {".gz", ".gzip", ".bz2", ".xz", ".deflate"};

    private final StreamFormatAdapter<RawRecord> lines;
    private final StreamFormatAdapter<RawRecord> frames;

    RawRecordFileFormat(int maxRecordBytes) {
        this.lines = new StreamFormatAdapter<>(new JsonLinesFormat(maxRecordBytes));
        this.frames = new StreamFormatAdapter<>(new LengthPrefixedFormat(maxRecordBytes));
    }

    /** The extension that chooses the reader: the file name without a compression suffix. */
    static String baseName(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        for (String suffix : COMPRESSION) {
            if (name.endsWith(suffix)) return name.substring(0, name.length() - suffix.length());
        }
        return name;
    }

    static boolean isSupported(String fileName) {
        String base = baseName(fileName);
        return base.endsWith(JSONL) || base.endsWith(OTLP);
    }

    @Override
    public Reader<RawRecord> createReader(Configuration config, FileSourceSplit split) throws IOException {
        StreamFormatAdapter<RawRecord> format = formatFor(split);
        return format == null ? new EmptyReader() : new StampingReader(format.createReader(config, split), split);
    }

    @Override
    public Reader<RawRecord> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
        StreamFormatAdapter<RawRecord> format = formatFor(split);
        return format == null ? new EmptyReader() : new StampingReader(format.restoreReader(config, split), split);
    }

    private StreamFormatAdapter<RawRecord> formatFor(FileSourceSplit split) {
        String base = baseName(split.path().getName());
        if (base.endsWith(JSONL)) return lines;
        if (base.endsWith(OTLP)) return frames;
        return null;
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<RawRecord> getProducedType() {
        return TypeInformation.of(RawRecord.class);
    }

    private static final class StampingReader implements Reader<RawRecord> {
        private final Reader<RawRecord> delegate;
        private final String source;
        private final long modificationTime;

        StampingReader(Reader<RawRecord> delegate, FileSourceSplit split) {
            this.delegate = delegate;
            this.source = split.path().toString();
            this.modificationTime = split.fileModificationTime();
        }

        @Override
        public RecordIterator<RawRecord> readBatch() throws IOException {
            RecordIterator<RawRecord> batch = delegate.readBatch();
            if (batch == null) return null;
            return new RecordIterator<>() {
                @Override
                public RecordAndPosition<RawRecord> next() {
                    RecordAndPosition<RawRecord> next = batch.next();
                    if (next != null) {
                        RawRecord r = next.getRecord();
                        r.source = source;
                        r.timestamp = modificationTime;
                    }
                    return next;
                }

                @Override
                public void releaseBatch() {
                    batch.releaseBatch();
                }
            };
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }
    }

    private static final class EmptyReader implements Reader<RawRecord> {
        @Override
        public RecordIterator<RawRecord> readBatch() {
            return null;
        }

        @Override
        public void close() {}
    }
}
