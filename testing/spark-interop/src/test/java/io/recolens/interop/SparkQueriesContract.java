package io.recolens.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * The checks every catalog variant runs: the Flink job (forked) writes through one Iceberg catalog, Spark is
 * configured for that same catalog, and every query of {@code sql/spark/} gives the answers of that run's
 * {@code expected.json}.
 *
 * <p>Per-class lifecycle so that a subclass's catalog server (an instance field) lives exactly as long as its
 * Spark session, and each variant gets its own session: catalog settings are fixed when Spark loads a catalog.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SparkQueriesContract {

    /** Spark's catalog name. It is also the job's default {@code catalog.name}, which JdbcCatalog needs both sides to share. */
    static final String CATALOG = "recolens";
    /** Requests the job is fed, the same for every catalog: a run takes about ten seconds, so no variant needs less. */
    private static final int REQUESTS = 2000;

    /** How the job and Spark reach one catalog; {@code server} is closed after Spark stops (null when there is none). */
    record CatalogUnderTest(Map<String, String> jobCatalog, Map<String, String> sparkCatalog, AutoCloseable server) {}

    protected SparkSession spark;
    protected Map<String, List<Map<String, Object>>> expectedAnswers;
    protected Map<String, String> placeholders;
    private AutoCloseable server;

    /** Starts the catalog in {@code work} (emptied first) and says how the job ({@code catalog.*}) and Spark reach it. */
    protected abstract CatalogUnderTest startCatalog(Path work) throws Exception;

    /** Sub-folder of {@code recolens.work.dir} for this variant's warehouse, log and expected answers. */
    protected abstract String name();

    @BeforeAll
    void writeWarehouseAndStartSpark() throws Exception {
        Path work = Path.of(System.getProperty("recolens.work.dir", "target/sample-warehouses")).toAbsolutePath().resolve(name());
        // A catalog server restarted on an old folder would still list the last run's tables and rows.
        SampleWarehouseFork.deleteRecursively(work);
        CatalogUnderTest catalog = startCatalog(work);
        server = catalog.server();
        SampleWarehouseFork.Expected expected = SampleWarehouseFork.run(work, REQUESTS, catalog.jobCatalog());
        expectedAnswers = expected.answers();
        placeholders = expected.placeholders();
        placeholders.put("CATALOG", CATALOG);

        SparkSession.Builder builder = SparkSession.builder()
                .appName("recolens-interop-" + name())
                .master("local[2]")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.default.parallelism", "2")
                // The queries' current_date() and TIMESTAMP literals are meant in UTC, as the tables are.
                .config("spark.sql.session.timeZone", "UTC")
                // java.time values compare directly with expected.json's ISO strings.
                .config("spark.sql.datetime.java8API.enabled", "true")
                .config("spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
                .config("spark.sql.catalog." + CATALOG, "org.apache.iceberg.spark.SparkCatalog");
        catalog.sparkCatalog().forEach((key, value) -> builder.config("spark.sql.catalog." + CATALOG + "." + key, value));
        spark = builder.getOrCreate();
    }

    @AfterAll
    void stopSparkThenCatalog() throws Exception {
        // Spark first: its catalog holds connections to the server, which would otherwise log failures on the way down.
        if (spark != null) {
            spark.stop();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyQueryFileHasExpectedAnswersAndEveryAnswerHasAFile() {
        TreeSet<String> files = new TreeSet<>(SqlFiles.list("spark").stream().map(SqlFiles::queryName).toList());
        assertThat(files).as("sql/spark/*.sql vs expected.json queries").isEqualTo(new TreeSet<>(expectedAnswers.keySet()));
        expectedAnswers.forEach((query, rows) -> assertThat(rows.get(0).keySet()).as("expected.json columns of %s", query)
                .containsExactlyElementsOf(QueryColumns.BY_QUERY.get(query)));
    }

    @Test
    void sparkSeesTheTablesTheFlinkJobCreated() {
        assertThat(showTables()).containsExactly("dead_letters", "experiment_exposures", "experiment_unit_daily", "lineage_anomalies",
                "lineage_completeness", "lineage_history", "variant_engagement", "variant_side_effects");
    }

    protected List<String> showTables() {
        return spark.sql("SHOW TABLES IN " + CATALOG + "." + placeholders.get("NAMESPACE")).collectAsList().stream()
                .map(r -> r.getString(1)).sorted().toList();
    }

    /** One test per file of sql/spark: a file without expected answers fails rather than being skipped. */
    @TestFactory
    Stream<DynamicTest> everySparkQueryGivesTheExpectedAnswers() {
        return SqlFiles.list("spark").stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            String query = SqlFiles.queryName(file);
            List<Map<String, Object>> want = expectedAnswers.get(query);
            assertThat(want).as("expected.json has no answers for %s: add them to SampleAnswers", query).isNotNull();
            assertThat(want).as("answers of %s (an empty answer would prove nothing)", query).isNotEmpty();
            List<Map<String, Object>> got = spark.sql(SqlFiles.fill(file, placeholders)).collectAsList().stream()
                    .map(Answers::row).toList();
            assertThat(got.isEmpty() ? want.get(0).keySet() : got.get(0).keySet())
                    .as("columns of %s", query).containsExactlyElementsOf(want.get(0).keySet());
            String difference = Answers.difference(want, got);
            assertThat(difference).as("%s on Spark, %s catalog", query, name()).isNull();
        }));
    }
}
