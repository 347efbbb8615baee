package io.recolens.jobs.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.connectors.iceberg.TableDefinitions;
import io.recolens.connectors.iceberg.TableReader;
import io.recolens.jobs.RecolensJob;
import io.recolens.jobs.config.ConfigException;
import io.recolens.jobs.config.ConfigReader;
import io.recolens.jobs.config.JobSettings;
import io.recolens.simulator.KafkaTrafficSink;
import io.recolens.simulator.SimulatorConfig;
import io.recolens.simulator.TrafficSimulator;
import io.recolens.testkit.EmbeddedKafka;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idempotent backfill on real parts: the batch job reads the same Kafka data twice into the same namespace, and
 * every table holds exactly the same rows after the second run as after the first (the batch commit replaces the
 * day partitions it writes). A third run appends into another namespace, as one compares a backfill with what the
 * stream wrote, and gives the same rows. A backfill from the raw archive, after the job tables are gone, rebuilds them
 * row for row. Bounds off a day boundary are refused before anything is written.
 */
class BackfillITCase {
    private static final String SECRET = "backfill-test-secret-0123456789";

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    static Path warehouse;

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void produceTraffic() throws Exception {
        kafka = EmbeddedKafka.start();
        kafka.createTopics(2, "reco.impressions", "reco.clicks", "otlp_spans");
        SimulatorConfig config = SimulatorConfig.builder().seed(7).requests(600).users(150)
                .startEpochMs(System.currentTimeMillis() - 3_600_000L).build();
        try (KafkaTrafficSink toKafka = new KafkaTrafficSink(kafka.bootstrapServers(), KafkaTrafficSink.Topics.defaults())) {
            new TrafficSimulator().run(config, toKafka);
        }
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) kafka.close();
    }

    private static Map<String, String> batchConfig(String namespace) {
        Map<String, String> config = new HashMap<>();
        config.put("mode", "batch");
        config.put("kafka.bootstrap-servers", kafka.bootstrapServers());
        config.put("kafka.starting-offsets", "earliest");
        config.put("kafka.stopping-offsets", "latest");
        config.put("trace.gap", "10 s");
        config.put("catalog.warehouse", warehouse.toString());
        config.put("catalog.namespace", namespace);
        return config;
    }

    private static void run(Map<String, String> config) throws Exception {
        JobSettings settings = JobSettings.from(ConfigReader.fromMap(config), Map.of("RECOLENS_UNIT_KEY_SECRET", SECRET));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        RecolensJob.run(settings, env);
    }

    private static Catalog catalog(String namespace) {
        return RecolensCatalog.fromProperties(Map.of("warehouse", warehouse.toString(), "namespace", namespace)).open();
    }

    /** Every table's rows as sorted strings (the whole content, every column). */
    private static Map<String, List<String>> contents(String namespace) {
        Catalog c = catalog(namespace);
        Map<String, List<String>> out = new TreeMap<>();
        for (String table : TableDefinitions.loadAll().keySet()) {
            List<Record> rows = TableReader.readAll(c, TableIdentifier.of(namespace, table));
            out.put(table, rows.stream().map(Record::toString).sorted().toList());
        }
        return out;
    }

    private static Map<String, Integer> counts(Map<String, List<String>> contents) {
        Map<String, Integer> out = new TreeMap<>();
        contents.forEach((t, rows) -> out.put(t, rows.size()));
        return out;
    }

    @Test
    void aSecondBackfillOverTheSameRangeLeavesEveryTableAsTheFirstDid() throws Exception {
        String ns = "backfill";
        run(batchConfig(ns));
        Map<String, List<String>> first = contents(ns);
        run(batchConfig(ns));
        Map<String, List<String>> second = contents(ns);

        System.out.printf("backfill rows after run 1: %s%nbackfill rows after run 2: %s%n", counts(first), counts(second));
        assertThat(first.get("variant_engagement")).isNotEmpty();
        assertThat(first.get("lineage_history")).hasSizeGreaterThan(500);
        assertThat(first.get("dead_letters")).isNotEmpty();
        assertThat(second).isEqualTo(first);
        Table engagement = catalog(ns).loadTable(TableIdentifier.of(ns, "variant_engagement"));
        assertThat(engagement.currentSnapshot().operation()).as("run 2 replaced partitions").isEqualTo("overwrite");

        // A backfill into another namespace, appended, is the comparison copy: the same rows.
        Map<String, String> compare = batchConfig("backfill_compare");
        compare.put("sink.write-mode", "append");
        run(compare);
        assertThat(contents("backfill_compare")).isEqualTo(first);
    }

    @Test
    void aBackfillFromTheArchiveAfterKafkaIsGoneEqualsTheBackfillFromKafka() throws Exception {
        String ns = "archived";
        Map<String, String> fromKafka = batchConfig(ns);
        fromKafka.put("archive.enabled", "true");
        long start = System.nanoTime();
        run(fromKafka);
        long kafkaMs = (System.nanoTime() - start) / 1_000_000;
        Map<String, List<String>> expected = contents(ns);
        Catalog c = catalog(ns);
        Map<String, Integer> archived = new TreeMap<>();
        for (String table : TableDefinitions.ARCHIVE_TABLES) {
            archived.put(table, TableReader.readAll(c, TableIdentifier.of(ns, table)).size());
        }
        assertThat(archived).allSatisfy((table, n) -> assertThat(n).as(table).isPositive());
        // The job tables go, as if they had to be rebuilt after Kafka's retention; the archive stays.
        for (String table : TableDefinitions.JOB_TABLES) {
            c.dropTable(TableIdentifier.of(ns, table), true);
        }

        Map<String, String> fromArchive = batchConfig(ns);
        fromArchive.put("input", "archive");
        fromArchive.put("kafka.bootstrap-servers", "127.0.0.1:1");
        start = System.nanoTime();
        run(fromArchive);
        long archiveMs = (System.nanoTime() - start) / 1_000_000;
        Map<String, List<String>> rebuilt = contents(ns);
        System.out.printf("archive rows %s; backfill from Kafka %d ms, from the archive %d ms; rows %s%n", archived, kafkaMs, archiveMs,
                counts(rebuilt));

        // Malformed records never reach the archive: only dead_letters differs.
        assertThat(expected.get("dead_letters")).isNotEmpty();
        assertThat(rebuilt.get("dead_letters")).isEmpty();
        expected.remove("dead_letters");
        rebuilt.remove("dead_letters");
        assertThat(rebuilt.get("lineage_history")).hasSizeGreaterThan(500);
        assertThat(rebuilt).isEqualTo(expected);
        for (String table : TableDefinitions.ARCHIVE_TABLES) {
            assertThat(TableReader.readAll(c, TableIdentifier.of(ns, table))).as(table + " is read, not written again")
                    .hasSize(archived.get(table));
        }
    }

    @Test
    void boundsInsideADayAreRefusedForAnOverwriteAndAllowedForAnAppend() {
        Map<String, String> config = batchConfig("backfill_refused");
        config.put("kafka.starting-offsets", "timestamp:" + (86_400_000L * 20_000 + 3_600_000L));
        config.put("kafka.stopping-offsets", "timestamp:" + 86_400_000L * 20_001);
        assertThatThrownBy(() -> run(config)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka.starting-offsets").hasMessageContaining("00:00Z")
                .hasMessageContaining("sink.write-mode=append");
        config.put("sink.write-mode", "append");
        assertThat(JobSettings.from(ConfigReader.fromMap(config), Map.of("RECOLENS_UNIT_KEY_SECRET", SECRET)).sinkWriteMode.configName())
                .isEqualTo("append");
    }
}
