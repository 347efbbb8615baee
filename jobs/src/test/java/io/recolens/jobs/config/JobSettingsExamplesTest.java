package io.recolens.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** examples/production is read by the job's own reader: the example cannot drift into keys the job refuses. */
class JobSettingsExamplesTest {
    private static Path examples() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("examples").resolve("production"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("repository root with examples/production").isNotNull();
        return dir.resolve("examples").resolve("production");
    }

    @Test
    void theProductionJobPropertiesAreAcceptedAsTheyStand(@TempDir Path tmp) throws Exception {
        Path key = Files.writeString(tmp.resolve("unit-key"), "an-example-key-of-enough-length-0123456789\n");
        Path secrets = tmp.resolve("job-secrets.properties");
        // The template with its placeholders filled, as the mounted file would be.
        Files.writeString(secrets, Files.readString(examples().resolve("job-secrets.properties.example")).replace("<", "").replace(">", ""));
        JobSettings s = JobSettings.from(ConfigReader.fromArgs(new String[] {"--mode", "streaming",
                "--config", examples().resolve("job.properties").toString(), "--config", secrets.toString(),
                "--unit-key.secret-file", key.toString()}), Map.of());
        assertThat(s.catalogProperties).containsEntry("type", "rest").containsEntry("credential", "client-id:client-secret");
        assertThat(s.kafkaProperties).containsKey("sasl.jaas.config");
        assertThat(s.flinkOptions).containsEntry("state.backend.type", "rocksdb");
        FlinkOptions.requireCheckpointDirectory(s.mode, s.flinkOptions, new Configuration());
    }

    @Test
    void trinoReadsTheSameCatalogAndWarehouse() throws Exception {
        Properties job = load(examples().resolve("job.properties"));
        Properties trino = load(examples().resolve("trino").resolve("recolens.properties"));
        assertThat(trino.getProperty("iceberg.catalog.type")).isEqualTo(job.getProperty("catalog.type"));
        assertThat(trino.getProperty("iceberg.rest-catalog.uri")).isEqualTo(job.getProperty("catalog.uri"));
        assertThat(trino.getProperty("iceberg.rest-catalog.warehouse")).isEqualTo(job.getProperty("catalog.warehouse"));
    }

    private static Properties load(Path file) throws Exception {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        return p;
    }
}
