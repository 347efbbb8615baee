package io.recolens.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.recolens.jobs.RecolensJob;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HMAC key never travels in the job graph: tasks read it where they run (docs/privacy.md). */
class SecretNotInJobGraphTest {
    private static final String SECRET = "graph-test-secret-must-not-travel-0123456789";

    @Test
    void theSerializedJobGraphHoldsNoSecret(@TempDir Path dir) throws Exception {
        for (String sub : new String[] {"impressions", "clicks", "spans"}) {
            Files.createDirectories(dir.resolve("in").resolve(sub));
        }
        JobSettings settings = JobSettings.from(ConfigReader.fromMap(Map.of("mode", "batch", "input", "files",
                "input.path", dir.resolve("in").toString(), "catalog.warehouse", dir.resolve("wh").toString())),
                Map.of(RecolensOptions.UNIT_KEY_ENV, SECRET));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        RecolensJob.build(settings, env);
        JobGraph graph = env.getStreamGraph().getJobGraph();
        byte[] bytes = InstantiationUtil.serializeObject(graph);
        assertThat(graph.getVertices()).hasSizeGreaterThan(3);
        assertThat(indexOf(bytes, SECRET.getBytes(StandardCharsets.UTF_8))).as("secret bytes in the serialized job graph").isEqualTo(-1);
        // The settings object itself may be captured by functions: it must not hold the key either.
        assertThat(indexOf(InstantiationUtil.serializeObject(settings), SECRET.getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) continue outer;
            }
            return i;
        }
        return -1;
    }
}
