package io.recolens.model;

/** A rejected input record: where it came from, a bounded copy of its bytes with user IDs scrubbed, and why it was rejected. */
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

    /**
     * A dead letter of {@code record} keeping {@code scrubbedRaw} (at most {@link #MAX_RAW_BYTES} of it) as its raw
     * bytes. Callers pass bytes whose user IDs are already replaced (connectors' {@code UserIdScrubber}, see
     * docs/privacy.md), never {@code record.value} unchecked; null keeps no bytes.
     */
    public static DeadLetter of(RawRecord record, String kind, String error, byte[] scrubbedRaw) {
        DeadLetter d = new DeadLetter();
        d.source = record.source;
        d.partition = record.partition;
        d.offset = record.offset;
        d.kind = kind;
        d.error = error == null ? "unknown error" : (error.length() > 1000 ? error.substring(0, 1000) : error);
        d.rawSize = record.value == null ? 0 : record.value.length;
        byte[] value = scrubbedRaw == null ? new byte[0] : scrubbedRaw;
        d.raw = value.length <= MAX_RAW_BYTES ? value : java.util.Arrays.copyOf(value, MAX_RAW_BYTES);
        d.recordTimestamp = record.timestamp;
        return d;
    }

    @Override
    public String toString() {
        return "DeadLetter{" + kind + " " + source + "/" + partition + "@" + offset + ": " + error + "}";
    }
}
