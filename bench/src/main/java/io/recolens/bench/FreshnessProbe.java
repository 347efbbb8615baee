package io.recolens.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Reads each new {@code lineage_history} commit once and records, per row served at or after a given instant (the
 * end of the warm-up), the commit time minus the row's {@code served_at}: how long after its event time the row
 * became visible.
 */
final class FreshnessProbe {
    private final Table table;
    private final long measureFromMs;
    private final Set<Long> read = new HashSet<>();
    private final List<Long> delays = new ArrayList<>();
    private int commits;

    FreshnessProbe(Table table, long measureFromMs) {
        this.table = table;
        this.measureFromMs = measureFromMs;
    }

    /** Reads the rows of every commit not read yet. */
    void poll() {
        table.refresh();
        for (Snapshot s : table.snapshots()) {
            if (!read.add(s.snapshotId())) continue;
            int before = delays.size();
            // The first snapshot has no parent to take a difference from; its rows are all it holds.
            IcebergGenerics.ScanBuilder scan = IcebergGenerics.read(table).select("served_at");
            scan = s.parentId() == null ? scan.useSnapshot(s.snapshotId()) : scan.appendsBetween(s.parentId(), s.snapshotId());
            try (CloseableIterable<Record> rows = scan.build()) {
                for (Record r : rows) {
                    long servedAt = millis(r.getField("served_at"));
                    if (servedAt >= measureFromMs) delays.add(s.timestampMillis() - servedAt);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (delays.size() > before) {
                commits++;
                // Per commit: whether the delay stays flat (steady state) or grows (the job falls behind the traffic).
                List<Long> mine = delays.subList(before, delays.size());
                System.err.printf("bench: freshness commit %d: %,d rows, delay %,d..%,d ms%n", commits, mine.size(),
                        mine.stream().mapToLong(Long::longValue).min().orElse(0), mine.stream().mapToLong(Long::longValue).max().orElse(0));
            }
        }
    }

    List<Long> delays() {
        return delays;
    }

    /** Commits that brought at least one row of the live traffic. */
    int commits() {
        return commits;
    }

    static long millis(Object servedAt) {
        if (servedAt instanceof OffsetDateTime t) return t.toInstant().toEpochMilli();
        if (servedAt instanceof Instant i) return i.toEpochMilli();
        if (servedAt instanceof LocalDateTime l) return l.toInstant(ZoneOffset.UTC).toEpochMilli();
        return ((Number) servedAt).longValue();
    }
}
