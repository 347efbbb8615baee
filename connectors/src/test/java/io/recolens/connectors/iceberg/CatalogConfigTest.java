package io.recolens.connectors.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Defaults, per-type required keys and pass-through of catalog properties. */
class CatalogConfigTest {

    @Test
    void defaultsToALocalHadoopWarehouse() {
        CatalogConfig config = CatalogConfig.fromProperties(Map.of());
        assertThat(config.type()).isEqualTo("hadoop");
        assertThat(config.name()).isEqualTo("recolens");
        assertThat(config.namespace()).isEqualTo(Namespace.of("recolens"));
        assertThat(config.catalogProperties().get("warehouse"))
                .isEqualTo(Path.of("warehouse").toAbsolutePath().normalize().toString());
    }

    @Test
    void stripsThePrefixAndPassesOtherKeysThrough() {
        CatalogConfig config = CatalogConfig.fromPrefixedProperties(Map.of(
                "catalog.type", "rest",
                "catalog.uri", "http://127.0.0.1:8181",
                "catalog.namespace", "ab.tests",
                "catalog.io-impl", "org.apache.iceberg.aws.s3.S3FileIO",
                "kafka.bootstrap", "ignored"), "catalog.");
        assertThat(config.type()).isEqualTo("rest");
        assertThat(config.namespace()).isEqualTo(Namespace.of("ab", "tests"));
        assertThat(config.catalogProperties()).containsOnly(
                Map.entry("uri", "http://127.0.0.1:8181"), Map.entry("io-impl", "org.apache.iceberg.aws.s3.S3FileIO"));
    }

    @Test
    void restWithoutUriSaysWhatToSet() {
        assertThatThrownBy(() -> CatalogConfig.fromProperties(Map.of("type", "rest")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("catalog.uri is required for catalog type 'rest': set catalog.uri=https://iceberg-rest.example.com/api/catalog");
        assertThatThrownBy(() -> CatalogConfig.fromProperties(Map.of("type", "rest", "uri", "localhost:8181")))
                .hasMessageContaining("catalog.uri 'localhost:8181' is not a valid URI");
    }

    @Test
    void jdbcMapsToJdbcCatalogAndNeedsUriAndWarehouse() {
        CatalogConfig config = CatalogConfig.fromProperties(Map.of(
                "type", "jdbc", "uri", "jdbc:postgresql://127.0.0.1/ice", "warehouse", "file:/tmp/wh", "jdbc.user", "flink"));
        assertThat(config.catalogImpl()).isEqualTo("org.apache.iceberg.jdbc.JdbcCatalog");
        assertThat(config.catalogProperties()).containsEntry("jdbc.user", "flink").containsEntry("warehouse", "file:/tmp/wh")
                .containsEntry("catalog-impl", "org.apache.iceberg.jdbc.JdbcCatalog");
        assertThatThrownBy(() -> CatalogConfig.fromProperties(Map.of("type", "jdbc", "uri", "jdbc:sqlite::memory:")))
                .hasMessageStartingWith("catalog.warehouse is required for catalog type 'jdbc'");
    }

    @Test
    void hiveNeedsAThriftUri() {
        assertThatThrownBy(() -> CatalogConfig.fromProperties(Map.of("type", "hive")))
                .hasMessageStartingWith("catalog.uri is required for catalog type 'hive'");
        assertThat(CatalogConfig.fromProperties(Map.of("type", "hive", "uri", "thrift://127.0.0.1:9083")).type()).isEqualTo("hive");
    }

    @Test
    void catalogImplAloneIsACustomCatalog() {
        CatalogConfig config = CatalogConfig.fromProperties(Map.of("catalog-impl", "com.example.MyCatalog", "x", "y"));
        assertThat(config.type()).isEqualTo("custom");
        assertThat(config.catalogImpl()).isEqualTo("com.example.MyCatalog");
        assertThat(config.catalogProperties()).containsEntry("x", "y");
    }

    @Test
    void contradictionsAndUnknownTypesFailFast() {
        assertThatThrownBy(() -> CatalogConfig.fromProperties(Map.of("type", "hadoop", "catalog-impl", "com.example.C")))
                .hasMessageContaining("cannot be combined");
        assertThatThrownBy(() -> CatalogConfig.fromProperties(Map.of("type", "mysql")))
                .hasMessageContaining("unknown catalog.type 'mysql'");
        assertThatThrownBy(() -> CatalogConfig.fromProperties(Map.of("namespace", "a..b")))
                .hasMessageContaining("catalog.namespace");
    }

    @Test
    void toStringHidesValues() {
        CatalogConfig config = CatalogConfig.fromProperties(Map.of("type", "rest", "uri", "https://h", "token", "s3cr3t"));
        assertThat(config.toString()).contains("token").doesNotContain("s3cr3t");
    }

    @Test
    void hadoopLoaderCreatesTheNamespace(@TempDir Path dir) throws Exception {
        RecolensCatalog catalog = RecolensCatalog.fromProperties(Map.of("warehouse", dir.toString(), "namespace", "ns1"));
        Catalog loaded = catalog.open();
        assertThat(loaded).isInstanceOf(HadoopCatalog.class);
        assertThat(((SupportsNamespaces) loaded).namespaceExists(Namespace.of("ns1"))).isTrue();
        assertThat(dir.resolve("ns1")).isDirectory();
        catalog.open(); // again: the namespace exists, nothing fails
        ((HadoopCatalog) loaded).close();
    }
}
