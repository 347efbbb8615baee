package io.recolens.connectors.source;

import io.recolens.model.RawRecord;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a file of repeated {@code [4-byte big-endian length][message bytes]} frames as raw
 * records, offset = 0-based message index. This is the layout of the OpenTelemetry Collector's
 * file exporter with {@code format: proto}.
 *
 * <p>A corrupt frame cannot be resynchronized: when a length is negative or over the limit, or
 * the file ends inside a frame, the reader emits what it has (the header and any bytes read) as
 * one last record, which the decoder turns into a dead letter, logs a warning and stops reading
 * this file. The job goes on.
 */
public class LengthPrefixedFormat extends SimpleStreamFormat<RawRecord> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LengthPrefixedFormat.class);

    private final int maxMessageBytes;

    public LengthPrefixedFormat(int maxMessageBytes) {
        if (maxMessageBytes <= 0) throw new IllegalArgumentException("maxMessageBytes must be positive");
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    public StreamFormat.Reader<RawRecord> createReader(Configuration config, FSDataInputStream stream) {
        return new FrameReader(stream, maxMessageBytes);
    }

    @Override
    public TypeInformation<RawRecord> getProducedType() {
        return TypeInformation.of(RawRecord.class);
    }

    private static final class FrameReader implements StreamFormat.Reader<RawRecord> {
        private final DataInputStream in;
        private final int maxMessageBytes;
        private long index;
        private boolean broken;

        FrameReader(FSDataInputStream stream, int maxMessageBytes) {
            this.in = new DataInputStream(stream);
            this.maxMessageBytes = maxMessageBytes;
        }

        @Override
        public RawRecord read() throws IOException {
            if (broken) return null;
            byte[] header = new byte[4];
            int got = readFully(header);
            if (got == 0) return null;
            if (got < 4) return corrupt(trimmed(header, got), "file ends inside a length header");
            int length = ByteBuffer.wrap(header).getInt();
            if (length < 0 || length > maxMessageBytes) {
                return corrupt(header, "frame length " + Integer.toUnsignedString(length) + " is over the limit of "
                        + maxMessageBytes + " bytes");
            }
            byte[] message = new byte[length];
            int read = readFully(message);
            if (read < length) {
                byte[] partial = new byte[4 + read];
                System.arraycopy(header, 0, partial, 0, 4);
                System.arraycopy(message, 0, partial, 4, read);
                return corrupt(partial, "file ends inside a " + length + "-byte frame");
            }
            return new RawRecord(null, 0, index++, null, message, 0L);
        }

        private RawRecord corrupt(byte[] bytes, String why) {
            broken = true;
            LOG.warn("Stopped reading a length-prefixed file at message {}: {}", index, why);
            return new RawRecord(null, 0, index++, null, bytes, 0L);
        }

        private int readFully(byte[] into) throws IOException {
            int n = 0;
            while (n < into.length) {
                int r;
                try {
                    r = in.read(into, n, into.length - n);
                } catch (EOFException e) {
                    r = -1;
                }
                if (r < 0) break;
                n += r;
            }
            return n;
        }

        private static byte[] trimmed(byte[] bytes, int n) {
            byte[] out = new byte[n];
            System.arraycopy(bytes, 0, out, 0, n);
            return out;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
