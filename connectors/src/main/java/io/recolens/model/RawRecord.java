package io.recolens.model;

import java.util.Arrays;

/** One undecoded input record as a source delivered it: bytes plus where it came from. */
public class RawRecord {
    /** Topic name or file path the record came from. */
    public String source;
    public int partition;
    public long offset;
    public byte[] key;
    public byte[] value;
    /** Broker or file timestamp in epoch milliseconds; only a fallback, never event time. */
    public long timestamp;

    public RawRecord() {}

    public RawRecord(String source, int partition, long offset, byte[] key, byte[] value, long timestamp) {
        this.source = source;
        this.partition = partition;
        this.offset = offset;
        this.key = key;
        this.value = value;
        this.timestamp = timestamp;
    }

    @Override
    public String toString() {
        return "RawRecord{" + source + "/" + partition + "@" + offset + ", " + (value == null ? 0 : value.length) + " bytes}";
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RawRecord)) return false;
        RawRecord r = (RawRecord) o;
        return partition == r.partition && offset == r.offset && timestamp == r.timestamp
                && java.util.Objects.equals(source, r.source) && Arrays.equals(key, r.key) && Arrays.equals(value, r.value);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(source, partition, offset);
    }
}
