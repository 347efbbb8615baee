package io.recolens.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.recolens.connectors.decode.UnitKeys;
import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.connectors.iceberg.TableDefinitions;
import io.recolens.connectors.iceberg.TableReader;
import io.recolens.jobs.config.JobSettings;
import io.recolens.jobs.governance.FlinkCommitMarker;
import io.recolens.jobs.governance.Governance;
import io.recolens.jobs.governance.MaintenanceAction;
import io.recolens.jobs.governance.MaintenanceSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.parquet.Parquet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Governance on a warehouse the job wrote (batch mode over simulated traffic that crosses a UTC midnight) plus
 * synthetic rows over many days: erasure through {@code bin/recolens forget}'s entry point, purge, every Parquet file
 * on disk searched for the unit key; forget twice; compaction, expiry and orphan removal; retention exactly at the day
 * boundary.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GovernanceITCase {

    private static final String NAMESPACE = "recolens";
    /** The sample data lies on 2026-01-01 and 2026-01-02 (SampleWarehouse starts 4 minutes before midnight). */
    private static final LocalDate DATA_DAY_2 = LocalDate.of(2026, 1, 2);

    @TempDir
    static Path warehouse;

    private static Catalog catalog;
    private static String forgottenUser;
    private static String forgottenKey;
    private static String unitImpression;
    /** Trace IDs of the forgotten unit's impressions: its spans in raw_spans. */
    private static final java.util.Set<Object> unitTraces = new java.util.HashSet<>();

    @BeforeAll
    static void writeWarehouse() throws Exception {
        SampleWarehouse.write(400, 11, 1, catalogFlags(), true);
        catalog = RecolensCatalog.fromProperties(Map.of("type", "hadoop", "warehouse", warehouse.toString(), "namespace", NAMESPACE)).open();
        UnitKeys keys = new UnitKeys(JobSettings.DEMO_UNIT_KEY_SECRET);
        // The unit with the most lineage rows: erasing it touches several files and both days.
        Map<String, Long> perUnit = new HashMap<>();
        for (Record r : TableReader.readAll(table(TableDefinitions.LINEAGE_HISTORY))) {
            perUnit.merge((String) r.getField("unit_key"), 1L, Long::sum);
        }
        long best = -1;
        for (int i = 0; i < 2000; i++) {
            String key = keys.unitKey("u-" + i);
            long n = perUnit.getOrDefault(key, 0L);
            if (n > best) {
                best = n;
                forgottenUser = "u-" + i;
                forgottenKey = key;
            }
        }
        assertThat(best).as("lineage rows of the chosen unit").isGreaterThan(1);
        for (Record r : TableReader.readAll(table(TableDefinitions.RAW_IMPRESSIONS))) {
            if (forgottenKey.equals(r.getField("unit_key"))) unitTraces.add(r.getField("trace_id"));
        }
        // Anomalies have no unit column: one naming the unit's impression goes, one of another impression stays; both
        // lack a trace ID (as an orphan click's does), in one file, so the erasure reads rows with null IDs.
        unitImpression = TableReader.readAll(table(TableDefinitions.LINEAGE_HISTORY)).stream()
                .filter(r -> forgottenKey.equals(r.getField("unit_key"))).map(r -> (String) r.getField("impression_id")).findFirst().orElseThrow();
        OffsetDateTime anomalyAt = OffsetDateTime.of(2026, 1, 2, 0, 2, 0, 0, ZoneOffset.UTC);
        appendRows(table(TableDefinitions.LINEAGE_ANOMALIES), List.of(anomaly(anomalyAt, unitImpression), anomaly(anomalyAt, "someone-elses-impression")));
        // A dead letter holding the scrubbed key, as UserIdScrubber leaves it in a rejected record's bytes.
        appendRows(table(TableDefinitions.DEAD_LETTERS), List.of(
                deadLetter(OffsetDateTime.of(2026, 1, 2, 0, 1, 0, 0, ZoneOffset.UTC), "{\"user_id\":\"" + forgottenKey + "\",\"broken"),
                deadLetter(OffsetDateTime.of(2026, 1, 2, 0, 1, 0, 0, ZoneOffset.UTC), "{\"user_id\":\"someone-else\",\"broken")));
    }

    @AfterAll
    static void close() throws Exception {
        if (catalog instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    @Test
    @Order(1)
    void forgetThenPurgeLeavesNoFileOnDiskWithTheUnitKey() throws Exception {
        Map<String, Long> before = countsOfUnit(forgottenKey);
        assertThat(before.get(TableDefinitions.LINEAGE_HISTORY)).isPositive();
        assertThat(before.get(TableDefinitions.EXPERIMENT_EXPOSURES)).isPositive();
        assertThat(before.get(TableDefinitions.EXPERIMENT_UNIT_DAILY)).isPositive();
        assertThat(before.get(TableDefinitions.RAW_IMPRESSIONS)).isPositive();
        assertThat(before.get(TableDefinitions.RAW_SPANS)).isPositive();
        assertThat(filesHolding(forgottenKey)).as("data files holding the key before forget").isNotEmpty();
        Map<String, Long> totals = totalRows();

        String out = captureOut(() -> ForgetCommand.main(concat(new String[] {"--user", forgottenUser, "--demo", "true"}, catalogArgs())));
        assertThat(out).contains("forget").contains(forgottenKey).doesNotContain(" " + forgottenUser + " ");

        assertThat(countsOfUnit(forgottenKey)).allSatisfy((table, n) -> assertThat(n).as(table).isZero());
        Map<String, Long> after = totalRows();
        for (String t : List.of(TableDefinitions.LINEAGE_HISTORY, TableDefinitions.EXPERIMENT_EXPOSURES, TableDefinitions.EXPERIMENT_UNIT_DAILY,
                TableDefinitions.RAW_IMPRESSIONS, TableDefinitions.RAW_CLICKS, TableDefinitions.RAW_SPANS)) {
            assertThat(after.get(t)).as(t + " keeps every other unit's rows").isEqualTo(totals.get(t) - before.get(t));
        }
        assertThat(after.get(TableDefinitions.DEAD_LETTERS)).isEqualTo(totals.get(TableDefinitions.DEAD_LETTERS) - 1);
        List<Object> anomalyImpressions = TableReader.readAll(table(TableDefinitions.LINEAGE_ANOMALIES)).stream()
                .map(r -> r.getField("impression_id")).toList();
        assertThat(anomalyImpressions).doesNotContain(unitImpression).contains("someone-elses-impression");
        for (String aggregate : List.of(TableDefinitions.VARIANT_ENGAGEMENT, TableDefinitions.VARIANT_SIDE_EFFECTS)) {
            assertThat(after.get(aggregate)).as(aggregate + " is untouched").isEqualTo(totals.get(aggregate));
        }
        // Until the purge the old files are still on disk, referenced by older snapshots.
        assertThat(filesHolding(forgottenKey)).isNotEmpty();

        Governance.Run purge = Governance.maintain(catalog, ns(), MaintenanceSettings.from(new org.apache.flink.configuration.Configuration()),
                false, true, Instant.now(), DATA_DAY_2.plusDays(1));
        assertThat(purge.actions()).anySatisfy(a -> {
            assertThat(a.action()).isEqualTo(MaintenanceAction.EXPIRE_SNAPSHOTS);
            assertThat(a.snapshotsExpired()).isPositive();
        });
        assertThat(filesHolding(forgottenKey)).as("Parquet files on disk holding the unit key after the purge").isEmpty();
        for (String t : TableDefinitions.JOB_TABLES) {
            assertThat(table(t).snapshots()).as(t + " keeps only its current snapshot").hasSize(1);
        }

        List<Record> log = TableReader.readAll(table(TableDefinitions.MAINTENANCE_LOG));
        assertThat(log).filteredOn(r -> "forget".equals(r.getField("action")) && forgottenKey.equals(r.getField("unit_key")))
                .hasSize(UnitErasureOrder.size());
        assertThat(log).allSatisfy(r -> assertThat(String.valueOf(r)).doesNotContain(forgottenUser + ","));
    }

    @Test
    @Order(2)
    void forgetTwiceIsANoOp() throws Exception {
        Map<String, Long> snapshots = currentSnapshots();
        Governance.Run again = Governance.forget(catalog, ns(), new io.recolens.jobs.governance.UnitErasure(forgottenKey, forgottenUser.length()),
                false, Instant.now());
        assertThat(again.actions()).allSatisfy(a -> assertThat(a.isNoOp()).as(a.toString()).isTrue());
        assertThat(currentSnapshots()).isEqualTo(snapshots);
    }

    @Test
    @Order(3)
    void compactionKeepsEveryRowAndOrphanRemovalSparesYoungFiles() throws Exception {
        Table engagement = table(TableDefinitions.VARIANT_ENGAGEMENT);
        OffsetDateTime at = OffsetDateTime.of(2026, 1, 2, 0, 2, 0, 0, ZoneOffset.UTC);
        for (int i = 0; i < 6; i++) {
            appendRows(engagement, List.of(engagementRow(at.plusMinutes(i), "compaction_probe", i)));
        }
        List<String> rowsBefore = sortedRows(engagement);
        engagement.refresh();
        Map<String, String> marker = FlinkCommitMarker.newest(engagement, engagement.currentSnapshot()).orElseThrow();
        assertThat(engagement.currentSnapshot().summary()).as("the probe rows' commit carries no marker")
                .doesNotContainKey("flink.max-committed-checkpoint-id");
        Path dataDir = warehouse.resolve(NAMESPACE).resolve(TableDefinitions.VARIANT_ENGAGEMENT).resolve("data");
        Path oldOrphan = Files.write(dataDir.resolve("orphan-old.parquet"), new byte[] {1, 2, 3});
        Files.setLastModifiedTime(oldOrphan, FileTime.from(Instant.now().minus(Duration.ofDays(4))));
        Path youngOrphan = Files.write(dataDir.resolve("orphan-young.parquet"), new byte[] {4, 5, 6});

        Governance.Run run = Governance.maintain(catalog, ns(), MaintenanceSettings.from(new org.apache.flink.configuration.Configuration()),
                false, false, Instant.now(), DATA_DAY_2.plusDays(1));

        assertThat(run.actions()).filteredOn(a -> a.table().equals(TableDefinitions.VARIANT_ENGAGEMENT)
                && a.action().equals(MaintenanceAction.COMPACT)).singleElement().satisfies(a -> {
                    assertThat(a.partitions()).contains("window_start_day=2026-01-02");
                    assertThat(a.filesRemoved()).isGreaterThanOrEqualTo(6);
                    assertThat(a.filesAdded()).isPositive().isLessThan(a.filesRemoved());
                });
        assertThat(sortedRows(table(TableDefinitions.VARIANT_ENGAGEMENT))).isEqualTo(rowsBefore);
        assertThat(oldOrphan).doesNotExist();
        assertThat(youngOrphan).exists();
        // The Flink committer's marker is still on the current snapshot: a restored job finds its last checkpoint.
        assertThat(table(TableDefinitions.VARIANT_ENGAGEMENT).currentSnapshot().summary()).containsAllEntriesOf(marker);
        Files.delete(youngOrphan);
    }

    @Test
    @Order(4)
    void retentionDropsExactlyTheDaysPastRetentionAcrossManyDaysAndTheDayBoundary() throws Exception {
        Table engagement = table(TableDefinitions.VARIANT_ENGAGEMENT);
        LocalDate first = DATA_DAY_2.minusDays(29);
        for (int d = 0; d < 28; d++) {
            appendRows(engagement, List.of(engagementRow(first.plusDays(d).atTime(23, 59, 59).atOffset(ZoneOffset.UTC), "retention_probe", d),
                    engagementRow(first.plusDays(d).atStartOfDay().atOffset(ZoneOffset.UTC), "retention_probe", d)));
        }
        Map<LocalDate, Long> engagementBefore = perDay(engagement, "window_start");
        Map<LocalDate, Long> lineageBefore = perDay(table(TableDefinitions.LINEAGE_HISTORY), "served_at");

        // The raw archive keeps archive.retention of the maintain run's configuration: 1 d drops the first day only,
        // while lineage_history (183 days) keeps both.
        Map<LocalDate, Long> rawBefore = perDay(table(TableDefinitions.RAW_SPANS), "start_time");
        assertThat(rawBefore).containsKeys(DATA_DAY_2.minusDays(1), DATA_DAY_2);
        org.apache.flink.configuration.Configuration oneDay = new org.apache.flink.configuration.Configuration();
        oneDay.setString("archive.retention", "1 d");
        Governance.maintain(catalog, ns(), MaintenanceSettings.from(oneDay), false, false, Instant.now(), DATA_DAY_2.plusDays(1));
        assertThat(perDay(table(TableDefinitions.RAW_SPANS), "start_time")).containsOnlyKeys(DATA_DAY_2)
                .containsEntry(DATA_DAY_2, rawBefore.get(DATA_DAY_2));
        assertThat(perDay(table(TableDefinitions.RAW_IMPRESSIONS), "served_at")).containsOnlyKeys(DATA_DAY_2);
        assertThat(perDay(table(TableDefinitions.LINEAGE_HISTORY), "served_at")).isEqualTo(lineageBefore);
        assertThat(engagementBefore).hasSizeGreaterThanOrEqualTo(30);
        assertThat(lineageBefore.keySet()).containsExactly(DATA_DAY_2.minusDays(1), DATA_DAY_2);

        // variant_engagement keeps 400 days: "today" such that the cutoff is 10 days before the data's last day.
        LocalDate cutoff = DATA_DAY_2.minusDays(10);
        LocalDate today = cutoff.plusDays(400);
        Map<LocalDate, Long> expectedEngagement = new TreeMap<>(engagementBefore);
        expectedEngagement.keySet().removeIf(day -> day.isBefore(cutoff));

        Governance.Run dry = Governance.maintain(catalog, ns(), MaintenanceSettings.from(new org.apache.flink.configuration.Configuration()),
                true, false, Instant.now(), today);
        MaintenanceAction planned = retentionOf(dry, TableDefinitions.VARIANT_ENGAGEMENT);
        assertThat(perDay(table(TableDefinitions.VARIANT_ENGAGEMENT), "window_start")).as("a dry run changes nothing").isEqualTo(engagementBefore);

        Governance.Run run = Governance.maintain(catalog, ns(), MaintenanceSettings.from(new org.apache.flink.configuration.Configuration()),
                false, false, Instant.now(), today);
        MaintenanceAction done = retentionOf(run, TableDefinitions.VARIANT_ENGAGEMENT);
        assertThat(perDay(table(TableDefinitions.VARIANT_ENGAGEMENT), "window_start")).isEqualTo(expectedEngagement);
        assertThat(done.partitions()).hasSize(engagementBefore.size() - expectedEngagement.size()).isEqualTo(planned.partitions())
                .allSatisfy(p -> assertThat(LocalDate.parse(p.substring(p.indexOf('=') + 1))).isBefore(cutoff));
        assertThat(done.rowsRemoved()).isEqualTo(planned.rowsRemoved())
                .isEqualTo(engagementBefore.values().stream().mapToLong(Long::longValue).sum()
                        - expectedEngagement.values().stream().mapToLong(Long::longValue).sum());
        // lineage_history keeps 183 days: with that "today" both of its days are past retention, everything goes.
        assertThat(TableReader.readAll(table(TableDefinitions.LINEAGE_HISTORY))).isEmpty();

        // The day boundary: lineage of 2026-01-01 23:5x goes, 2026-01-02 00:0x stays (on a fresh copy of the rows).
        Table anomalies = table(TableDefinitions.LINEAGE_ANOMALIES);
        Map<LocalDate, Long> anomaliesBefore = perDay(anomalies, "event_time");
        if (anomaliesBefore.containsKey(DATA_DAY_2.minusDays(1)) && anomaliesBefore.containsKey(DATA_DAY_2)) {
            Governance.maintain(catalog, ns(), MaintenanceSettings.from(new org.apache.flink.configuration.Configuration()), false, false,
                    Instant.now(), DATA_DAY_2.plusDays(183));
            Map<LocalDate, Long> anomaliesAfter = perDay(table(TableDefinitions.LINEAGE_ANOMALIES), "event_time");
            assertThat(anomaliesAfter).containsOnlyKeys(DATA_DAY_2).containsEntry(DATA_DAY_2, anomaliesBefore.get(DATA_DAY_2));
        }
    }

    // ---- helpers

    /** The tables forget visits: one log row each. */
    private static final List<String> UnitErasureOrder = io.recolens.jobs.governance.UnitErasure.tableOrder();

    private static MaintenanceAction retentionOf(Governance.Run run, String table) {
        return run.actions().stream().filter(a -> a.table().equals(table) && a.action().equals(MaintenanceAction.RETENTION))
                .findFirst().orElseThrow();
    }

    private static org.apache.iceberg.catalog.Namespace ns() {
        return org.apache.iceberg.catalog.Namespace.of(NAMESPACE);
    }

    private static Map<String, String> catalogFlags() {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("catalog.type", "hadoop");
        flags.put("catalog.warehouse", warehouse.toString());
        flags.put("catalog.namespace", NAMESPACE);
        // The job also fills the raw archive, which forget and maintain must cover like the job's tables.
        flags.put("archive.enabled", "true");
        return flags;
    }

    private static String[] catalogArgs() {
        List<String> args = new ArrayList<>();
        catalogFlags().forEach((k, v) -> {
            args.add("--" + k);
            args.add(v);
        });
        return args.toArray(String[]::new);
    }

    private static String[] concat(String[] a, String[] b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    private static Table table(String name) {
        return catalog.loadTable(TableIdentifier.of(NAMESPACE, name));
    }

    private static Map<String, Long> countsOfUnit(String key) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String t : List.of(TableDefinitions.LINEAGE_HISTORY, TableDefinitions.EXPERIMENT_EXPOSURES, TableDefinitions.EXPERIMENT_UNIT_DAILY,
                TableDefinitions.DEAD_LETTERS, TableDefinitions.RAW_IMPRESSIONS, TableDefinitions.RAW_CLICKS)) {
            counts.put(t, TableReader.readAll(table(t)).stream().filter(r -> holds(r, key)).count());
        }
        counts.put(TableDefinitions.RAW_SPANS, (long) TableReader.readAll(table(TableDefinitions.RAW_SPANS)).stream()
                .filter(r -> unitTraces.contains(r.getField("trace_id"))).count());
        return counts;
    }

    private static Map<String, Long> totalRows() {
        Map<String, Long> totals = new LinkedHashMap<>();
        for (String t : jobAndArchiveTables()) {
            totals.put(t, (long) TableReader.readAll(table(t)).size());
        }
        return totals;
    }

    private static List<String> jobAndArchiveTables() {
        return Stream.concat(TableDefinitions.JOB_TABLES.stream(), TableDefinitions.ARCHIVE_TABLES.stream()).toList();
    }

    private static Map<String, Long> currentSnapshots() {
        Map<String, Long> ids = new TreeMap<>();
        for (String t : TableDefinitions.JOB_TABLES) {
            Snapshot s = table(t).currentSnapshot();
            ids.put(t, s == null ? -1 : s.snapshotId());
        }
        return ids;
    }

    /** Every data file on disk under the job's tables (referenced or not) whose rows or bytes hold {@code key}. */
    private static List<Path> filesHolding(String key) throws IOException {
        List<Path> holding = new ArrayList<>();
        for (String t : jobAndArchiveTables()) {
            Schema schema = table(t).schema();
            Path dir = warehouse.resolve(NAMESPACE).resolve(t);
            if (!Files.exists(dir)) {
                continue;
            }
            List<Path> files;
            try (Stream<Path> walk = Files.walk(dir)) {
                files = walk.filter(p -> p.toString().endsWith(".parquet")).toList();
            }
            for (Path file : files) {
                if (new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(key)) {
                    holding.add(file);
                    continue;
                }
                try (CloseableIterable<Record> rows = Parquet.read(org.apache.iceberg.Files.localInput(file.toFile())).project(schema)
                        .createReaderFunc(fs -> GenericParquetReaders.buildReader(schema, fs)).build()) {
                    for (Record r : rows) {
                        if (holds(r, key)) {
                            holding.add(file);
                            break;
                        }
                    }
                }
            }
        }
        return holding;
    }

    private static boolean holds(Object value, String key) {
        if (value == null) {
            return false;
        }
        if (value instanceof Record r) {
            for (int i = 0; i < r.size(); i++) {
                if (holds(r.get(i), key)) {
                    return true;
                }
            }
            return false;
        }
        if (value instanceof Collection<?> c) {
            return c.stream().anyMatch(v -> holds(v, key));
        }
        if (value instanceof Map<?, ?> m) {
            return m.entrySet().stream().anyMatch(e -> holds(e.getKey(), key) || holds(e.getValue(), key));
        }
        if (value instanceof ByteBuffer b) {
            ByteBuffer copy = b.duplicate();
            byte[] bytes = new byte[copy.remaining()];
            copy.get(bytes);
            return new String(bytes, StandardCharsets.ISO_8859_1).contains(key);
        }
        return value.toString().contains(key);
    }

    private static Map<LocalDate, Long> perDay(Table t, String column) {
        Map<LocalDate, Long> days = new TreeMap<>();
        for (Record r : TableReader.readAll(t)) {
            OffsetDateTime ts = (OffsetDateTime) r.getField(column);
            days.merge(ts.withOffsetSameInstant(ZoneOffset.UTC).toLocalDate(), 1L, Long::sum);
        }
        return days;
    }

    private static List<String> sortedRows(Table t) {
        return TableReader.readAll(t).stream().map(String::valueOf).sorted().toList();
    }

    private static Record engagementRow(OffsetDateTime start, String experiment, int n) {
        GenericRecord r = GenericRecord.create(table(TableDefinitions.VARIANT_ENGAGEMENT).schema());
        r.setField("window_start", start);
        r.setField("window_end", start.plusMinutes(1));
        r.setField("experiment", experiment);
        r.setField("variant", "v" + n);
        r.setField("surface", "home");
        r.setField("segment", "none");
        r.setField("impressions", 10L + n);
        r.setField("item_impressions", 100L);
        r.setField("clicks", 1L);
        r.setField("clicked_impressions", 1L);
        return r;
    }

    private static Record anomaly(OffsetDateTime at, String impressionId) {
        GenericRecord r = GenericRecord.create(table(TableDefinitions.LINEAGE_ANOMALIES).schema());
        r.setField("kind", "orphan_click");
        r.setField("event_time", at);
        r.setField("impression_id", impressionId);
        r.setField("click_id", "click-of-" + impressionId);
        r.setField("detail", "synthetic");
        return r;
    }

    private static Record deadLetter(OffsetDateTime at, String raw) {
        GenericRecord r = GenericRecord.create(table(TableDefinitions.DEAD_LETTERS).schema());
        byte[] bytes = raw.getBytes(StandardCharsets.UTF_8);
        r.setField("recorded_at", at);
        r.setField("source", "reco.impressions");
        r.setField("partition", 0);
        r.setField("offset", 99L);
        r.setField("kind", "impression");
        r.setField("error", "unexpected end of input");
        r.setField("raw", ByteBuffer.wrap(bytes));
        r.setField("raw_size", bytes.length);
        return r;
    }

    /** Appends the rows as one new file per partition, like a streaming commit does. */
    private static void appendRows(Table t, List<Record> rows) throws IOException {
        t.refresh();
        GenericAppenderFactory appenders = new GenericAppenderFactory(t.schema(), t.spec());
        OutputFileFactory files = OutputFileFactory.builderFor(t, 1, System.nanoTime()).format(FileFormat.PARQUET).build();
        Map<String, List<Record>> byPartition = new LinkedHashMap<>();
        Map<String, PartitionKey> keys = new HashMap<>();
        InternalRecordWrapper wrapper = new InternalRecordWrapper(t.schema().asStruct());
        for (Record row : rows) {
            PartitionKey key = new PartitionKey(t.spec(), t.schema());
            key.partition(wrapper.wrap(row));
            String path = t.spec().partitionToPath(key);
            keys.putIfAbsent(path, key);
            byPartition.computeIfAbsent(path, k -> new ArrayList<>()).add(row);
        }
        var append = t.newFastAppend();
        for (Map.Entry<String, List<Record>> e : byPartition.entrySet()) {
            PartitionKey key = keys.get(e.getKey());
            DataWriter<Record> writer = appenders.newDataWriter(files.newOutputFile(t.spec(), key), FileFormat.PARQUET, key);
            try (writer) {
                e.getValue().forEach(writer::write);
            }
            DataFile file = writer.toDataFile();
            append.appendFile(file);
        }
        append.commit();
    }

    private interface Body {
        void run() throws Exception;
    }

    private static String captureOut(Body body) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setOut(original);
        }
        String out = buffer.toString(StandardCharsets.UTF_8);
        original.print(out);
        return out;
    }
}
