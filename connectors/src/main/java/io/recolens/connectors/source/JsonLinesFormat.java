package io.recolens.connectors.source;

import io.recolens.model.RawRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * Reads a JSON-lines file as raw records: one record per non-blank line, offset = 1-based line
 * number, bytes as they are (without the line break). The decoder, not this reader, judges the
 * content, so a bad line becomes a dead letter downstream instead of failing the source.
 */
public class JsonLinesFormat extends SimpleStreamFormat<RawRecord> {
    private static final long serialVersionUID = 1L;

    /**
     * Longest line kept whole. A longer line is cut here and still emitted, so the decoder rejects
     * it by size as a dead letter, without this reader buffering an unbounded line.
     */
    private final int maxLineBytes;

    public JsonLinesFormat(int maxLineBytes) {
        if (maxLineBytes <= 0) throw new IllegalArgumentException("maxLineBytes must be positive");
        this.maxLineBytes = maxLineBytes;
    }

    @Override
    public StreamFormat.Reader<RawRecord> createReader(Configuration config, FSDataInputStream stream) {
        return new LineReader(stream, maxLineBytes);
    }

    @Override
    public TypeInformation<RawRecord> getProducedType() {
        return TypeInformation.of(RawRecord.class);
    }

    private static final class LineReader implements StreamFormat.Reader<RawRecord> {
        private final InputStream in;
        private final int maxLineBytes;
        private final byte[] buffer = new byte[64 * 1024];
        private int pos;
        private int limit;
        private long lineNumber;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(1024);

        LineReader(InputStream in, int maxLineBytes) {
            this.in = in;
            this.maxLineBytes = maxLineBytes;
        }

        @Override
        public RawRecord read() throws IOException {
            while (true) {
                byte[] bytes = nextLine();
                if (bytes == null) return null;
                lineNumber++;
                if (isBlank(bytes)) continue;
                // Source and timestamp are stamped by RawRecordFileFormat, which knows the file.
                return new RawRecord(null, 0, lineNumber, null, bytes, 0L);
            }
        }

        /** The next line without its terminator, or null at the end of the stream. */
        private byte[] nextLine() throws IOException {
            line.reset();
            boolean any = false;
            while (true) {
                if (pos == limit) {
                    limit = in.read(buffer, 0, buffer.length);
                    pos = 0;
                    if (limit <= 0) {
                        limit = 0;
                        return any ? trimCr(line.toByteArray()) : null;
                    }
                }
                any = true;
                int start = pos;
                while (pos < limit && buffer[pos] != '\n') pos++;
                int room = maxLineBytes + 1 - line.size();
                if (room > 0) line.write(buffer, start, Math.min(pos - start, room));
                if (pos < limit) {
                    pos++; // the '\n'
                    return trimCr(line.toByteArray());
                }
            }
        }

        private static byte[] trimCr(byte[] bytes) {
            int n = bytes.length;
            return n > 0 && bytes[n - 1] == '\r' ? Arrays.copyOf(bytes, n - 1) : bytes;
        }

        private static boolean isBlank(byte[] bytes) {
            for (byte b : bytes) {
                if (b != ' ' && b != '\t' && b != '\r') return false;
            }
            return true;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
