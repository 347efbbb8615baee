package io.recolens.clustertestkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The cluster's configuration file, JVM options and class path, without starting anything. */
class StandaloneClusterTest {
    @Test
    void configYamlQuotesEveryValueSoColonsAndQuotesSurvive() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("execution.checkpointing.dir", "file:///tmp/a b/checkpoints");
        c.put("odd", "it's");
        assertThat(StandaloneCluster.configYaml(c)).endsWith("execution.checkpointing.dir: 'file:///tmp/a b/checkpoints'\nodd: 'it''s'\n");
    }

    @Test
    void defaultsBindLoopbackAndAllowTheShadedJarsSize() {
        Map<String, String> c = StandaloneCluster.flinkConfig(Path.of("/x"), 8081, 6123, 2);
        assertThat(c).containsEntry("rest.bind-address", "127.0.0.1").containsEntry("jobmanager.bind-host", "127.0.0.1")
                .containsEntry("taskmanager.bind-host", "127.0.0.1").containsEntry("taskmanager.host", "127.0.0.1")
                .containsEntry("blob.server.port", "0").containsEntry("taskmanager.numberOfTaskSlots", "2");
        assertThat(Long.parseLong(c.get("rest.server.max-content-length"))).isGreaterThan(256L * 1024 * 1024);
    }

    @Test
    void javaOpensAreTheParentPomsList() throws Exception {
        String pom = Files.readString(Path.of("..", "..", "pom.xml"));
        Matcher m = Pattern.compile("<flink.java.opens>(.*?)</flink.java.opens>").matcher(pom);
        assertThat(m.find()).isTrue();
        assertThat(StandaloneCluster.FLINK_JAVA_OPENS).isEqualTo(Arrays.asList(m.group(1).trim().split("\\s+")));
    }

    @Test
    void classpathHoldsTheRuntimeWebUiAndLoggingButNoJobClasses() {
        List<String> names = StandaloneCluster.flinkClasspath().stream().map(p -> p.getFileName().toString()).toList();
        assertThat(names).anyMatch(n -> n.startsWith("flink-runtime-web-2.1.0"))
                .anyMatch(n -> n.startsWith("flink-runtime-2.1.0"))
                .anyMatch(n -> n.startsWith("flink-clients-2.1.0"))
                .anyMatch(n -> n.startsWith("log4j-core-"))
                // Batch shuffles compress with it; without it the first BATCH job fails with ClassNotFoundException.
                .anyMatch(n -> n.startsWith("lz4-java-"));
        // The job jar brings these itself: a cluster that had them would hide a missing class in the shaded jar.
        assertThat(names).noneMatch(n -> n.startsWith("kafka-clients") || n.startsWith("iceberg-") || n.startsWith("recolens-")
                || n.startsWith("flink-connector-kafka"));
    }

    @Test
    void commandUsesThisJavaAndTheConfigFolder() {
        List<String> cmd = StandaloneCluster.command(Path.of("/c"), "jobmanager", StandaloneCluster.JOB_MANAGER_MAIN, List.of("-Xmx1g"), List.of());
        assertThat(cmd.get(0)).isEqualTo(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        assertThat(cmd).contains("-Xmx1g", "-Dlog.file=/c/log/jobmanager.log", StandaloneCluster.JOB_MANAGER_MAIN)
                .containsSequence("--configDir", "/c/conf");
    }
}
