package io.recolens.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.recolens.catalogtestkit.EmbeddedPostgres;
import io.recolens.catalogtestkit.EmbeddedRestCatalog;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The Flink job writes through an Iceberg REST catalog and through a JDBC catalog on a real PostgreSQL, both
 * started here on 127.0.0.1, and Spark configured for the same catalog answers every query of {@code sql/spark/}
 * as that run's {@code expected.json} says (the checks of {@link SparkQueriesContract}).
 */
class SparkCatalogsITCase {

    /** REST: {@code type=rest}, the server's {@code uri} and {@code warehouse}, for the job and for Spark alike. */
    @Nested
    class Rest extends SparkQueriesContract {
        private EmbeddedRestCatalog rest;

        @Override
        protected String name() {
            return "rest";
        }

        @Override
        protected CatalogUnderTest startCatalog(Path work) {
            rest = EmbeddedRestCatalog.start(work);
            Map<String, String> job = new LinkedHashMap<>();
            rest.clientProperties().forEach((key, value) -> job.put("catalog." + key, value));
            return new CatalogUnderTest(job, rest.clientProperties(), rest);
        }

        /** Spark's table listing reaches the server: Spark really uses the REST catalog, not some other way to the files. */
        @Test
        void sparkGoesThroughTheRestServer() {
            long before = rest.requestCount();
            assertThat(showTables()).contains("variant_engagement");
            assertThat(rest.requestCount()).as("REST requests while Spark listed the tables").isGreaterThan(before);
        }
    }

    /** JDBC on PostgreSQL: {@code type=jdbc}, {@code uri}, {@code jdbc.user}, {@code warehouse}, and the same catalog name. */
    @Nested
    class Jdbc extends SparkQueriesContract {
        private EmbeddedPostgres postgres;

        @Override
        protected String name() {
            return "jdbc";
        }

        @Override
        protected CatalogUnderTest startCatalog(Path work) {
            postgres = EmbeddedPostgres.start();
            Map<String, String> iceberg = new LinkedHashMap<>();
            iceberg.put("type", "jdbc");
            iceberg.put("uri", postgres.jdbcUrl());
            // Trust authentication: the user is all PostgreSQL checks, so no password is set anywhere.
            iceberg.put("jdbc.user", postgres.user());
            iceberg.put("warehouse", work.resolve("warehouse").toString());
            Map<String, String> job = new LinkedHashMap<>();
            iceberg.forEach((key, value) -> job.put("catalog." + key, value));
            return new CatalogUnderTest(job, iceberg, postgres);
        }

        /**
         * JdbcCatalog keys every row by catalog name: a Spark catalog named otherwise, on the same database, sees
         * none of the job's namespaces. Proves the docs' "same catalog name" rule, and that the catalog named like
         * the job's is what finds the tables.
         */
        @Test
        void onlyASparkCatalogNamedLikeTheJobsSeesItsTables() {
            String other = "not_" + CATALOG;
            spark.conf().set("spark.sql.catalog." + other, "org.apache.iceberg.spark.SparkCatalog");
            spark.conf().set("spark.sql.catalog." + other + ".type", "jdbc");
            spark.conf().set("spark.sql.catalog." + other + ".uri", postgres.jdbcUrl());
            spark.conf().set("spark.sql.catalog." + other + ".jdbc.user", postgres.user());
            // JdbcCatalog refuses to start without one, though listing namespaces never uses it.
            spark.conf().set("spark.sql.catalog." + other + ".warehouse", spark.conf().get("spark.sql.catalog." + CATALOG + ".warehouse"));

            String namespace = placeholders.get("NAMESPACE");
            assertThat(namespaces(CATALOG)).contains(namespace);
            assertThat(namespaces(other)).doesNotContain(namespace);
        }

        private List<String> namespaces(String catalog) {
            return spark.sql("SHOW NAMESPACES IN " + catalog).collectAsList().stream().map(r -> r.getString(0)).toList();
        }
    }
}
