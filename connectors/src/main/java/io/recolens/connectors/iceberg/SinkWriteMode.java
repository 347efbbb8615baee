package io.recolens.connectors.iceberg;

/** How the Iceberg sinks commit: append new files, or replace the day partitions the job writes (idempotent backfill). */
public enum SinkWriteMode {
    /** Each commit adds files; the streaming mode, and a backfill into a fresh namespace. */
    APPEND("append"),
    /**
     * The batch job's single commit replaces every partition it wrote files into (Iceberg ReplacePartitions, a
     * dynamic overwrite); partitions it did not write are untouched. Rerunning over the same input gives the same table.
     */
    OVERWRITE_PARTITIONS("overwrite-partitions");

    private final String configName;

    SinkWriteMode(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    /** The mode named {@code name} as written in {@code sink.write-mode}, or null when there is none. */
    public static SinkWriteMode fromConfigName(String name) {
        for (SinkWriteMode m : values()) {
            if (m.configName.equals(name)) return m;
        }
        return null;
    }
}
