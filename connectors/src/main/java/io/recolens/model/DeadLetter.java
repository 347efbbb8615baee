package io.recolens.model;

/** A rejected input record: where it came from, a bounded copy of its bytes and why it was rejected. */
public class DeadLetter {
    /** Most bytes of the raw record kept; the full size is in {@link #rawSize}. */
    public static final int MAX_RAW_BYTES = 4096;

    public String source;
    public int partition;
    public long offset;
    /** Which decoder stage rejected it, e.g. {@code impression}, {@code click}, {@code otlp_proto}. */
    public String kind;
    public String error;
    public byte[] raw;
    public int rawSize;
    /** Epoch milliseconds the source attached to the record (broker or file time). */
    public long recordTimestamp;

    public DeadLetter() {}

    public static DeadLetter of(RawRecord record, String kind, String error) {
        DeadLetter d = new DeadLetter();
        d.source = record.source;
        d.partition = record.partition;
        d.offset = record.offset;
        d.kind = kind;
        d.error = error == null ? "unknown error" : (error.length() > 1000 ? error.substring(0, 1000) : error);
        byte[] value = record.value == null ? new byte[0] : record.value;
        d.rawSize = value.length;
        d.raw = value.length <= MAX_RAW_BYTES ? value : java.util.Arrays.copyOf(value, MAX_RAW_BYTES);
        d.recordTimestamp = record.timestamp;
        return d;
    }

    @Override
    public String toString() {
        return "DeadLetter{" + kind + " " + source + "/" + partition + "@" + offset + ": " + error + "}";
    }
}
