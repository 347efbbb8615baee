package io.recolens.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.connectors.iceberg.TableReader;
import io.recolens.jobs.RecolensJob;
import io.recolens.jobs.config.ConfigReader;
import io.recolens.jobs.config.JobSettings;
import io.recolens.jobs.pipeline.IcebergOutputs;
import io.recolens.jobs.restore.RestorePoints;
import io.recolens.jobs.restore.StartGuard;
import io.recolens.simulator.GroundTruth;
import io.recolens.simulator.KafkaTrafficSink;
import io.recolens.simulator.Pacer;
import io.recolens.simulator.RecordingTrafficSink;
import io.recolens.simulator.SimulatorConfig;
import io.recolens.simulator.TeeTrafficSink;
import io.recolens.simulator.Topic;
import io.recolens.simulator.TrafficSimulator;
import io.recolens.testkit.EmbeddedKafka;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/recolens run} killed with kill -9 mid-stream, {@code bin/recolens maintain --purge} run on its tables, and the
 * job started again with the same configuration:
 * the second run says it restores from the newest checkpoint, and after {@code bin/recolens stop --drain}
 * lineage_history holds exactly one row per impression the simulator produced. Each runner is a child JVM,
 * as on the command line. Then a start without state over that output is refused.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KillRestoreITCase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    private static EmbeddedKafka kafka;
    private static Path warehouse;
    private static Path checkpoints;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
        kafka.createTopics(2, "reco.impressions", "reco.clicks", "otlp_spans");
        warehouse = work.resolve("warehouse");
        checkpoints = work.resolve("checkpoints");
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) kafka.close();
    }

    private static Map<String, String> jobConfig() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("mode", "streaming");
        c.put("demo", "true");
        c.put("kafka.bootstrap-servers", kafka.bootstrapServers());
        c.put("kafka.group-id", "restart-it");
        c.put("checkpoint.interval", "1 s");
        c.put("trace.gap", "1 s");
        c.put("attribution.window", "3 s");
        c.put("attribution.orphan-timeout", "4 s");
        c.put("aggregate.window", "2 s");
        c.put("watermark.out-of-orderness", "2 s");
        c.put("watermark.idleness", "2 s");
        c.put("catalog.warehouse", warehouse.toString());
        return c;
    }

    @Test
    @Order(1)
    void aRunKilledMidStreamResumesFromItsNewestCheckpointAndLosesNothing() throws Exception {
        int port1 = freePort();
        Process first = runner(port1, "first.log");
        // Traffic starts once the first job runs (its first checkpoint is done), so the kill lands mid-stream
        // however slowly the child JVM starts on a busy machine.
        await("the first run's first checkpoint", 120, () -> RestorePoints.newest(checkpoints.toUri().toString()).isPresent());
        long t0 = System.currentTimeMillis();
        SimulatorConfig simulation = SimulatorConfig.builder().clean().seed(7).requests(1500).users(300)
                .startEpochMs(System.currentTimeMillis()).requestsPerSecond(50)
                .attributionWindowMs(3_000).meanClickDelayMs(800).build();
        RecordingTrafficSink recording = new RecordingTrafficSink();
        CompletableFuture<GroundTruth> producer = CompletableFuture.supplyAsync(() -> {
            try (KafkaTrafficSink toKafka = new KafkaTrafficSink(kafka.bootstrapServers(), KafkaTrafficSink.Topics.defaults())) {
                // Paced on the wall clock (about 30 s of traffic), so the kill lands while records still arrive.
                return new TrafficSimulator().run(simulation, new TeeTrafficSink(List.of(toKafka, recording)),
                        Pacer.wallClock(simulation.startEpochMs(), 1.0));
            }
        });

        await("a completed checkpoint and committed lineage rows", 120, () ->
                RestorePoints.newest(checkpoints.toUri().toString()).isPresent() && lineageRows() > 0);
        first.destroyForcibly().waitFor();
        System.out.printf("kill/restore: killed the first run %d ms after traffic started%n", System.currentTimeMillis() - t0);
        long rowsAtKill = lineageRows();
        // Mid-stream means the job had not written everything: the rest was in state or still in Kafka. (On a busy
        // machine the paced producer may already be done; what matters is the job's progress, not the producer's.)
        assertThat(rowsAtKill).as("the kill must land mid-stream").isLessThan(simulation.requests());
        RestorePoints.RestorePoint newest = RestorePoints.newest(checkpoints.toUri().toString()).orElseThrow();

        // Maintenance between the kill and the restore, the hardest case for it: --purge compacts, then expires every
        // snapshot but the current one, so the restored job finds its last committed checkpoint only through the
        // marker maintenance carries onto its own commits (docs/governance.md). Loss or duplicates show below.
        List<String> maintainArgs = new ArrayList<>(List.of("--purge"));
        jobConfig().forEach((k, v) -> {
            maintainArgs.add("--" + k);
            maintainArgs.add(v);
        });
        Process maintain = child(MaintainCommand.class, maintainArgs, "maintain.log");
        assertThat(maintain.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(maintain.exitValue()).as(log("maintain.log")).isZero();
        assertThat(log("maintain.log")).contains("expire_snapshots", "lineage_history");
        RecolensCatalog afterPurge = RecolensCatalog.fromProperties(Map.of("warehouse", warehouse.toString()));
        Table purged = afterPurge.open().loadTable(afterPurge.tableId(IcebergOutputs.LINEAGE_HISTORY));
        assertThat(purged.snapshots()).as("--purge leaves only the current snapshot").hasSize(1);
        assertThat(purged.currentSnapshot().operation()).as("the manifest rewrite of --purge is the current snapshot").isEqualTo("replace");
        assertThat(purged.currentSnapshot().summary()).as("carrying the job's marker").containsKey("flink.max-committed-checkpoint-id");

        int port2 = freePort();
        Process second = runner(port2, "second.log");
        await("the second run to start its job", 90, () -> log("second.log").contains("recolens: job "));
        assertThat(log("second.log")).contains("recolens: restoring from " + newest.path() + " (checkpoint " + newest.checkpointId());

        GroundTruth truth = producer.get(3, TimeUnit.MINUTES);
        ConsumerLag lag = new ConsumerLag(kafka.bootstrapServers(), "restart-it");
        await("the job to catch up with Kafka", 120, () -> {
            try {
                return lag.total() == 0;
            } catch (Exception e) {
                return false;
            }
        });
        lag.close();
        Process stop = child(StopCommand.class, List.of("--drain", "--port", Integer.toString(port2), "--checkpoint-dir", checkpoints.toString()), "stop.log");
        assertThat(stop.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(stop.exitValue()).as(log("stop.log")).isZero();
        assertThat(log("stop.log")).contains("recolens: savepoint file:");
        assertThat(second.waitFor(2, TimeUnit.MINUTES)).as("the runner exits when its job ends").isTrue();
        assertThat(second.exitValue()).as(log("second.log")).isZero();

        Set<String> expected = new HashSet<>();
        for (RecordingTrafficSink.Recorded r : recording.records(Topic.IMPRESSIONS)) {
            expected.add(JSON.readTree(r.value()).get("impression_id").asText());
        }
        List<Record> lineage = read(IcebergOutputs.LINEAGE_HISTORY);
        System.out.printf("kill/restore: %d impressions produced (truth %d), %d lineage rows at the kill, %d after restore and drain%n",
                expected.size(), truth.totals().impressions(), rowsAtKill, lineage.size());
        assertThat(rowsAtKill).isLessThan(expected.size());
        assertThat(lineage).hasSize(expected.size());
        assertThat(lineage.stream().map(r -> (String) r.getField("impression_id")).collect(Collectors.toSet())).isEqualTo(expected);
        assertThat(log("second.log")).contains("Summary of this run", "lineage_history");
    }

    @Test
    @Order(2)
    void aStartWithoutStateOverThatOutputIsRefusedNamingRestoreAndFresh() {
        JobSettings settings = JobSettings.from(ConfigReader.fromMap(jobConfig()), Map.of());
        Configuration flink = new Configuration();
        flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        assertThatThrownBy(() -> RecolensJob.build(settings, env))
                .isInstanceOf(StartGuard.StateRequiredException.class)
                .hasMessageContaining("refusing to start without state")
                .hasMessageContaining("'restart-it'")
                .hasMessageContaining("--restore PATH (newest found: " + RestorePoints.newest(checkpoints.toUri().toString()).orElseThrow().path())
                .hasMessageContaining("--fresh");

        Map<String, String> fresh = new LinkedHashMap<>(jobConfig());
        fresh.put("restore.require-state", "false");
        RecolensJob.build(JobSettings.from(ConfigReader.fromMap(fresh), Map.of()), StreamExecutionEnvironment.getExecutionEnvironment(flink));
    }

    @Test
    @Order(3)
    void aBackfillOverTheSameTopicsShowsProgressAndEndsWithASummary() throws Exception {
        List<String> args = new ArrayList<>(List.of("--port", Integer.toString(freePort()), "--parallelism", "1",
                "--checkpoint-dir", work.resolve("backfill-checkpoints").toString()));
        Map<String, String> c = jobConfig();
        c.put("mode", "batch");
        c.put("kafka.group-id", "backfill-it");
        c.put("catalog.namespace", "backfill");
        c.forEach((k, v) -> {
            args.add("--" + k);
            args.add(v);
        });
        Process backfill = child(LocalRunner.class, args, "backfill.log");
        assertThat(backfill.waitFor(3, TimeUnit.MINUTES)).isTrue();
        String out = log("backfill.log");
        System.out.println(out.lines().filter(l -> l.startsWith("recolens") || l.startsWith("Summary") || l.startsWith("  ")).collect(Collectors.joining("\n")));
        assertThat(backfill.exitValue()).as(out).isZero();
        // 1,500 impressions + 1,502 span messages + the clicks: what the first test produced.
        long clicks = ConsumerLagTotals.records(kafka.bootstrapServers(), "reco.clicks");
        String total = String.format("%,d", 1500 + 1502 + clicks);
        assertThat(out).contains("Summary of this run", total + " records read")
                .containsPattern("lineage_history +1,500\\n")
                .contains("dead letters: 0");
    }

    private static long lineageRows() {
        RecolensCatalog catalog = RecolensCatalog.fromProperties(Map.of("warehouse", warehouse.toString()));
        Catalog c = catalog.open();
        if (!c.tableExists(catalog.tableId(IcebergOutputs.LINEAGE_HISTORY))) return 0;
        Table t = c.loadTable(catalog.tableId(IcebergOutputs.LINEAGE_HISTORY));
        return t.currentSnapshot() == null ? 0 : Long.parseLong(t.currentSnapshot().summary().getOrDefault("total-records", "0"));
    }

    private static List<Record> read(String table) {
        RecolensCatalog catalog = RecolensCatalog.fromProperties(Map.of("warehouse", warehouse.toString()));
        return TableReader.readAll(catalog.open(), catalog.tableId(table));
    }

    private static Process runner(int port, String logName) throws Exception {
        List<String> args = new ArrayList<>(List.of("--port", Integer.toString(port), "--parallelism", "1",
                "--checkpoint-dir", checkpoints.toString()));
        jobConfig().forEach((k, v) -> {
            args.add("--" + k);
            args.add(v);
        });
        return child(LocalRunner.class, args, logName);
    }

    /** A child JVM on this test's class path, as bin/recolens launches it. */
    private static Process child(Class<?> main, List<String> args, String logName) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens") || a.startsWith("--add-exports")) cmd.add(a);
        }
        cmd.add("-Xmx1g");
        cmd.add("-Dlog4j.configurationFile=" + Path.of("src/main/resources/log4j2-demo.properties").toAbsolutePath());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(args);
        Path log = work.resolve(logName);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static String log(String name) {
        try {
            Path p = work.resolve(name);
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static void await(String what, int seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "\nfirst.log:\n" + tail(log("first.log"))
                        + "\nsecond.log:\n" + tail(log("second.log")));
            }
            Thread.sleep(250);
        }
    }

    private static String tail(String s) {
        return s.length() < 4000 ? s : s.substring(s.length() - 4000);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    /** End offsets of a topic: how many records it holds (nothing is deleted here). */
    private static final class ConsumerLagTotals {
        static long records(String bootstrap, String topic) throws Exception {
            try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(kafka.clientProperties())) {
                Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> q = new java.util.HashMap<>();
                admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                        .forEach(p -> q.put(new org.apache.kafka.common.TopicPartition(topic, p.partition()), org.apache.kafka.clients.admin.OffsetSpec.latest()));
                return admin.listOffsets(q).all().get().values().stream().mapToLong(o -> o.offset()).sum();
            }
        }
    }
}
