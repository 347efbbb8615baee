package io.recolens.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Spark 4 with Iceberg's Spark runtime reads the tables the Flink job wrote, and every query of {@code sql/spark/}
 * gives the answers {@code io.recolens.demo.SampleWarehouse} computed with the project's own reader.
 *
 * <p>The warehouse is written by a forked JVM on the demo module's runtime classpath: Flink and Spark cannot
 * share one classpath (slf4j, Jackson, Guava, netty versions).
 */
class SparkReadsFlinkTablesITCase {

    private static final String CATALOG = "recolens";
    private static final int REQUESTS = 2000;
    private static final long WAREHOUSE_TIMEOUT_MINUTES = 5;

    private static Path warehouse;
    private static Map<String, Object> expected;
    private static Map<String, List<Map<String, Object>>> expectedAnswers;
    private static Map<String, String> placeholders;
    private static SparkSession spark;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void writeWarehouseAndStartSpark() throws Exception {
        Path work = Path.of(System.getProperty("recolens.work.dir", "target/sample-warehouse")).toAbsolutePath();
        warehouse = work.resolve("warehouse");
        Path expectedFile = work.resolve("expected.json");
        Files.deleteIfExists(expectedFile);
        runSampleWarehouse(work, expectedFile);

        expected = new ObjectMapper().readValue(expectedFile.toFile(), new TypeReference<Map<String, Object>>() {});
        expectedAnswers = (Map<String, List<Map<String, Object>>>) expected.get("queries");
        placeholders = new LinkedHashMap<>((Map<String, String>) expected.get("placeholders"));
        placeholders.put("CATALOG", CATALOG);

        spark = SparkSession.builder()
                .appName("recolens-interop")
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
                .config("spark.sql.catalog." + CATALOG, "org.apache.iceberg.spark.SparkCatalog")
                .config("spark.sql.catalog." + CATALOG + ".type", "hadoop")
                .config("spark.sql.catalog." + CATALOG + ".warehouse", warehouse.toUri().toString())
                .getOrCreate();
    }

    @AfterAll
    static void stopSpark() {
        if (spark != null) {
            spark.stop();
        }
    }

    /** Forks {@code java <flink opens> -cp demo/target/classes:<runtime classpath> io.recolens.demo.SampleWarehouse}. */
    private static void runSampleWarehouse(Path work, Path expectedFile) throws Exception {
        Path repo = SqlFiles.repoDir();
        Path classpathFile = repo.resolve("demo/target/runtime-classpath.txt");
        if (!Files.isRegularFile(classpathFile)) {
            fail(classpathFile + " is missing: run mvn package first (the demo module writes it at package; "
                    + "mvn verify from the repository root does both in order)");
        }
        String classpath = repo.resolve("demo/target/classes") + File.pathSeparator
                + Files.readString(classpathFile, StandardCharsets.UTF_8).strip();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String opens = System.getProperty("recolens.flink.java.opens", "");
        Arrays.stream(opens.trim().split("\\s+")).filter(s -> !s.isEmpty()).forEach(command::add);
        command.add("-Xmx1g");
        command.add("-Dlog4j.configurationFile=" + repo.resolve("demo/src/main/resources/log4j2-demo.properties").toUri());
        command.addAll(List.of("-cp", classpath, "io.recolens.demo.SampleWarehouse",
                "--requests", Integer.toString(REQUESTS),
                "--warehouse", work.resolve("warehouse").toString(),
                "--expected", expectedFile.toString()));
        Files.createDirectories(work);
        Path log = work.resolve("sample-warehouse.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(WAREHOUSE_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("SampleWarehouse did not finish within " + WAREHOUSE_TIMEOUT_MINUTES + " min; log: " + log);
        }
        if (process.exitValue() != 0 || !Files.isRegularFile(expectedFile)) {
            fail("SampleWarehouse failed (exit " + process.exitValue() + "); last lines of " + log + ":\n" + tail(log, 40));
        }
    }

    private static String tail(Path log, int lines) throws IOException {
        List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    @Test
    void everyQueryFileHasExpectedAnswersAndEveryAnswerHasAFile() {
        TreeSet<String> files = new TreeSet<>(SqlFiles.list("spark").stream().map(SqlFiles::queryName).toList());
        assertThat(files).as("sql/spark/*.sql vs expected.json queries").isEqualTo(new TreeSet<>(expectedAnswers.keySet()));
        expectedAnswers.forEach((name, rows) -> assertThat(rows.get(0).keySet()).as("expected.json columns of %s", name)
                .containsExactlyElementsOf(QueryColumns.BY_QUERY.get(name)));
    }

    @Test
    void sparkSeesTheTablesTheFlinkJobCreated() {
        List<String> tables = spark.sql("SHOW TABLES IN " + CATALOG + "." + placeholders.get("NAMESPACE")).collectAsList().stream()
                .map(r -> r.getString(1)).sorted().toList();
        assertThat(tables).containsExactly("dead_letters", "experiment_exposures", "experiment_unit_daily", "lineage_anomalies",
                "lineage_history", "variant_engagement", "variant_side_effects");
    }

    /** One test per file of sql/spark: a file without expected answers fails rather than being skipped. */
    @TestFactory
    Stream<DynamicTest> everySparkQueryGivesTheExpectedAnswers() {
        return SqlFiles.list("spark").stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            String name = SqlFiles.queryName(file);
            List<Map<String, Object>> want = expectedAnswers.get(name);
            assertThat(want).as("expected.json has no answers for %s: add them to SampleAnswers", name).isNotNull();
            assertThat(want).as("answers of %s (an empty answer would prove nothing)", name).isNotEmpty();
            List<Map<String, Object>> got = spark.sql(SqlFiles.fill(file, placeholders)).collectAsList().stream()
                    .map(Answers::row).toList();
            assertThat(got.isEmpty() ? want.get(0).keySet() : got.get(0).keySet())
                    .as("columns of %s", name).containsExactlyElementsOf(want.get(0).keySet());
            String difference = Answers.difference(want, got);
            assertThat(difference).as("%s on Spark", name).isNull();
        }));
    }

    /** The comparison itself must be able to fail: a changed count is noticed. */
    @Test
    void aWrongAnswerIsNoticed() {
        List<Map<String, Object>> want = expectedAnswers.get("ctr_by_variant");
        List<Map<String, Object>> changed = new ArrayList<>();
        for (Map<String, Object> row : want) {
            changed.add(new LinkedHashMap<>(row));
        }
        changed.get(0).put("clicks", ((Number) changed.get(0).get("clicks")).longValue() + 1);
        assertThat(Answers.difference(want, changed)).isNotNull();
        assertThat(Answers.difference(want, want)).isNull();
    }
}
