package io.recolens.catalogtestkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real PostgreSQL server from the machine's binaries: loopback only, not as root, usable by Iceberg's JdbcCatalog, gone after close. */
class EmbeddedPostgresTest {

    private static EmbeddedPostgres pg;

    @BeforeAll
    static void startServer() {
        long t0 = System.nanoTime();
        pg = EmbeddedPostgres.start();
        System.out.printf("EmbeddedPostgres start: %d ms (%s)%n", (System.nanoTime() - t0) / 1_000_000, pg.jdbcUrl());
    }

    @AfterAll
    static void stopServer() {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void servesItsDatabaseOnLoopbackOnlyAsTheRecolensUser() throws SQLException {
        assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + pg.port() + "/recolens");
        try (Connection c = pg.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_user, current_database(), current_setting('listen_addresses')")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("recolens");
            assertThat(rs.getString(2)).isEqualTo("recolens");
            assertThat(rs.getString(3)).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void theServerDoesNotRunAsRoot() throws Exception {
        // PostgreSQL would refuse root anyway; this checks the data folder was handed to the server's own user.
        String owner = Files.getOwner(pg.directory().resolve("data")).getName();
        boolean jvmIsRoot = Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        if (jvmIsRoot) {
            assertThat(owner).isNotEqualTo("root").isIn("postgres", "nobody");
        } else {
            assertThat(owner).isEqualTo(System.getProperty("user.name"));
        }
    }

    @Test
    void icebergJdbcCatalogKeepsTablesInIt() throws Exception {
        pg.createDatabase("iceberg_catalog");
        Path warehouse = Files.createTempDirectory("pg-warehouse");
        Map<String, String> props = Map.of("uri", pg.jdbcUrl("iceberg_catalog"), "jdbc.user", pg.user(), "jdbc.password", "unused",
                "warehouse", warehouse.toString());
        TableIdentifier id = TableIdentifier.of("recolens", "t");
        Catalog first = CatalogUtil.loadCatalog("org.apache.iceberg.jdbc.JdbcCatalog", "shared", props, new Configuration());
        ((SupportsNamespaces) first).createNamespace(Namespace.of("recolens"));
        first.createTable(id, new Schema(Types.NestedField.required(1, "id", Types.LongType.get())));
        ((AutoCloseable) first).close();

        // JdbcCatalog scopes its rows by catalog name: a second client sees the tables only under the same name.
        Catalog second = CatalogUtil.loadCatalog("org.apache.iceberg.jdbc.JdbcCatalog", "shared", props, new Configuration());
        Catalog otherName = CatalogUtil.loadCatalog("org.apache.iceberg.jdbc.JdbcCatalog", "other", props, new Configuration());
        assertThat(otherName.tableExists(id)).isFalse();
        ((AutoCloseable) otherName).close();
        assertThat(second.tableExists(id)).isTrue();
        assertThat(second.loadTable(id).schema().findField("id").type()).isEqualTo(Types.LongType.get());
        ((AutoCloseable) second).close();

        try (Connection c = DriverManager.getConnection(pg.jdbcUrl("iceberg_catalog"), pg.user(), "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT table_namespace, table_name FROM iceberg_tables")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1) + "." + rs.getString(2)).isEqualTo("recolens.t");
        }
        EmbeddedPostgres.deleteRecursively(warehouse);
    }

    @Test
    void closeStopsTheServerAndDeletesItsFolder() {
        EmbeddedPostgres other = EmbeddedPostgres.start("other");
        Path dir = other.directory();
        String url = other.jdbcUrl();
        long t0 = System.nanoTime();
        other.close();
        System.out.printf("EmbeddedPostgres stop: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        assertThat(dir).doesNotExist();
        assertThatThrownBy(() -> DriverManager.getConnection(url, "recolens", "").close()).isInstanceOf(SQLException.class);
        other.close(); // a second close is a no-op
    }

    @Test
    void missingBinariesSayHowToInstallThem(@TempDir Path empty) {
        String previous = System.getProperty(EmbeddedPostgres.BIN_DIR_PROPERTY);
        System.setProperty(EmbeddedPostgres.BIN_DIR_PROPERTY, empty.toString());
        try {
            assertThatThrownBy(EmbeddedPostgres::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("apt-get install -y postgresql").hasMessageContaining(empty.toString());
        } finally {
            if (previous == null) {
                System.clearProperty(EmbeddedPostgres.BIN_DIR_PROPERTY);
            } else {
                System.setProperty(EmbeddedPostgres.BIN_DIR_PROPERTY, previous);
            }
        }
    }
}
