package io.recolens.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Typos under catalog.*, kafka.properties.* and top-level keys fail at start naming the key and the closest valid one. */
class ConfigTrustTest {
    private static final String SECRET = "a-long-enough-test-secret-0123456789";
    private static final Map<String, String> ENV = Map.of(RecolensOptions.UNIT_KEY_ENV, SECRET);

    static JobSettings settings(Map<String, String> extra) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("kafka.bootstrap-servers", "x:1");
        m.putAll(extra);
        return JobSettings.from(ConfigReader.fromMap(m), ENV);
    }

    @Test
    void catalogTypoFailsNamingTheClosestKey() {
        assertThatThrownBy(() -> settings(Map.of("catalog.warehose", "/tmp/w")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown key catalog.warehose for catalog type 'hadoop'")
                .hasMessageContaining("did you mean catalog.warehouse?");
    }

    @Test
    void restCatalogKeysPassAndTyposFail() {
        Map<String, String> rest = new LinkedHashMap<>(Map.of("catalog.type", "rest", "catalog.uri", "https://rest.example.com",
                "catalog.warehouse", "s3://bucket/wh", "catalog.header.X-Iceberg-Access-Delegation", "vended-credentials",
                "catalog.credential", "id:secret", "catalog.oauth2-server-uri", "https://idp/token",
                "catalog.io-impl", "org.apache.iceberg.aws.s3.S3FileIO", "catalog.s3.endpoint", "https://minio:9000"));
        rest.put("catalog.s3.path-style-access", "true");
        rest.put("catalog.client.region", "eu-west-1");
        assertThat(settings(rest).catalogProperties).containsEntry("s3.endpoint", "https://minio:9000");

        Map<String, String> typo = new LinkedHashMap<>(rest);
        typo.put("catalog.oauth2-server-url", "https://idp/token");
        assertThatThrownBy(() -> settings(typo)).hasMessageContaining("did you mean catalog.oauth2-server-uri?");
    }

    @Test
    void storageKeysMustMatchTheFileIo() {
        Map<String, String> m = Map.of("catalog.io-impl", "org.apache.iceberg.aws.s3.S3FileIO", "catalog.gcs.project-id", "p");
        assertThatThrownBy(() -> settings(m))
                .hasMessageContaining("catalog.gcs.project-id is read by another FileIO than catalog.io-impl=org.apache.iceberg.aws.s3.S3FileIO")
                .hasMessageContaining("catalog.s3.*");
        // Without io-impl (ResolvingFileIO, or the REST server decides) every storage family passes.
        assertThat(settings(Map.of("catalog.gcs.project-id", "p", "catalog.adls.auth.shared-key.account.name", "a")).catalogProperties)
                .containsKeys("gcs.project-id", "adls.auth.shared-key.account.name");
    }

    @Test
    void typeSpecificKeysOnlyForTheirType() {
        assertThatThrownBy(() -> settings(Map.of("catalog.jdbc.user", "u")))
                .hasMessageContaining("unknown key catalog.jdbc.user for catalog type 'hadoop'");
        assertThat(settings(Map.of("catalog.type", "jdbc", "catalog.uri", "jdbc:postgresql://db/ice", "catalog.warehouse", "/tmp/w",
                "catalog.jdbc.user", "u")).catalogProperties).containsEntry("jdbc.user", "u");
    }

    @Test
    void customCatalogsRefuseOnlyNearMissesAndPassThroughKeysAreAccepted() {
        assertThat(settings(Map.of("catalog.catalog-impl", "com.example.MyCatalog", "catalog.my-endpoint", "x")).catalogProperties)
                .containsEntry("my-endpoint", "x");
        assertThatThrownBy(() -> settings(Map.of("catalog.catalog-impl", "com.example.MyCatalog", "catalog.warehous", "x")))
                .hasMessageContaining("did you mean catalog.warehouse?");
        assertThat(settings(Map.of("catalog.some-new-key", "1", "catalog.pass-through-keys", "some-new-key")).catalogProperties)
                .containsEntry("some-new-key", "1");
    }

    @Test
    void kafkaTypoFailsNamingTheClosestKey() {
        assertThatThrownBy(() -> settings(Map.of("kafka.properties.securty.protocol", "SASL_SSL")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka.properties.securty.protocol").hasMessageContaining("did you mean kafka.properties.security.protocol?");
        assertThat(settings(Map.of("kafka.properties.security.protocol", "SASL_SSL", "kafka.properties.sasl.mechanism", "PLAIN",
                "kafka.properties.partition.discovery.interval.ms", "60000")).kafkaProperties).hasSize(3);
    }

    @Test
    void kafkaKeysTheJobOwnsAreRefused() {
        assertThatThrownBy(() -> settings(Map.of("kafka.properties.group.id", "g")))
                .hasMessageContaining("kafka.properties.group.id").hasMessageContaining("set kafka.group-id instead");
    }

    @Test
    void unknownTopLevelKeyNamesTheClosest() {
        assertThatThrownBy(() -> settings(Map.of("attribution.windw", "1 min")))
                .hasMessageContaining("'attribution.windw': unknown key").hasMessageContaining("did you mean attribution.window?");
    }
}
