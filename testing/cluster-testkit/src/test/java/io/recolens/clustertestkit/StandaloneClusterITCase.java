package io.recolens.clustertestkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster started as separate JVMs answers on loopback with its slots and the jar endpoints, and is stopped by
 * another caller through its pid files (what {@code bin/recolens cluster down} does).
 */
class StandaloneClusterITCase {
    @TempDir
    Path dir;

    @Test
    void startsJobManagerAndTaskManagerAndStopsThroughPidFiles() throws Exception {
        StandaloneCluster cluster = StandaloneCluster.start(StandaloneCluster.Settings.in(dir).withSlots(3));
        try {
            ClusterRest rest = new ClusterRest(cluster.restUrl());
            JsonNode overview = rest.get("/overview");
            assertThat(overview.path("taskmanagers").asInt()).isEqualTo(1);
            assertThat(overview.path("slots-total").asInt()).isEqualTo(3);
            assertThat(rest.get("/jars").has("files")).as("flink-runtime-web serves the jar endpoints").isTrue();
            assertThat(cluster.jobManager().pid()).isNotEqualTo(cluster.taskManagers().get(0).pid());
            List<Long> running = StandaloneCluster.running(dir);
            assertThat(running).containsExactlyInAnyOrder(cluster.jobManager().pid(), cluster.taskManagers().get(0).pid());

            Process tm = cluster.taskManagers().get(0);
            assertThat(StandaloneCluster.stop(dir)).isEqualTo(2);
            // stop() returns once the processes have exited; this JVM, their parent, reaps them a moment later.
            assertThat(cluster.jobManager().waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(tm.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(cluster.taskManagers()).isEmpty();
            assertThat(StandaloneCluster.running(dir)).isEmpty();
        } finally {
            cluster.close();
        }
    }
}
