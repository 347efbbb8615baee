package io.recolens.jobs.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.recolens.clustertestkit.ClusterRest;
import io.recolens.clustertestkit.StandaloneCluster;
import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.connectors.iceberg.TableReader;
import io.recolens.jobs.RecolensJob;
import io.recolens.jobs.pipeline.IcebergOutputs;
import io.recolens.simulator.FileTrafficSink;
import io.recolens.simulator.GroundTruth;
import io.recolens.simulator.RecordingTrafficSink;
import io.recolens.simulator.SimulatorConfig;
import io.recolens.simulator.Topic;
import io.recolens.simulator.TrafficSimulator;
import io.recolens.testkit.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded job jar on a real standalone Flink cluster: a JobManager and a TaskManager as separate JVMs on loopback,
 * the jar uploaded and run through the REST API. The batch pipeline runs on files; the streaming pipeline reads the
 * in-process broker, is stopped with a savepoint and resumed from it, then loses its TaskManager (SIGKILL) mid-stream
 * and recovers on a new one. Every table must then match counts computed from the generated records alone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterITCase {
    private static final long ATTRIBUTION_WINDOW_MS = 60_000L;
    private static final String SECRET = "cluster-test-secret-0123456789abcdef";
    private static final String GROUP = "cluster-it";
    private static final List<String> TOPICS = List.of("reco.impressions", "reco.clicks", "otlp_spans");

    @TempDir
    static Path work;

    private static EmbeddedKafka kafka;
    private static StandaloneCluster cluster;
    private static ClusterRest rest;
    private static String jarId;
    private static ReferenceCounts expected;
    private static final List<RecordingTrafficSink.Recorded> traffic = new ArrayList<>();
    private static long malformed;

    @BeforeAll
    static void startEverything() throws Exception {
        kafka = EmbeddedKafka.start();
        kafka.createTopics(2, TOPICS.toArray(String[]::new));
        RecordingTrafficSink recording = new RecordingTrafficSink();
        // 900 requests at 4 per second: almost 4 minutes of event time, so traces close and attribution and aggregate
        // windows fire mid-stream and the TaskManager dies with state open.
        SimulatorConfig config = SimulatorConfig.builder().seed(20261130).requests(900).users(200).requestsPerSecond(4.0)
                .startEpochMs(System.currentTimeMillis() - 3 * 3_600_000L).attributionWindowMs(ATTRIBUTION_WINDOW_MS)
                .meanClickDelayMs(5_000).lateShare(0).build();
        GroundTruth truth;
        try (FileTrafficSink files = new FileTrafficSink(work.resolve("input"), config.spanEncoding())) {
            truth = new TrafficSimulator().run(config, new Both(recording, files));
        }
        List<byte[]> impressions = new ArrayList<>();
        List<byte[]> clicks = new ArrayList<>();
        List<byte[]> spans = new ArrayList<>();
        for (RecordingTrafficSink.Recorded r : recording.all()) {
            traffic.add(r);
            if (truth.isMalformed(r.topic(), r.index())) {
                malformed++;
                continue;
            }
            (r.topic() == Topic.IMPRESSIONS ? impressions : r.topic() == Topic.CLICKS ? clicks : spans).add(r.value());
        }
        expected = ReferenceCounts.compute(impressions, clicks, spans, ATTRIBUTION_WINDOW_MS);
        assertThat(malformed).isPositive();

        long t0 = System.currentTimeMillis();
        Map<String, String> flink = new LinkedHashMap<>();
        flink.put("restart-strategy.type", "fixed-delay");
        flink.put("restart-strategy.fixed-delay.attempts", "20");
        flink.put("restart-strategy.fixed-delay.delay", "1 s");
        cluster = StandaloneCluster.start(StandaloneCluster.Settings.in(work.resolve("cluster")).withSlots(2)
                .withFlinkConfig(flink).withEnvironment(Map.of("RECOLENS_UNIT_KEY_SECRET", SECRET)));
        rest = new ClusterRest(cluster.restUrl());
        long t1 = System.currentTimeMillis();
        Path jar = jobJar();
        jarId = rest.uploadJar(jar);
        System.out.printf("cluster: JobManager pid %d and TaskManager pid %d up in %d ms; uploaded %s (%d MB) in %d ms%n",
                cluster.jobManager().pid(), cluster.taskManagers().get(0).pid(), t1 - t0, jar.getFileName(),
                Files.size(jar) >> 20, System.currentTimeMillis() - t1);
    }

    @AfterAll
    static void stopEverything() {
        if (cluster != null) cluster.close();
        if (kafka != null) kafka.close();
    }

    @Test
    @Order(1)
    void batchOnFiles() throws Exception {
        long t0 = System.currentTimeMillis();
        Map<String, String> args = options("cluster_batch");
        args.put("mode", "batch");
        args.put("input", "files");
        args.put("input.path", work.resolve("input").toString());
        String job = rest.runJar(jarId, RecolensJob.class.getName(), argList(args), 2, null);
        await("the batch job to finish", Duration.ofMinutes(3), () -> terminal(job));
        assertThat(rest.jobStatus(job)).as("%s", failure(job)).isEqualTo("FINISHED");
        System.out.printf("cluster: batch job %s on files finished in %d ms%n", job, System.currentTimeMillis() - t0);
        verify("cluster_batch", "batch on files");
    }

    @Test
    @Order(2)
    void streamingStoppedWithASavepointResumedAndRecoveredFromALostTaskManager() throws Exception {
        int third = traffic.size() / 3;
        String ns = "cluster_stream";
        Map<String, String> options = options(ns);
        options.put("kafka.stopping-offsets", "none");
        List<String> args = argList(options);

        // 1. Run on the first third, then stop with a savepoint (not drained: state stays open in the savepoint).
        produce(traffic.subList(0, third));
        long t0 = System.currentTimeMillis();
        String first = rest.runJar(jarId, RecolensJob.class.getName(), args, 2, null);
        await("the first third committed by a checkpoint", Duration.ofMinutes(2), () -> running(first) && committedRecords() == third);
        String savepoint = rest.stopWithSavepoint(first, work.resolve("savepoints").toUri().toString(), false, Duration.ofMinutes(2));
        // The savepoint completes first; the job reaches its terminal state a moment later.
        await("the first job to end after its savepoint", Duration.ofMinutes(1), () -> terminal(first));
        assertThat(rest.jobStatus(first)).isEqualTo("FINISHED");
        long rowsAtSavepoint = rows(ns, IcebergOutputs.LINEAGE_HISTORY);
        System.out.printf("cluster: job %s stopped with savepoint %s after %d ms, %d lineage rows committed%n",
                first, savepoint, System.currentTimeMillis() - t0, rowsAtSavepoint);
        assertThat(rowsAtSavepoint).as("open state went into the savepoint").isLessThan(expected.impressionIds.size());

        // 2. Resume from the savepoint on the second third.
        produce(traffic.subList(third, 2 * third));
        String second = rest.runJar(jarId, RecolensJob.class.getName(), args, 2, savepoint);
        await("the second third committed after the resume", Duration.ofMinutes(2), () -> running(second) && committedRecords() == 2L * third);
        assertThat(rest.get("/jobs/" + second + "/checkpoints").path("latest").path("restored").path("external_path").asText())
                .as("the resumed job restored the savepoint").isEqualTo(savepoint);

        // 3. The last third arrives while the TaskManager dies: SIGKILL, then a new TaskManager takes over.
        produce(traffic.subList(2 * third, traffic.size()));
        Process lost = cluster.taskManagers().get(0);
        long killedAt = System.currentTimeMillis();
        cluster.killTaskManager(lost);
        long rowsAtKill = rows(ns, IcebergOutputs.LINEAGE_HISTORY);
        long committedAtKill = committedRecords();
        Process replacement = cluster.startTaskManager();
        await("the job to recover on the new TaskManager and commit every record", Duration.ofMinutes(2),
                () -> running(second) && committedRecords() == traffic.size());
        Map<String, String> jobMetrics = rest.jobMetrics(second);
        System.out.printf("cluster: TaskManager pid %d killed (exit %d) with %d of %d records committed and %d lineage rows; "
                        + "replaced by pid %d, all records committed %d ms after the kill, job metrics %s%n",
                lost.pid(), lost.exitValue(), committedAtKill, traffic.size(), rowsAtKill, replacement.pid(),
                System.currentTimeMillis() - killedAt, jobMetrics);
        assertThat(lost.exitValue()).as("killed, not exited").isNotZero();
        assertThat(rowsAtKill).as("the kill landed mid-stream").isLessThan(expected.impressionIds.size());
        assertThat(Long.parseLong(jobMetrics.get("numRestarts"))).as("the job restarted after losing its TaskManager").isPositive();

        checkMetrics(second);

        // 4. A final stop with drain flushes every window and join.
        rest.stopWithSavepoint(second, work.resolve("savepoints").toUri().toString(), true, Duration.ofMinutes(2));
        await("the drained job to end", Duration.ofMinutes(1), () -> terminal(second));
        assertThat(rest.jobStatus(second)).isEqualTo("FINISHED");
        System.out.printf("cluster: streaming part done in %d ms%n", System.currentTimeMillis() - t0);
        verify(ns, "streaming, savepoint resume and TaskManager kill");
    }

    /** The metrics docs/metrics.md lists, read through the REST API as a dashboard or Prometheus would. */
    private static void checkMetrics(String job) throws Exception {
        Map<String, Double> m = new TreeMap<>();
        // Metrics reach the REST API's store every metrics.fetcher.update-interval (2 s here): wait for the operators'.
        await("the job's operator metrics", Duration.ofSeconds(30), () -> {
            m.clear();
            m.putAll(rest.taskMetrics(job, id -> !id.contains(".Shuffle.") && !id.startsWith("buffers.")
                    && !id.contains("Netty") && !id.contains(".Status.") && !id.contains("mailbox")));
            return m.keySet().stream().anyMatch(k -> k.endsWith(".openTraces")) && m.keySet().stream().anyMatch(k -> k.contains("IcebergFilesCommitter"));
        });
        Map<String, Double> shown = new TreeMap<>();
        m.forEach((k, v) -> {
            if (k.matches(".*(decoder\\..*|kind\\..*|openTraces|tracesOpened|tracesClosed|waitingImpressions|impressionsHeld|impressionsReleased"
                    + "|lateRecords|lateRecordsDropped|pendingRecords|elapsedSecondsSinceLastSuccessfulCommit|committedDataFilesRecordCount)$")) {
                shown.put(k, v);
            }
        });
        shown.forEach((k, v) -> System.out.printf("cluster metric: %s = %.0f%n", k, v));
        for (String suffix : List.of(".decoder.impressions.records", ".decoder.clicks.records", ".decoder.spans.records",
                ".decoder.impressions.deadLetters", ".decoder.clicks.deadLetters", ".decoder.spans.deadLetters",
                ".openTraces", ".tracesOpened", ".tracesClosed", ".waitingImpressions", ".impressionsHeld", ".impressionsReleased",
                ".lateRecords", ".lateRecordsDropped", ".pendingRecords", ".numRecordsIn", ".numRecordsOut")) {
            assertThat(m.keySet()).as("a metric ending in %s", suffix).anyMatch(k -> k.endsWith(suffix));
        }
        for (String table : List.of(IcebergOutputs.LINEAGE_HISTORY, IcebergOutputs.VARIANT_ENGAGEMENT, IcebergOutputs.DEAD_LETTERS)) {
            assertThat(m.keySet()).as("the Iceberg committer's commit metrics of %s", table)
                    .anyMatch(k -> k.contains("IcebergFilesCommitter.table.") && k.contains(table) && k.endsWith(".elapsedSecondsSinceLastSuccessfulCommit"))
                    .anyMatch(k -> k.contains("IcebergFilesCommitter.table.") && k.contains(table) && k.endsWith(".committedDataFilesRecordCount"));
        }
        double read = sum(m, ".records");
        double closed = sum(m, ".tracesClosed");
        assertThat(read).as("records the recovered attempt read").isPositive();
        assertThat(closed).as("traces the recovered attempt closed").isPositive();
        assertThat(sum(m, ".pendingRecords")).as("consumer lag once every record is committed").isZero();
        // The last minute of event time is still open (no drain yet); the counts came back from the checkpoint the
        // recovered attempt restored, so they are not below zero even though the attempt closed traces it never opened.
        assertThat(sum(m, ".openTraces")).as("open traces in state").isPositive();
        assertThat(sum(m, ".waitingImpressions")).as("impressions waiting in state").isPositive();
        assertThat(m.keySet()).as("anomalies by kind").anyMatch(k -> k.matches(".*\\.kind\\.[a-z_]+\\.anomalies"));
    }

    private static double sum(Map<String, Double> metrics, String suffix) {
        return metrics.entrySet().stream().filter(e -> e.getKey().endsWith(suffix)).mapToDouble(Map.Entry::getValue).sum();
    }

    // ---- the job ----

    private static Map<String, String> options(String namespace) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("mode", "streaming");
        c.put("kafka.bootstrap-servers", kafka.bootstrapServers());
        c.put("kafka.group-id", GROUP);
        c.put("kafka.starting-offsets", "earliest");
        c.put("trace.gap", "10 s");
        c.put("attribution.window", "1 min");
        c.put("attribution.orphan-timeout", "2 min");
        c.put("watermark.out-of-orderness", "5 s");
        c.put("watermark.idleness", "2 s");
        c.put("unit-daily.flush-interval", "5 min");
        c.put("checkpoint.interval", "1 s");
        c.put("catalog.warehouse", work.resolve("warehouse").toString());
        c.put("catalog.namespace", namespace);
        return c;
    }

    private static List<String> argList(Map<String, String> options) {
        List<String> args = new ArrayList<>();
        options.forEach((k, v) -> {
            args.add("--" + k);
            args.add(v);
        });
        return args;
    }

    private static Path jobJar() throws Exception {
        String configured = System.getProperty("recolens.job.jar");
        if (configured != null) return Path.of(configured);
        try (Stream<Path> s = Files.list(Path.of("target"))) {
            return s.filter(p -> p.getFileName().toString().matches("recolens-jobs-.*-job\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no shaded job jar under target/: this test runs after package (Failsafe)"));
        }
    }

    private static boolean running(String job) throws Exception {
        String s = rest.jobStatus(job);
        if (s.equals("FAILED") || s.equals("CANCELED") || s.equals("FINISHED")) throw new AssertionError("job " + job + " is " + s + "\n" + failure(job));
        return s.equals("RUNNING");
    }

    private static boolean terminal(String job) throws Exception {
        String s = rest.jobStatus(job);
        return s.equals("FAILED") || s.equals("CANCELED") || s.equals("FINISHED");
    }

    /** The job's root exception, as the web UI shows it, and the cluster's logs. */
    private static String failure(String job) {
        String root;
        try {
            root = rest.get("/jobs/" + job + "/exceptions").path("exceptionHistory").path("entries").path(0).path("stacktrace").asText();
        } catch (Exception e) {
            root = e.toString();
        }
        return "root exception: " + root.lines().limit(30).collect(Collectors.joining("\n")) + "\n" + logs();
    }

    private static String logs() {
        Path log = cluster.dir().resolve("log");
        StringBuilder out = new StringBuilder("jobmanager.log:\n").append(StandaloneCluster.tail(log.resolve("jobmanager.log")));
        try (Stream<Path> s = Files.list(log)) {
            s.filter(p -> p.getFileName().toString().startsWith("taskmanager-") && p.toString().endsWith(".log")).sorted()
                    .forEach(p -> out.append(p.getFileName()).append(":\n").append(StandaloneCluster.tail(p)));
        } catch (Exception e) {
            out.append(e);
        }
        return out.toString();
    }

    // ---- checks against the independent reference ----

    private static void verify(String ns, String label) {
        Map<String, long[]> engagement = sumBy(read(ns, IcebergOutputs.VARIANT_ENGAGEMENT), "impressions", "item_impressions", "clicks");
        Map<String, long[]> unitDaily = sumBy(read(ns, IcebergOutputs.EXPERIMENT_UNIT_DAILY), "impressions", "item_impressions", "clicks");
        Map<String, long[]> sideEffects = sumBy(read(ns, IcebergOutputs.VARIANT_SIDE_EFFECTS), "span_count");
        List<String> lineage = read(ns, IcebergOutputs.LINEAGE_HISTORY).stream().map(r -> (String) r.getField("impression_id")).toList();
        List<Record> exposures = read(ns, IcebergOutputs.EXPERIMENT_EXPOSURES);
        int deadLetters = read(ns, IcebergOutputs.DEAD_LETTERS).size();
        System.out.printf("cluster [%s]: lineage %d rows / %d distinct (expected %d), dead letters %d (expected %d), engagement keys %s%n",
                label, lineage.size(), lineage.stream().distinct().count(), expected.impressionIds.size(), deadLetters, malformed,
                engagement.keySet());

        assertThat(engagement.keySet()).as("%s: variant_engagement keys", label).isEqualTo(expected.engagement.keySet());
        expected.engagement.forEach((key, counts) -> {
            assertThat(engagement.get(key)).as("%s: SUM over variant_engagement %s (impressions, item_impressions, clicks)", label, key)
                    .containsExactly(counts);
            assertThat(unitDaily.get(key)).as("%s: SUM over experiment_unit_daily %s", label, key).containsExactly(counts);
        });
        assertThat(sideEffects.keySet()).as("%s: variant_side_effects keys", label).isEqualTo(expected.spans.keySet());
        expected.spans.forEach((key, n) -> assertThat(sideEffects.get(key)[0]).as("%s: SUM(span_count) %s", label, key).isEqualTo(n));
        assertThat(lineage).as("%s: lineage_history has every impression exactly once", label)
                .hasSize(expected.impressionIds.size()).containsExactlyInAnyOrderElementsOf(expected.impressionIds);
        Map<String, Long> perVariant = exposures.stream()
                .collect(Collectors.groupingBy(r -> r.getField("experiment") + "=" + r.getField("variant"), TreeMap::new, Collectors.counting()));
        Map<String, Long> expectedPerVariant = new TreeMap<>();
        expected.units.forEach((key, users) -> expectedPerVariant.put(key, (long) users.size()));
        assertThat(perVariant).as("%s: experiment_exposures per variant (one row per unit)", label).isEqualTo(expectedPerVariant);
        assertThat(deadLetters).as("%s: dead_letters has every malformed record once", label).isEqualTo(malformed);
    }

    private static Map<String, long[]> sumBy(List<Record> rows, String... measures) {
        Map<String, long[]> out = new TreeMap<>();
        for (Record r : rows) {
            long[] acc = out.computeIfAbsent(r.getField("experiment") + "=" + r.getField("variant"), k -> new long[measures.length]);
            for (int i = 0; i < measures.length; i++) acc[i] += ((Number) r.getField(measures[i])).longValue();
        }
        return out;
    }

    private static List<Record> read(String ns, String table) {
        RecolensCatalog catalog = RecolensCatalog.fromProperties(Map.of("warehouse", work.resolve("warehouse").toString(), "namespace", ns));
        return TableReader.readAll(catalog.open(), TableIdentifier.of(catalog.namespace(), table));
    }

    private static long rows(String ns, String table) {
        RecolensCatalog catalog = RecolensCatalog.fromProperties(Map.of("warehouse", work.resolve("warehouse").toString(), "namespace", ns));
        var c = catalog.open();
        TableIdentifier id = TableIdentifier.of(catalog.namespace(), table);
        if (!c.tableExists(id)) return 0;
        var snapshot = c.loadTable(id).currentSnapshot();
        return snapshot == null ? 0 : Long.parseLong(snapshot.summary().getOrDefault("total-records", "0"));
    }

    // ---- Kafka ----

    private static void produce(List<RecordingTrafficSink.Recorded> records) {
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(kafka.clientProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (RecordingTrafficSink.Recorded r : records) {
                String topic = TOPICS.get(r.topic() == Topic.IMPRESSIONS ? 0 : r.topic() == Topic.CLICKS ? 1 : 2);
                producer.send(new ProducerRecord<>(topic, null, r.timestampMs(), r.key(), r.value()));
            }
            producer.flush();
        }
    }

    /** Records below the group's committed offsets: the Kafka source commits them when a checkpoint completes. */
    private static long committedRecords() throws Exception {
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
            return committed.entrySet().stream().filter(e -> TOPICS.contains(e.getKey().topic()) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
        }
    }

    // ---- waiting ----

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void await(String what, Duration timeout, Condition condition) throws Exception {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (!condition.holds()) {
            if (System.currentTimeMillis() > deadline) throw new AssertionError("timed out waiting for " + what + "\n" + logs());
            Thread.sleep(500);
        }
    }

    /** Sends every record to the recording and to the input files. */
    private record Both(RecordingTrafficSink recording, FileTrafficSink files) implements io.recolens.simulator.TrafficSink {
        @Override
        public void impression(byte[] key, byte[] value, long timestampMs) {
            recording.impression(key, value, timestampMs);
            files.impression(key, value, timestampMs);
        }

        @Override
        public void click(byte[] key, byte[] value, long timestampMs) {
            recording.click(key, value, timestampMs);
            files.click(key, value, timestampMs);
        }

        @Override
        public void spans(byte[] key, byte[] value, long timestampMs) {
            recording.spans(key, value, timestampMs);
            files.spans(key, value, timestampMs);
        }

        @Override
        public void close() {
            recording.close();
        }
    }
}
