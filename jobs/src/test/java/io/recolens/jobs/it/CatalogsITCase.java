package io.recolens.jobs.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recolens.catalogtestkit.EmbeddedPostgres;
import io.recolens.catalogtestkit.EmbeddedRestCatalog;
import io.recolens.connectors.iceberg.CatalogConfig;
import io.recolens.connectors.iceberg.IncompatibleTableException;
import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.connectors.iceberg.TableDefinition;
import io.recolens.connectors.iceberg.TableDefinitions;
import io.recolens.connectors.iceberg.TableReader;
import io.recolens.jobs.RecolensJob;
import io.recolens.jobs.config.ConfigReader;
import io.recolens.jobs.config.JobSettings;
import io.recolens.simulator.FileTrafficSink;
import io.recolens.simulator.SimulatorConfig;
import io.recolens.simulator.TrafficSimulator;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production job, batch from files, into an Iceberg JDBC catalog on a real PostgreSQL and into a
 * REST catalog server, each checked against the same input written to the default hadoop catalog;
 * plus the start-time refusal of an incompatible table that already sits in the JDBC catalog.
 */
class CatalogsITCase {
    private static final String SECRET = "integration-test-secret-0123456789";

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    static Path inputFiles;

    @TempDir
    static Path hadoopWarehouse;

    @TempDir
    static Path jdbcWarehouse;

    @TempDir
    static Path restDir;

    private static EmbeddedPostgres postgres;
    private static EmbeddedRestCatalog rest;
    private static Map<String, List<Long>> hadoopEngagement;
    private static long hadoopLineageRows;

    @BeforeAll
    static void startCatalogsAndWriteTheHadoopReference() throws Exception {
        SimulatorConfig config = SimulatorConfig.builder().seed(7).requests(300).users(80)
                .startEpochMs(System.currentTimeMillis() - 3_600_000L).build();
        try (FileTrafficSink files = new FileTrafficSink(inputFiles, config.spanEncoding())) {
            new TrafficSimulator().run(config, files);
        }
        long t0 = System.nanoTime();
        postgres = EmbeddedPostgres.start();
        long t1 = System.nanoTime();
        rest = EmbeddedRestCatalog.start(restDir);
        long t2 = System.nanoTime();
        System.out.printf("catalogs started: PostgreSQL %d ms, REST %d ms%n", (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);

        Map<String, String> hadoop = Map.of("catalog.warehouse", hadoopWarehouse.toString());
        runJob(hadoop);
        hadoopEngagement = engagementSums(hadoop);
        hadoopLineageRows = read(hadoop, TableDefinitions.LINEAGE_HISTORY).size();
        assertThat(hadoopEngagement).containsKeys("rec_algorithm_v3=control", "rec_algorithm_v3=hybrid");
        assertThat(hadoopLineageRows).isGreaterThan(200);
    }

    @AfterAll
    static void stopCatalogs() {
        if (rest != null) rest.close();
        if (postgres != null) postgres.close();
    }

    private static Map<String, String> jdbcCatalog(String namespace) {
        Map<String, String> c = new HashMap<>();
        c.put("catalog.type", "jdbc");
        c.put("catalog.uri", postgres.jdbcUrl());
        c.put("catalog.jdbc.user", postgres.user());
        // Trust authentication ignores it; set anyway so the key travels the way a real deployment's does.
        c.put("catalog.jdbc.password", "not-checked-by-trust-auth");
        c.put("catalog.warehouse", jdbcWarehouse.toString());
        c.put("catalog.namespace", namespace);
        return c;
    }

    @Test
    void jdbcCatalogOnPostgresHoldsTheSameResultsAsTheHadoopCatalog() throws Exception {
        Map<String, String> jdbc = jdbcCatalog("recolens");
        long t0 = System.nanoTime();
        runJob(jdbc);
        System.out.printf("job on jdbc catalog: %d ms%n", (System.nanoTime() - t0) / 1_000_000);

        assertAllTablesExist(jdbc);
        assertThat(engagementSums(jdbc)).isEqualTo(hadoopEngagement);
        assertThat(read(jdbc, TableDefinitions.LINEAGE_HISTORY)).hasSize((int) hadoopLineageRows);

        // The pointers really live in PostgreSQL, under the catalog's name, one per table.
        Set<String> inPostgres = new TreeSet<>();
        try (Connection c = postgres.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT table_name FROM iceberg_tables WHERE catalog_name = '"
                     + CatalogConfig.DEFAULT_NAME + "' AND table_namespace = 'recolens'")) {
            while (rs.next()) inPostgres.add(rs.getString(1));
        }
        assertThat(inPostgres).containsExactlyInAnyOrderElementsOf(TableDefinitions.JOB_TABLES);
    }

    @Test
    void restCatalogHoldsTheSameResultsAsTheHadoopCatalog() throws Exception {
        Map<String, String> restConfig = Map.of("catalog.type", "rest", "catalog.uri", rest.uri(), "catalog.warehouse", rest.warehouse());
        long before = rest.requestCount();
        long t0 = System.nanoTime();
        runJob(restConfig);
        System.out.printf("job on rest catalog: %d ms, %d REST requests%n", (System.nanoTime() - t0) / 1_000_000,
                rest.requestCount() - before);

        assertAllTablesExist(restConfig);
        assertThat(engagementSums(restConfig)).isEqualTo(hadoopEngagement);
        assertThat(read(restConfig, TableDefinitions.LINEAGE_HISTORY)).hasSize((int) hadoopLineageRows);
        // The server's own catalog has the commits: the job went through REST, not around it.
        TableIdentifier engagement = TableIdentifier.of("recolens", TableDefinitions.VARIANT_ENGAGEMENT);
        assertThat(rest.backingCatalog().loadTable(engagement).currentSnapshot()).isNotNull();
        assertThat(rest.requestCount() - before).isGreaterThan(TableDefinitions.JOB_TABLES.size());
    }

    @Test
    void anIncompatibleTableInTheJdbcCatalogStopsTheJobAtStart() throws Exception {
        Map<String, String> jdbc = jdbcCatalog("it_incompatible");
        RecolensCatalog catalog = RecolensCatalog.of(CatalogConfig.fromPrefixedProperties(jdbc, "catalog."));
        Catalog opened = catalog.open();
        TableDefinition definition = TableDefinitions.load(TableDefinitions.VARIANT_ENGAGEMENT);
        List<Types.NestedField> columns = new ArrayList<>();
        for (Types.NestedField f : definition.schema().columns()) {
            // clicks is a count; as a string no recolens row could be written to it.
            columns.add(f.name().equals("clicks") ? Types.NestedField.optional(f.fieldId(), f.name(), Types.StringType.get()) : f);
        }
        TableIdentifier id = catalog.tableId(TableDefinitions.VARIANT_ENGAGEMENT);
        opened.createTable(id, new Schema(columns), PartitionSpec.unpartitioned());
        closeIfCloseable(opened);

        assertThatThrownBy(() -> runJob(jdbc))
                .isInstanceOf(IncompatibleTableException.class)
                .hasMessageContaining("it_incompatible.variant_engagement")
                .hasMessageContaining("clicks")
                .satisfies(e -> assertThat(((IncompatibleTableException) e).column()).contains("clicks"));
    }

    private static void assertAllTablesExist(Map<String, String> catalogConfig) throws Exception {
        RecolensCatalog catalog = RecolensCatalog.of(CatalogConfig.fromPrefixedProperties(catalogConfig, "catalog."));
        Catalog opened = catalog.open();
        try {
            assertThat(opened.listTables(catalog.namespace()).stream().map(TableIdentifier::name))
                    .containsExactlyInAnyOrderElementsOf(TableDefinitions.JOB_TABLES);
        } finally {
            closeIfCloseable(opened);
        }
    }

    private static void runJob(Map<String, String> catalogConfig) throws Exception {
        Map<String, String> config = new HashMap<>(catalogConfig);
        config.put("mode", "batch");
        config.put("input", "files");
        config.put("input.path", inputFiles.toString());
        config.put("trace.gap", "10 s");
        JobSettings settings = JobSettings.from(ConfigReader.fromMap(config), Map.of("RECOLENS_UNIT_KEY_SECRET", SECRET));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        RecolensJob.run(settings, env);
    }

    private static List<Record> read(Map<String, String> catalogConfig, String table) {
        RecolensCatalog catalog = RecolensCatalog.of(CatalogConfig.fromPrefixedProperties(catalogConfig, "catalog."));
        Catalog opened = catalog.open();
        try {
            return TableReader.readAll(opened, catalog.tableId(table));
        } finally {
            closeIfCloseable(opened);
        }
    }

    /** SUM(impressions, item_impressions, clicks, clicked_impressions) per experiment and variant. */
    private static Map<String, List<Long>> engagementSums(Map<String, String> catalogConfig) {
        String[] measures = {"impressions", "item_impressions", "clicks", "clicked_impressions"};
        Map<String, List<Long>> out = new TreeMap<>();
        for (Record r : read(catalogConfig, TableDefinitions.VARIANT_ENGAGEMENT)) {
            List<Long> acc = out.computeIfAbsent(r.getField("experiment") + "=" + r.getField("variant"),
                    k -> new ArrayList<>(List.of(0L, 0L, 0L, 0L)));
            for (int i = 0; i < measures.length; i++) acc.set(i, acc.get(i) + ((Number) r.getField(measures[i])).longValue());
        }
        return out;
    }

    private static void closeIfCloseable(Catalog catalog) {
        if (catalog instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
