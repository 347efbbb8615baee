package io.recolens.jobs.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;

import io.recolens.connectors.iceberg.LatencyBuckets;
import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.connectors.iceberg.TableBootstrap;
import io.recolens.connectors.iceberg.TableDefinition;
import io.recolens.connectors.iceberg.TableDefinitions;
import io.recolens.connectors.iceberg.TableReader;
import io.recolens.jobs.RecolensJob;
import io.recolens.jobs.config.ConfigReader;
import io.recolens.jobs.config.JobSettings;
import io.recolens.jobs.sql.SchemaShapes;
import io.recolens.simulator.FileTrafficSink;
import io.recolens.simulator.GroundTruth;
import io.recolens.simulator.SimulatorConfig;
import io.recolens.simulator.TrafficSimulator;
import io.recolens.testkit.SqlFiles;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every file of {@code sql/flink/} through Flink SQL (batch) against a warehouse the real job wrote, and
 * checks each answer against the job's tables read back with Iceberg's own reader. A {@code .sql} file without
 * a check here fails, so no SQL file ships untested.
 */
class FlinkSqlFilesITCase {
    private static final String CATALOG = "recolens";
    private static final String NAMESPACE = "recolens";
    private static final String DDL_NAMESPACE = "recolens_ddl";
    // Two UTC days of traffic (12:00 on day 1 to about 18:00 on day 2); the range keeps day 1 only, so a query that
    // ignored FROM/TO would not match.
    private static final long START = Instant.parse("2026-01-01T12:00:00Z").toEpochMilli();
    private static final String FROM = "2026-01-01 00:00:00";
    private static final String TO = "2026-01-02 00:00:00";
    private static final Instant FROM_I = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant TO_I = Instant.parse("2026-01-02T00:00:00Z");

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    static Path warehouse;

    @TempDir
    static Path input;

    private static final SqlFiles SQL = SqlFiles.repository();
    private static TableEnvironment tEnv;
    private static Catalog iceberg;
    private static GroundTruth truth;

    @BeforeAll
    static void runTheJobAndRegisterTheCatalog() throws Exception {
        SimulatorConfig config = SimulatorConfig.builder().seed(7).requests(1000).users(200).startEpochMs(START)
                .requestsPerSecond(1000.0 / (30 * 3600)).build();
        try (FileTrafficSink files = new FileTrafficSink(input, config.spanEncoding())) {
            truth = new TrafficSimulator().run(config, files);
        }
        Map<String, String> settings = new HashMap<>();
        settings.put("mode", "batch");
        settings.put("input", "files");
        settings.put("input.path", input.toString());
        settings.put("catalog.warehouse", warehouse.toString());
        settings.put("catalog.namespace", NAMESPACE);
        settings.put("demo", "true");
        long started = System.nanoTime();
        RecolensJob.run(JobSettings.from(ConfigReader.fromMap(settings), Map.of()),
                org.apache.flink.streaming.api.environment.StreamExecutionEnvironment.getExecutionEnvironment());
        System.out.printf("batch job over %d requests: %d ms%n", truth.requests(), (System.nanoTime() - started) / 1_000_000);

        iceberg = RecolensCatalog.fromProperties(Map.of("warehouse", warehouse.toString(), "namespace", NAMESPACE)).open();
        tEnv = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        tEnv.getConfig().setLocalTimeZone(ZoneOffset.UTC);
        tEnv.executeSql(sql("catalog.sql", Map.of()));
    }

    /** Values for every placeholder the files use; each file takes the ones it names. */
    private static String sql(String file, Map<String, String> extra) {
        Map<String, String> values = new HashMap<>(Map.of("CATALOG", CATALOG, "CATALOG_TYPE", "hadoop",
                "WAREHOUSE", warehouse.toString(), "CATALOG_URI", "", "NAMESPACE", NAMESPACE, "FROM", FROM, "TO", TO));
        values.putAll(extra);
        return SQL.statement("flink/" + file, values);
    }

    /** The rows of a query, each as column name → value (Flink's collected rows are positional). */
    private static List<Map<String, Object>> query(String file, Map<String, String> extra) throws Exception {
        TableResult result = tEnv.executeSql(sql(file, extra));
        List<String> names = result.getResolvedSchema().getColumnNames();
        List<Map<String, Object>> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = result.collect()) {
            while (it.hasNext()) {
                Row row = it.next();
                Map<String, Object> named = new LinkedHashMap<>();
                for (int i = 0; i < names.size(); i++) {
                    named.put(names.get(i), row.getField(i));
                }
                rows.add(named);
            }
        }
        return rows;
    }

    private static List<Record> read(String table) {
        return TableReader.readAll(iceberg, TableIdentifier.of(Namespace.of(NAMESPACE), table));
    }

    private static boolean inRange(Object time) {
        Instant t = ((OffsetDateTime) time).toInstant();
        return !t.isBefore(FROM_I) && t.isBefore(TO_I);
    }

    private static String key(Map<String, Object> row, String... columns) {
        return Stream.of(columns).map(c -> String.valueOf(row.get(c))).collect(Collectors.joining("|"));
    }

    private static String key(Record r, String... columns) {
        return Stream.of(columns).map(c -> String.valueOf(r.getField(c))).collect(Collectors.joining("|"));
    }

    private static long num(Object o) {
        return o == null ? 0 : ((Number) o).longValue();
    }

    private static Double ratio(long a, long b) {
        return b == 0 ? null : (double) a / b;
    }

    private static void assertRatio(Object actual, Double expected, String what) {
        if (expected == null) {
            assertThat(actual).as(what).isNull();
        } else {
            assertThat((Double) actual).as(what).isCloseTo(expected, within(1e-12));
        }
    }

    @TestFactory
    Stream<DynamicTest> everyFlinkSqlFileRunsAndAgreesWithTheJob() {
        Map<String, Check> checks = new LinkedHashMap<>();
        checks.put("catalog.sql", FlinkSqlFilesITCase::catalogListsTheJobTables);
        checks.put("create_namespace.sql", FlinkSqlFilesITCase::namespaceIsCreated);
        checks.put("ctr_by_variant.sql", FlinkSqlFilesITCase::ctrByVariant);
        checks.put("side_effects_by_service.sql", FlinkSqlFilesITCase::sideEffectsByService);
        checks.put("lineage_by_impression.sql", FlinkSqlFilesITCase::lineageByImpression);
        checks.put("lineage_by_trace.sql", FlinkSqlFilesITCase::lineageByTrace);
        checks.put("anomalies_by_variant.sql", FlinkSqlFilesITCase::anomaliesByVariant);
        checks.put("exposures_srm.sql", FlinkSqlFilesITCase::exposuresSrm);
        checks.put("retention_state.sql", FlinkSqlFilesITCase::retentionState);
        checks.put("latency_percentiles.sql", FlinkSqlFilesITCase::latencyPercentiles);
        List<String> files = SQL.list("flink");
        assertThat(files).as("sql/flink/ holds the files this test knows").containsAll(checks.keySet());
        return files.stream().map(file -> DynamicTest.dynamicTest(file, () -> {
            if (file.startsWith("ddl/")) {
                ddlCreatesTheJsonTable(file);
            } else if (checks.containsKey(file)) {
                checks.get(file).run();
            } else {
                fail("sql/flink/" + file + " is not run by any test: add a check to " + FlinkSqlFilesITCase.class.getSimpleName());
            }
        }));
    }

    /** One file's check. */
    @FunctionalInterface
    private interface Check {
        void run() throws Exception;
    }

    private static void catalogListsTheJobTables() throws Exception {
        // catalog.sql already ran in @BeforeAll; here: it registered the job's warehouse, not an empty one.
        List<String> tables = new ArrayList<>();
        try (CloseableIterator<Row> it = tEnv.executeSql("SHOW TABLES FROM " + CATALOG + "." + NAMESPACE).collect()) {
            it.forEachRemaining(r -> tables.add((String) r.getField(0)));
        }
        assertThat(tables).containsAll(TableDefinitions.JOB_TABLES);
    }

    private static void namespaceIsCreated() throws Exception {
        tEnv.executeSql(sql("create_namespace.sql", Map.of("NAMESPACE", DDL_NAMESPACE))).await();
        // IF NOT EXISTS: a second run is harmless.
        tEnv.executeSql(sql("create_namespace.sql", Map.of("NAMESPACE", DDL_NAMESPACE))).await();
        assertThat(tEnv.getCatalog(CATALOG).orElseThrow().databaseExists(DDL_NAMESPACE)).isTrue();
    }

    private static void ctrByVariant() throws Exception {
        Map<String, long[]> expected = new TreeMap<>();
        for (Record r : read(TableDefinitions.VARIANT_ENGAGEMENT)) {
            if (!inRange(r.getField("window_start"))) continue;
            long[] sums = expected.computeIfAbsent(key(r, "experiment", "variant"), k -> new long[4]);
            sums[0] += num(r.getField("impressions"));
            sums[1] += num(r.getField("item_impressions"));
            sums[2] += num(r.getField("clicks"));
            sums[3] += num(r.getField("clicked_impressions"));
        }
        assertThat(expected).hasSizeGreaterThanOrEqualTo(5);
        List<Map<String, Object>> rows = query("ctr_by_variant.sql", Map.of());
        assertThat(rows.stream().map(r -> key(r, "experiment", "variant")).toList())
                .containsExactlyElementsOf(expected.keySet());
        for (Map<String, Object> row : rows) {
            long[] e = expected.get(key(row, "experiment", "variant"));
            String what = key(row, "experiment", "variant");
            assertThat(new long[] {num(row.get("impressions")), num(row.get("item_impressions")), num(row.get("clicks")),
                    num(row.get("clicked_impressions"))}).as(what).containsExactly(e);
            assertRatio(row.get("ctr"), ratio(e[2], e[0]), what + " ctr");
            assertRatio(row.get("item_ctr"), ratio(e[2], e[1]), what + " item_ctr");
            assertRatio(row.get("slate_ctr"), ratio(e[3], e[0]), what + " slate_ctr");
        }
    }

    private static void sideEffectsByService() throws Exception {
        Map<String, long[]> sums = new TreeMap<>();
        Map<String, long[]> histograms = new HashMap<>();
        for (Record r : read(TableDefinitions.VARIANT_SIDE_EFFECTS)) {
            if (!inRange(r.getField("window_start"))) continue;
            String k = key(r, "experiment", "variant", "service");
            long[] s = sums.computeIfAbsent(k, x -> new long[6]);
            String[] measures = {"span_count", "error_count", "db_calls", "db_time_micros", "cache_hits", "cache_misses"};
            for (int i = 0; i < measures.length; i++) s[i] += num(r.getField(measures[i]));
            long[] h = histograms.computeIfAbsent(k, x -> LatencyBuckets.newHistogram());
            @SuppressWarnings("unchecked")
            List<Long> buckets = (List<Long>) r.getField("latency_histogram");
            for (int i = 0; i < buckets.size(); i++) h[i] += buckets.get(i);
        }
        assertThat(sums).isNotEmpty();
        List<Map<String, Object>> rows = query("side_effects_by_service.sql", Map.of());
        assertThat(rows.stream().map(r -> key(r, "experiment", "variant", "service")).toList())
                .containsExactlyElementsOf(sums.keySet());
        Set<Double> p95s = new HashSet<>();
        for (Map<String, Object> row : rows) {
            String k = key(row, "experiment", "variant", "service");
            long[] s = sums.get(k);
            assertThat(num(row.get("spans"))).as(k).isEqualTo(s[0]);
            assertRatio(row.get("error_rate"), ratio(s[1], s[0]), k + " error_rate");
            assertThat(num(row.get("db_calls"))).as(k).isEqualTo(s[2]);
            assertThat((Double) row.get("db_time_ms")).as(k).isCloseTo(s[3] / 1000.0, within(1e-9));
            assertRatio(row.get("cache_hit_rate"), ratio(s[4], s[4] + s[5]), k + " cache_hit_rate");
            double p95 = LatencyBuckets.percentile(histograms.get(k), 0.95);
            if (Double.isNaN(p95)) {
                assertThat(row.get("p95_ms")).as(k + " p95").isNull();
            } else {
                assertThat((Double) row.get("p95_ms")).as(k + " p95").isEqualTo(p95);
            }
            p95s.add(p95);
        }
        // Services differ in latency: were every p95 the same, the comparison would prove little.
        assertThat(p95s).hasSizeGreaterThan(2);
    }

    private static void latencyPercentiles() throws Exception {
        Map<String, io.recolens.model.ExponentialHistogram> expected = new TreeMap<>();
        for (Record r : read(TableDefinitions.VARIANT_SIDE_EFFECTS)) {
            if (!inRange(r.getField("window_start"))) continue;
            expected.computeIfAbsent(key(r, "experiment", "variant", "service"), k -> new io.recolens.model.ExponentialHistogram())
                    .merge(io.recolens.model.ExponentialHistogram.fromMap((Map<?, ?>) r.getField("latency_exp_histogram")));
        }
        assertThat(expected).isNotEmpty();
        List<Map<String, Object>> rows = query("latency_percentiles.sql", Map.of());
        assertThat(rows.stream().map(r -> key(r, "experiment", "variant", "service")).toList())
                .containsExactlyElementsOf(expected.keySet());
        Set<Double> p95s = new HashSet<>();
        for (Map<String, Object> row : rows) {
            String k = key(row, "experiment", "variant", "service");
            io.recolens.model.ExponentialHistogram h = expected.get(k);
            assertThat(num(row.get("histogram_spans"))).as(k).isEqualTo(h.total());
            for (String q : List.of("50", "95", "99")) {
                double want = h.percentileMillis(Integer.parseInt(q) / 100.0);
                assertThat((Double) row.get("p" + q + "_ms")).as(k + " p" + q).isCloseTo(want, within(want * 1e-12));
            }
            p95s.add((Double) row.get("p95_ms"));
        }
        assertThat(p95s).hasSizeGreaterThan(rows.size() / 2);
    }

    private static void lineageByImpression() throws Exception {
        Record expected = read(TableDefinitions.LINEAGE_HISTORY).stream()
                .filter(r -> r.getField("clicks") != null && !((List<?>) r.getField("clicks")).isEmpty())
                .min(Comparator.comparing(r -> (String) r.getField("impression_id"))).orElseThrow();
        String id = (String) expected.getField("impression_id");
        List<Map<String, Object>> rows = query("lineage_by_impression.sql", Map.of("IMPRESSION_ID", id));
        assertThat(rows).hasSize(1);
        Map<String, Object> row = rows.get(0);
        assertThat(row.get("impression_id")).isEqualTo(id);
        assertThat(row.get("trace_id")).isEqualTo(expected.getField("trace_id"));
        assertThat(row.get("unit_key")).isEqualTo(expected.getField("unit_key"));
        assertThat(row.get("served_at")).isEqualTo(((OffsetDateTime) expected.getField("served_at")).toInstant());
        assertThat(row.get("experiments")).isEqualTo(expected.getField("experiments"));
        assertThat(row.get("variant_sources")).isEqualTo(expected.getField("variant_sources"));
        assertThat(row.get("model_version")).isEqualTo(expected.getField("model_version"));
        assertThat((Object[]) row.get("items")).hasSize(((List<?>) expected.getField("items")).size());
        assertThat(num(row.get("click_count"))).isEqualTo(((List<?>) expected.getField("clicks")).size());
        Record trace = (Record) expected.getField("trace");
        assertThat(((Row) row.get("trace")).getField(0)).isEqualTo(trace.getField("span_count"));
        assertThat(query("lineage_by_impression.sql", Map.of("IMPRESSION_ID", "no-such-impression"))).isEmpty();
    }

    private static void lineageByTrace() throws Exception {
        Map<String, List<Record>> byTrace = read(TableDefinitions.LINEAGE_HISTORY).stream()
                .filter(r -> r.getField("trace_id") != null)
                .collect(Collectors.groupingBy(r -> (String) r.getField("trace_id"), TreeMap::new, Collectors.toList()));
        // The trace with most impressions (first by ID on a tie) checks the ordering too.
        String trace = byTrace.entrySet().stream().max(Comparator.<Map.Entry<String, List<Record>>>comparingInt(e -> e.getValue().size())
                .thenComparing(Map.Entry::getKey, Comparator.reverseOrder())).orElseThrow().getKey();
        List<String> expected = byTrace.get(trace).stream()
                .sorted(Comparator.comparing((Record r) -> (OffsetDateTime) r.getField("served_at")).thenComparing(r -> (String) r.getField("impression_id")))
                .map(r -> (String) r.getField("impression_id")).toList();
        List<Map<String, Object>> rows = query("lineage_by_trace.sql", Map.of("TRACE_ID", trace));
        assertThat(rows.stream().map(r -> (String) r.get("impression_id")).toList()).containsExactlyElementsOf(expected);
        assertThat(rows).allSatisfy(r -> assertThat(r.get("trace_id")).isEqualTo(trace));
        assertThat(query("lineage_by_trace.sql", Map.of("TRACE_ID", "0".repeat(32)))).isEmpty();
    }

    private static void anomaliesByVariant() throws Exception {
        Map<String, Long> expected = read(TableDefinitions.LINEAGE_ANOMALIES).stream()
                .filter(r -> inRange(r.getField("event_time")))
                .collect(Collectors.groupingBy(r -> key(r, "kind", "experiment", "variant"), TreeMap::new, Collectors.counting()));
        assertThat(expected).isNotEmpty();
        Map<String, Long> actual = new TreeMap<>();
        for (Map<String, Object> row : query("anomalies_by_variant.sql", Map.of())) {
            assertThat(actual.put(key(row, "kind", "experiment", "variant"), num(row.get("anomalies")))).isNull();
        }
        assertThat(actual).isEqualTo(expected);
    }

    private static void exposuresSrm() throws Exception {
        Map<String, Set<String>> units = new TreeMap<>();
        for (Record r : read(TableDefinitions.EXPERIMENT_EXPOSURES)) {
            if (!inRange(r.getField("first_exposure_at"))) continue;
            units.computeIfAbsent(key(r, "experiment", "variant"), k -> new HashSet<>()).add((String) r.getField("unit_key"));
        }
        Map<String, Long> perExperiment = new HashMap<>();
        units.forEach((k, u) -> perExperiment.merge(k.substring(0, k.indexOf('|')), (long) u.size(), Long::sum));
        List<Map<String, Object>> rows = query("exposures_srm.sql", Map.of());
        assertThat(rows.stream().map(r -> key(r, "experiment", "variant")).toList()).containsExactlyElementsOf(units.keySet());
        for (Map<String, Object> row : rows) {
            String k = key(row, "experiment", "variant");
            assertThat(num(row.get("units"))).as(k).isEqualTo(units.get(k).size());
            assertRatio(row.get("share"), ratio(units.get(k).size(), perExperiment.get((String) row.get("experiment"))), k + " share");
        }
    }

    private static void retentionState() throws Exception {
        Map<String, String> timeColumn = Map.of(
                TableDefinitions.VARIANT_ENGAGEMENT, "window_start", TableDefinitions.EXPERIMENT_UNIT_DAILY, "day",
                TableDefinitions.VARIANT_SIDE_EFFECTS, "window_start", TableDefinitions.EXPERIMENT_EXPOSURES, "first_exposure_at",
                TableDefinitions.LINEAGE_HISTORY, "served_at", TableDefinitions.LINEAGE_ANOMALIES, "event_time",
                TableDefinitions.DEAD_LETTERS, "recorded_at", TableDefinitions.LINEAGE_COMPLETENESS, "day");
        Map<String, String> expected = new TreeMap<>();
        for (String table : TableDefinitions.JOB_TABLES) {
            List<Record> rows = read(table);
            if (rows.isEmpty()) continue;
            Function<Record, LocalDate> day = r -> r.getField(timeColumn.get(table)) instanceof LocalDate d ? d
                    : ((OffsetDateTime) r.getField(timeColumn.get(table))).atZoneSameInstant(ZoneOffset.UTC).toLocalDate();
            LocalDate oldest = rows.stream().map(day).min(Comparator.naturalOrder()).orElseThrow();
            LocalDate newest = rows.stream().map(day).max(Comparator.naturalOrder()).orElseThrow();
            expected.put(table, oldest + ".." + newest + " " + rows.size());
        }
        assertThat(expected.get(TableDefinitions.LINEAGE_HISTORY)).startsWith("2026-01-01..2026-01-02");
        Map<String, String> actual = new TreeMap<>();
        for (Map<String, Object> row : query("retention_state.sql", Map.of())) {
            if (row.get("oldest_day") == null) continue;
            actual.put((String) row.get("table_name"), row.get("oldest_day") + ".." + row.get("newest_day") + " " + num(row.get("records")));
            assertThat(num(row.get("files"))).isPositive();
        }
        assertThat(actual).isEqualTo(expected);
    }

    /**
     * Creates the table of one DDL file in a namespace of its own and checks it against the JSON definition;
     * then applies the partitioning the header tells users to add and checks the job's bootstrap accepts the table
     * unchanged.
     */
    private static void ddlCreatesTheJsonTable(String file) throws Exception {
        String table = file.substring("ddl/".length(), file.length() - ".sql".length());
        TableDefinition definition = TableDefinitions.load(table);
        tEnv.executeSql(sql("create_namespace.sql", Map.of("NAMESPACE", DDL_NAMESPACE))).await();
        tEnv.executeSql(sql(file, Map.of("NAMESPACE", DDL_NAMESPACE))).await();
        TableIdentifier id = TableIdentifier.of(Namespace.of(DDL_NAMESPACE), table);
        Table created = iceberg.loadTable(id);
        assertThat(SchemaShapes.of(created.schema())).containsExactlyElementsOf(SchemaShapes.of(definition.schema()));
        // format-version is not stored as a property: Iceberg takes it as the table's format version.
        Map<String, String> properties = new HashMap<>(definition.properties());
        assertThat(((HasTableOperations) created).operations().current().formatVersion())
                .isEqualTo(Integer.parseInt(properties.remove("format-version")));
        assertThat(created.properties()).containsAllEntriesOf(properties);

        var spec = created.updateSpec();
        boolean changed = false;
        for (PartitionField field : definition.spec().fields()) {
            String column = definition.schema().findColumnName(field.sourceId());
            if (field.transform().isIdentity()) {
                assertThat(created.spec().fields()).as("identity partition declared by the DDL")
                        .anySatisfy(f -> assertThat(created.schema().findColumnName(f.sourceId())).isEqualTo(column));
            } else {
                assertThat(field.transform().toString()).isEqualTo("day");
                spec.addField(Expressions.day(column));
                changed = true;
            }
        }
        if (changed) spec.commit();
        TableBootstrap.Outcome outcome = TableBootstrap.ensureTable(iceberg, id, definition);
        assertThat(outcome.status()).as(table + " " + outcome.changes()).isEqualTo(TableBootstrap.Status.UNCHANGED);
    }
}
