package io.recolens.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.recolens.clustertestkit.ClusterRest;
import io.recolens.clustertestkit.StandaloneCluster;
import io.recolens.simulator.FileTrafficSink;
import io.recolens.simulator.SimulatorConfig;
import io.recolens.simulator.TrafficSimulator;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/recolens cluster up}, {@code submit --wait} and {@code cluster down} as a user runs them, each its own JVM:
 * the cluster outlives the command that started it, a backfill on files submitted to it finishes, and down stops it.
 */
class ClusterCommandITCase {
    @TempDir
    Path work;

    @Test
    void upSubmitDown() throws Exception {
        Path dir = work.resolve("cluster");
        int port = StandaloneCluster.freePort();
        Path input = work.resolve("input");
        SimulatorConfig config = SimulatorConfig.builder().seed(3).requests(60).users(20)
                .startEpochMs(System.currentTimeMillis() - 3_600_000L).build();
        try (FileTrafficSink files = new FileTrafficSink(input, config.spanEncoding())) {
            new TrafficSimulator().run(config, files);
        }
        try {
            long t0 = System.currentTimeMillis();
            Process up = child(ClusterCommand.class, List.of("up", "--port", Integer.toString(port), "--dir", dir.toString()), "up.log");
            assertThat(up.waitFor(3, TimeUnit.MINUTES)).isTrue();
            assertThat(up.exitValue()).as(log("up.log")).isZero();
            long upMs = System.currentTimeMillis() - t0;
            assertThat(log("up.log")).contains("cluster up: web UI and REST API http://127.0.0.1:" + port);
            assertThat(StandaloneCluster.running(dir)).as("the cluster outlives the command that started it").hasSize(2);

            Process second = child(ClusterCommand.class, List.of("up", "--port", Integer.toString(port), "--dir", dir.toString()), "up2.log");
            assertThat(second.waitFor(1, TimeUnit.MINUTES)).isTrue();
            assertThat(second.exitValue()).isEqualTo(1);
            assertThat(log("up2.log")).contains("a cluster already runs from");

            long t1 = System.currentTimeMillis();
            Process submit = child(SubmitCommand.class, List.of("--cluster", "http://127.0.0.1:" + port, "--jar", System.getProperty("recolens.job.jar"),
                    "--wait", "--demo", "true", "--mode", "batch", "--input", "files", "--input.path", input.toString(),
                    "--catalog.warehouse", work.resolve("warehouse").toString()), "submit.log");
            assertThat(submit.waitFor(3, TimeUnit.MINUTES)).isTrue();
            long submitMs = System.currentTimeMillis() - t1;
            assertThat(submit.exitValue()).as(log("submit.log") + StandaloneCluster.tail(dir.resolve("log/jobmanager.log"))).isZero();
            assertThat(log("submit.log")).contains("recolens: uploading recolens-jobs-").containsPattern("job [0-9a-f]{32} FINISHED");
            assertThat(new ClusterRest(URI.create("http://127.0.0.1:" + port)).get("/jobs").path("jobs").get(0).path("status").asText())
                    .isEqualTo("FINISHED");
            assertThat(Files.list(work.resolve("warehouse")).toList()).isNotEmpty();

            long t2 = System.currentTimeMillis();
            Process down = child(ClusterCommand.class, List.of("down", "--dir", dir.toString()), "down.log");
            assertThat(down.waitFor(2, TimeUnit.MINUTES)).isTrue();
            System.out.printf("cluster command: up in %d ms, submit --wait of a batch job in %d ms, down in %d ms%n",
                    upMs, submitMs, System.currentTimeMillis() - t2);
            assertThat(log("down.log")).contains("stopped 2 cluster process(es)");
            assertThat(StandaloneCluster.running(dir)).isEmpty();
        } finally {
            StandaloneCluster.stop(dir);
        }
    }

    private Process child(Class<?> main, List<String> args, String logName) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens") || a.startsWith("--add-exports")) cmd.add(a);
        }
        cmd.add("-Xmx512m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(work.resolve(logName).toFile()).start();
    }

    private String log(String name) {
        try {
            return Files.readString(work.resolve(name));
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
