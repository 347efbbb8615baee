package io.recolens.connectors.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.recolens.model.AnomalyRow;
import io.recolens.model.DeadLetter;
import io.recolens.model.EngagementRow;
import io.recolens.model.ExposureRow;
import io.recolens.model.LineageRow;
import io.recolens.model.SideEffectRow;
import io.recolens.model.UnitDailyRow;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every table written through the real Iceberg sink on a Flink mini cluster, in streaming mode with
 * checkpoints and in batch mode, into a Hadoop warehouse in a temporary folder, then read back.
 */
class IcebergSinkITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(4)
                    .setConfiguration(loopback())
                    .build());

    @TempDir
    Path warehouse;

    @Test
    void writesEveryTableInStreamingAndBatchMode() throws Exception {
        RecolensCatalog recolens = RecolensCatalog.fromProperties(Map.of("warehouse", warehouse.toString()));
        Map<String, TableDefinition> defs = TableDefinitions.loadAll();
        Catalog catalog = recolens.open();
        TableBootstrap.ensureTables(catalog, recolens.namespace(), defs.values());

        StreamExecutionEnvironment streaming = StreamExecutionEnvironment.getExecutionEnvironment();
        streaming.setParallelism(2);
        streaming.enableCheckpointing(200);
        IcebergSinks.append(streaming.fromData(SampleRows.engagement("control", 10), SampleRows.engagement("treatment", 12)),
                new TableRows.EngagementConverter(), defs.get("variant_engagement"), recolens, "sink-engagement", "variant_engagement", 2);
        IcebergSinks.append(streaming.fromData(SampleRows.unitDaily()), new TableRows.UnitDailyConverter(),
                defs.get("experiment_unit_daily"), recolens, "sink-unit-daily", "experiment_unit_daily", 1);
        IcebergSinks.append(streaming.fromData(SampleRows.sideEffect()), new TableRows.SideEffectConverter(),
                defs.get("variant_side_effects"), recolens, "sink-side-effects", "variant_side_effects", 1);
        IcebergSinks.append(streaming.fromData(SampleRows.exposure()), new TableRows.ExposureConverter(),
                defs.get("experiment_exposures"), recolens, "sink-exposures", "experiment_exposures", 1);
        IcebergSinks.append(streaming.fromData(SampleRows.lineage()), new TableRows.LineageConverter(),
                defs.get("lineage_history"), recolens, "sink-lineage", "lineage_history", 1);
        IcebergSinks.append(streaming.fromData(SampleRows.anomaly()), new TableRows.AnomalyConverter(),
                defs.get("lineage_anomalies"), recolens, "sink-anomalies", "lineage_anomalies", 1);
        IcebergSinks.append(streaming.fromData(SampleRows.deadLetter()), new TableRows.DeadLetterConverter(),
                defs.get("dead_letters"), recolens, "sink-dead-letters", "dead_letters", 1);
        IcebergSinks.append(streaming.fromData(SampleRows.completeness()), new TableRows.CompletenessConverter(),
                defs.get("lineage_completeness"), recolens, "sink-completeness", "lineage_completeness", 1);
        streaming.execute("iceberg-sink-streaming");

        StreamExecutionEnvironment batch = StreamExecutionEnvironment.getExecutionEnvironment();
        batch.setRuntimeMode(RuntimeExecutionMode.BATCH);
        batch.setParallelism(2);
        EngagementRow late = SampleRows.engagement("control", 5);
        IcebergSinks.append(batch.fromData(late), new TableRows.EngagementConverter(),
                defs.get("variant_engagement"), recolens, "sink-engagement", "variant_engagement", 1);
        IcebergSinks.append(batch.fromData(SampleRows.sideEffect()), new TableRows.SideEffectConverter(),
                defs.get("variant_side_effects"), recolens, "sink-side-effects", "variant_side_effects", 1);
        batch.execute("iceberg-sink-batch");

        assertEngagement(catalog, recolens);
        assertSideEffects(catalog, recolens);
        assertLineage(catalog, recolens);
        assertSmallTables(catalog, recolens);
        for (String name : defs.keySet()) {
            assertParquet(catalog.loadTable(recolens.tableId(name)));
        }
    }

    private static void assertEngagement(Catalog catalog, RecolensCatalog recolens) {
        List<Record> rows = TableReader.readAll(catalog, recolens.tableId("variant_engagement"));
        assertThat(rows).hasSize(3);
        // Additive: streaming wrote 10 for control, batch added a partial row of 5.
        long control = rows.stream().filter(r -> r.getField("variant").equals("control"))
                .mapToLong(r -> (Long) r.getField("impressions")).sum();
        assertThat(control).isEqualTo(15);
        Record first = rows.get(0);
        assertThat(first.getField("window_start")).isEqualTo(OffsetDateTime.of(2025, 3, 1, 10, 0, 0, 0, ZoneOffset.UTC));
        assertThat(first.getField("window_end")).isEqualTo(OffsetDateTime.of(2025, 3, 1, 10, 1, 0, 0, ZoneOffset.UTC));
        assertThat(first.getField("surface")).isEqualTo("home");
        assertThat(first.getField("segment")).isNull();

        List<Record> filtered = TableReader.read(catalog.loadTable(recolens.tableId("variant_engagement")),
                Expressions.equal("variant", "treatment"));
        assertThat(filtered).hasSize(1).first().extracting(r -> r.getField("impressions")).isEqualTo(12L);
    }

    private static void assertSideEffects(Catalog catalog, RecolensCatalog recolens) {
        List<Record> rows = TableReader.readAll(catalog, recolens.tableId("variant_side_effects"));
        assertThat(rows).hasSize(2);
        for (Record row : rows) {
            @SuppressWarnings("unchecked")
            List<Long> histogram = (List<Long>) row.getField("latency_histogram");
            assertThat(histogram).hasSize(LatencyBuckets.BUCKET_COUNT);
            assertThat(histogram.get(1)).isEqualTo(3L);
            assertThat(histogram.get(LatencyBuckets.OVERFLOW_BUCKET)).isEqualTo(1L);
            long[] counts = histogram.stream().mapToLong(Long::longValue).toArray();
            assertThat(LatencyBuckets.percentile(counts, 0.5)).isEqualTo(1.0);
            assertThat(row.getField("operation")).isEqualTo("GET /rank");
            assertThat(row.getField("cache_hits")).isEqualTo(7L);
        }
    }

    @SuppressWarnings("unchecked")
    private static void assertLineage(Catalog catalog, RecolensCatalog recolens) {
        List<Record> rows = TableReader.readAll(catalog, recolens.tableId("lineage_history"));
        assertThat(rows).hasSize(1);
        Record row = rows.get(0);
        LineageRow expected = SampleRows.lineage();
        assertThat(row.getField("impression_id")).isEqualTo("imp-1");
        assertThat(row.getField("served_at")).isEqualTo(OffsetDateTime.of(2025, 3, 1, 10, 0, 1, 234_000_000, ZoneOffset.UTC));
        assertThat((Map<String, String>) row.getField("experiments")).isEqualTo(expected.experiments);
        assertThat((Map<String, String>) row.getField("variant_sources")).isEqualTo(expected.variantSources);

        List<Record> features = (List<Record>) row.getField("features");
        assertThat(features).extracting(f -> f.getField("name") + "@" + f.getField("version") + "#" + f.getField("hash"))
                .containsExactly("user_embedding@v3#abc", "item_pop@v1#def");
        List<Record> items = (List<Record>) row.getField("items");
        assertThat(items).extracting(i -> i.getField("item_id"), i -> i.getField("position"), i -> i.getField("score"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("item-9", 0, 0.93),
                        org.assertj.core.groups.Tuple.tuple("item-4", 1, 0.71));

        Record trace = (Record) row.getField("trace");
        assertThat(trace.getField("span_count")).isEqualTo(5);
        assertThat(trace.getField("root_duration_micros")).isEqualTo(42_000L);
        assertThat(trace.getField("cache_misses")).isEqualTo(1);
        assertThat((Map<String, Long>) trace.getField("service_time_micros"))
                .containsOnly(Map.entry("gateway", 42_000L), Map.entry("ranking", 30_000L));

        List<Record> clicks = (List<Record>) row.getField("clicks");
        assertThat(clicks).hasSize(1);
        assertThat(clicks.get(0).getField("click_id")).isEqualTo("c-1");
        assertThat(clicks.get(0).getField("clicked_at")).isEqualTo(OffsetDateTime.of(2025, 3, 1, 10, 0, 5, 0, ZoneOffset.UTC));
    }

    private static void assertSmallTables(Catalog catalog, RecolensCatalog recolens) {
        Record unit = single(catalog, recolens, "experiment_unit_daily");
        UnitDailyRow u = SampleRows.unitDaily();
        assertThat(unit.getField("day")).isEqualTo(LocalDate.of(2025, 3, 1));
        assertThat(unit.getField("unit_key")).isEqualTo(u.unitKey);
        assertThat(unit.getField("clicked_impressions")).isEqualTo(1L);

        Record exposure = single(catalog, recolens, "experiment_exposures");
        ExposureRow e = SampleRows.exposure();
        assertThat(exposure.getField("first_exposure_at")).isEqualTo(OffsetDateTime.of(2025, 3, 1, 10, 0, 1, 234_000_000, ZoneOffset.UTC));
        assertThat(exposure.getField("segment")).isEqualTo(e.segment);

        Record anomaly = single(catalog, recolens, "lineage_anomalies");
        assertThat(anomaly.getField("kind")).isEqualTo(AnomalyRow.ORPHAN_CLICK);
        assertThat(anomaly.getField("click_id")).isEqualTo("c-9");
        assertThat(anomaly.getField("impression_id")).isNull();

        Record dead = single(catalog, recolens, "dead_letters");
        DeadLetter d = SampleRows.deadLetter();
        assertThat(dead.getField("recorded_at")).isEqualTo(OffsetDateTime.of(2025, 3, 1, 10, 0, 0, 100_000_000, ZoneOffset.UTC));
        assertThat(dead.getField("offset")).isEqualTo(4711L);
        assertThat(dead.getField("partition")).isEqualTo(2);
        ByteBuffer raw = (ByteBuffer) dead.getField("raw");
        byte[] bytes = new byte[raw.remaining()];
        raw.duplicate().get(bytes);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("{\"bad\":true}");
        assertThat(dead.getField("raw_size")).isEqualTo(d.rawSize);
    }

    private static Record single(Catalog catalog, RecolensCatalog recolens, String table) {
        List<Record> rows = TableReader.readAll(catalog, recolens.tableId(table));
        assertThat(rows).as(table).hasSize(1);
        return rows.get(0);
    }

    private static void assertParquet(Table table) throws Exception {
        int files = 0;
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            for (FileScanTask task : tasks) {
                files++;
                assertThat(task.file().format()).isEqualTo(FileFormat.PARQUET);
                try (InputStream in = table.io().newInputFile(task.file().location()).newStream()) {
                    assertThat(new String(in.readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("PAR1");
                }
                // Partitioned by day: the file sits in a day partition folder.
                assertThat(task.file().location()).containsPattern("/data/[a-z_]+=\\d{4}-\\d{2}-\\d{2}/");
            }
        }
        assertThat(files).as(table.name()).isPositive();
    }

    private static Configuration loopback() {
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
        conf.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
        conf.set(TaskManagerOptions.HOST, "127.0.0.1");
        return conf;
    }

}
