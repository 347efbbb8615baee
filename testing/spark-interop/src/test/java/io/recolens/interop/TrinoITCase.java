package io.recolens.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recolens.catalogtestkit.EmbeddedRestCatalog;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * A real Trino 476 (the Maven Central server tarball, on a Java 24+ JDK, on loopback) reads the tables the Flink job
 * wrote in batch mode through an Iceberg REST catalog, with the catalog properties of {@code sql/trino/catalog/}:
 * every {@code sql/trino} file gives the answers the job's own read-back computed. Then the access rules of
 * {@code sql/trino/access/} are checked per role: each allowed and each refused query. One server for all checks.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrinoITCase {

    static final String CATALOG = "iceberg";
    /** The operators' catalog on the same REST catalog, where table procedures run. */
    static final String MAINTENANCE = "iceberg_maintenance";
    private static final int REQUESTS = 1000;
    /** Users of sql/trino/access/groups.txt, one per role. */
    private static final String ANALYST = "ana";
    private static final String AUDITOR = "audrey";
    private static final String OPERATOR = "otto";

    private static EmbeddedRestCatalog rest;
    private static TrinoServer trino;
    private static Map<String, List<Map<String, Object>>> expectedAnswers;
    private static Map<String, String> placeholders;
    private static String namespace;
    private static Path work;

    @BeforeAll
    static void writeWarehouseAndStartTrino() throws Exception {
        work = Path.of(System.getProperty("recolens.work.dir", "target/sample-warehouses")).toAbsolutePath().resolve("trino");
        SampleWarehouseFork.deleteRecursively(work);
        Files.createDirectories(work);
        rest = EmbeddedRestCatalog.start(work.resolve("rest"));
        Path home = Path.of(System.getProperty("recolens.trino.home", "target/trino/trino-server-476")).toAbsolutePath();
        Path sqlTrino = SqlFiles.repoDir().resolve("sql/trino");
        Map<String, String> catalogs = Map.of(
                CATALOG, catalogFile(sqlTrino.resolve("catalog/iceberg-rest.properties")),
                MAINTENANCE, catalogFile(sqlTrino.resolve("catalog/iceberg-maintenance-rest.properties")));
        // Trino starts (about a minute) while the job writes the warehouse: the two overlap.
        CompletableFuture<TrinoServer> starting = CompletableFuture.supplyAsync(() -> {
            try {
                return TrinoServer.start(home, work.resolve("trino"), catalogs,
                        sqlTrino.resolve("access/rules.json"), sqlTrino.resolve("access/groups.txt")).awaitReady();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            SampleWarehouseFork.Expected expected = SampleWarehouseFork.run(work.resolve("job"), REQUESTS,
                    Map.of("catalog.type", "rest", "catalog.uri", rest.uri()));
            expectedAnswers = expected.answers();
            placeholders = new LinkedHashMap<>(expected.placeholders());
            placeholders.put("CATALOG", CATALOG);
            namespace = placeholders.get("NAMESPACE");
        } finally {
            trino = starting.join();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (trino != null) {
            trino.close();
        }
        if (rest != null) {
            rest.close();
        }
    }

    @Test
    void trinoAndSparkFoldersHoldTheSameQueries() {
        java.util.TreeSet<String> trinoFiles = new java.util.TreeSet<>(SqlFiles.list("trino").stream().map(SqlFiles::queryName).toList());
        java.util.TreeSet<String> sparkFiles = new java.util.TreeSet<>(SqlFiles.list("spark").stream().map(SqlFiles::queryName).toList());
        assertThat(trinoFiles).isEqualTo(sparkFiles).isEqualTo(new java.util.TreeSet<>(QueryColumns.BY_QUERY.keySet()));
    }

    @Test
    void trinoSeesTheTablesTheJobCreated() throws Exception {
        List<String> tables = query(OPERATOR, "SHOW TABLES FROM " + CATALOG + "." + namespace).stream()
                .map(r -> (String) r.get("Table")).sorted().toList();
        assertThat(tables).containsExactly("dead_letters", "experiment_exposures", "experiment_unit_daily", "lineage_anomalies",
                "lineage_completeness", "lineage_history", "variant_engagement", "variant_side_effects");
    }

    /** One test per file of sql/trino, run for real: the answers are the job's read-back (expected.json). */
    @TestFactory
    Stream<DynamicTest> everyTrinoQueryGivesTheExpectedAnswers() {
        return SqlFiles.list("trino").stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            String name = SqlFiles.queryName(file);
            List<Map<String, Object>> want = expectedAnswers.get(name);
            assertThat(want).as("expected.json has no answers for %s", name).isNotNull().isNotEmpty();
            List<Map<String, Object>> got = query(OPERATOR, SqlFiles.fill(file, placeholders));
            assertThat(got.isEmpty() ? want.get(0).keySet() : got.get(0).keySet()).as("columns of %s", name)
                    .containsExactlyElementsOf(want.get(0).keySet());
            assertThat(Answers.difference(want, got)).as("%s on Trino", name).isNull();
        }));
    }

    @TestFactory
    Stream<DynamicTest> analystReadsAggregatesAndExposuresButNoLineageOrDeadLetters() {
        return Stream.concat(
                Stream.of("ctr_by_variant", "side_effects_by_service", "exposures_srm", "retention_state")
                        .map(q -> allowed(ANALYST, q, queryFile(q))),
                Stream.of(
                        allowed(ANALYST, "count unit-daily rows", "SELECT count(*) FROM " + table("experiment_unit_daily")),
                        refused(ANALYST, "lineage_by_impression", queryFile("lineage_by_impression")),
                        refused(ANALYST, "lineage_by_trace", queryFile("lineage_by_trace")),
                        refused(ANALYST, "anomalies_by_variant", queryFile("anomalies_by_variant")),
                        refused(ANALYST, "dead letters", "SELECT count(*) FROM " + table("dead_letters")),
                        refused(ANALYST, "lineage snapshots", "SELECT count(*) FROM " + table("\"lineage_history$snapshots\"")),
                        refused(ANALYST, "maintenance", "ALTER TABLE " + table("variant_engagement") + " EXECUTE optimize"),
                        refused(ANALYST, "the maintenance catalog", "SELECT count(*) FROM " + MAINTENANCE + "." + namespace + ".variant_engagement"),
                        refused(ANALYST, "delete", "DELETE FROM " + table("variant_engagement") + " WHERE false")));
    }

    @TestFactory
    Stream<DynamicTest> auditorReadsLineageAndAnomaliesButNoDeadLettersNorMaintenance() {
        return Stream.of(
                allowed(AUDITOR, "lineage_by_impression", queryFile("lineage_by_impression")),
                allowed(AUDITOR, "lineage_by_trace", queryFile("lineage_by_trace")),
                allowed(AUDITOR, "anomalies_by_variant", queryFile("anomalies_by_variant")),
                allowed(AUDITOR, "lineage snapshots", "SELECT count(*) FROM " + table("\"lineage_history$snapshots\"")),
                refused(AUDITOR, "dead letters", "SELECT count(*) FROM " + table("dead_letters")),
                refused(AUDITOR, "maintenance", "ALTER TABLE " + table("lineage_history") + " EXECUTE expire_snapshots(retention_threshold => '7d')"),
                refused(AUDITOR, "the maintenance catalog", "ALTER TABLE " + MAINTENANCE + "." + namespace
                        + ".lineage_history EXECUTE expire_snapshots(retention_threshold => '7d')"),
                refused(AUDITOR, "delete", "DELETE FROM " + table("lineage_history") + " WHERE false"));
    }

    @TestFactory
    Stream<DynamicTest> operatorRunsMaintenanceAndReadsDeadLetters() {
        return Stream.of(
                allowed(OPERATOR, "dead letters", "SELECT count(*) FROM " + table("dead_letters")),
                allowed(OPERATOR, "expire snapshots", "ALTER TABLE " + maintenance("dead_letters") + " EXECUTE expire_snapshots(retention_threshold => '7d')"),
                allowed(OPERATOR, "remove orphan files", "ALTER TABLE " + maintenance("dead_letters") + " EXECUTE remove_orphan_files(retention_threshold => '7d')"),
                allowed(OPERATOR, "optimize", "ALTER TABLE " + maintenance("dead_letters") + " EXECUTE optimize"),
                refused(OPERATOR, "a table procedure on the read-only catalog", "ALTER TABLE " + table("dead_letters") + " EXECUTE optimize"),
                refused(OPERATOR, "deleting rows", "DELETE FROM " + maintenance("dead_letters") + " WHERE false"));
    }

    @Test
    void aRefusalIsAnAccessDeniedNotSomeOtherError() {
        assertThatThrownBy(() -> query(ANALYST, "SELECT count(*) FROM " + table("lineage_history")))
                .isInstanceOf(SQLException.class).hasMessageContaining("Access Denied");
        assertThatThrownBy(() -> query(OPERATOR, "SELECT count(*) FROM " + table("no_such_table")))
                .isInstanceOf(SQLException.class).message().doesNotContain("Access Denied");
    }

    /** Last, since it changes the data: after bin/recolens forget, Trino finds no row of the unit; the auditor sees the erasure. */
    @Test
    @Order(Integer.MAX_VALUE)
    void afterForgetTrinoFindsNoRowOfTheUnitAndTheAuditorSeesTheErasure() throws Exception {
        String unit = (String) query(AUDITOR, "SELECT unit_key FROM " + table("lineage_history")
                + " GROUP BY unit_key ORDER BY count(*) DESC, unit_key LIMIT 1").get(0).get("unit_key");
        String ofUnit = " WHERE unit_key = '" + unit + "'";
        assertThat(count(ANALYST, "SELECT count(*) AS n FROM " + table("experiment_exposures") + ofUnit)).isPositive();

        String out = SampleWarehouseFork.runDemoMain(work.resolve("forget"), "io.recolens.demo.ForgetCommand",
                List.of("--unit-key", unit, "--catalog.type", "rest", "--catalog.uri", rest.uri()), "forget.log");
        assertThat(out).contains("lineage_history", unit);

        assertThat(count(AUDITOR, "SELECT count(*) AS n FROM " + table("lineage_history") + ofUnit)).isZero();
        assertThat(count(ANALYST, "SELECT count(*) AS n FROM " + table("experiment_exposures") + ofUnit)).isZero();
        assertThat(count(ANALYST, "SELECT count(*) AS n FROM " + table("experiment_unit_daily") + ofUnit)).isZero();
        assertThat(count(AUDITOR, "SELECT count(*) AS n FROM " + table("maintenance_log") + " WHERE action = 'forget' AND unit_key = '"
                + unit + "'")).as("one logged action per job table, the untouched ones included").isEqualTo(8);
        assertThatThrownBy(() -> query(ANALYST, "SELECT count(*) FROM " + table("maintenance_log")))
                .isInstanceOf(SQLException.class).hasMessageContaining("Access Denied");
    }

    // ---- helpers

    private static long count(String user, String sql) throws SQLException {
        return ((Number) query(user, sql).get(0).get("n")).longValue();
    }

    private static String table(String name) {
        return CATALOG + "." + namespace + "." + name;
    }

    private static String maintenance(String name) {
        return MAINTENANCE + "." + namespace + "." + name;
    }

    private static String catalogFile(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).replace("${REST_URI}", rest.uri());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String queryFile(String name) {
        return SqlFiles.fill(SqlFiles.repoDir().resolve("sql/trino/" + name + ".sql"), placeholders);
    }

    private static DynamicTest allowed(String user, String what, String sql) {
        return DynamicTest.dynamicTest(user + " may: " + what, () -> query(user, sql));
    }

    private static DynamicTest refused(String user, String what, String sql) {
        return DynamicTest.dynamicTest(user + " may not: " + what, () -> assertThatThrownBy(() -> query(user, sql))
                .isInstanceOf(SQLException.class).hasMessageContaining("Access Denied"));
    }

    /** Runs one statement as {@code user} and returns its rows as JSON-shaped values (the shape of expected.json). */
    static List<Map<String, Object>> query(String user, String sql) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("timezone", "UTC");
        try (Connection c = DriverManager.getConnection(trino.jdbcUrl(), props); Statement s = c.createStatement()) {
            if (!s.execute(sql)) {
                return List.of();
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = s.getResultSet()) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        row.put(md.getColumnLabel(i), column(rs, i, md.getColumnTypeName(i)));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    private static Object column(ResultSet rs, int i, String type) throws SQLException {
        if (rs.getObject(i) == null) {
            return null;
        }
        if (type.startsWith("timestamp") && type.contains("with time zone")) {
            return rs.getObject(i, ZonedDateTime.class).toInstant().toString();
        }
        if (type.equals("date")) {
            return rs.getObject(i, LocalDate.class).toString();
        }
        return value(rs.getObject(i));
    }

    /** Trino JDBC values (arrays, maps, rows, decimals) to the plain values expected.json holds. */
    static Object value(Object v) throws SQLException {
        if (v == null) return null;
        if (v instanceof Array a) {
            return value(a.getArray());
        }
        if (v instanceof Object[] items) {
            List<Object> out = new ArrayList<>();
            for (Object item : items) out.add(value(item));
            return out;
        }
        if (v instanceof List<?> items) {
            List<Object> out = new ArrayList<>();
            for (Object item : items) out.add(value(item));
            return out;
        }
        if (v instanceof io.trino.jdbc.Row row) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (io.trino.jdbc.RowField field : row.getFields()) {
                out.put(field.getName().orElseThrow(), value(field.getValue()));
            }
            return out;
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new TreeMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) out.put(String.valueOf(e.getKey()), value(e.getValue()));
            return out;
        }
        if (v instanceof BigDecimal d) return d.doubleValue();
        if (v instanceof java.sql.Timestamp ts) return ts.toInstant().toString();
        if (v instanceof Double d && d.isInfinite()) return d > 0 ? "Infinity" : "-Infinity";
        return v;
    }
}
