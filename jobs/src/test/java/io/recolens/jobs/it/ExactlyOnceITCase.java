package io.recolens.jobs.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.connectors.iceberg.TableReader;
import io.recolens.jobs.RecolensJob;
import io.recolens.jobs.config.ConfigReader;
import io.recolens.jobs.config.JobSettings;
import io.recolens.jobs.it.faults.Fault;
import io.recolens.jobs.it.faults.FaultLog;
import io.recolens.jobs.it.faults.FaultyInputs;
import io.recolens.jobs.it.faults.RestorableJobMain;
import io.recolens.jobs.pipeline.DecodedInput;
import io.recolens.jobs.pipeline.IcebergOutputs;
import io.recolens.jobs.pipeline.RecolensPipeline;
import io.recolens.jobs.pipeline.SourceInputs;
import io.recolens.simulator.GroundTruth;
import io.recolens.simulator.RecordingTrafficSink;
import io.recolens.simulator.SimulatorConfig;
import io.recolens.simulator.Topic;
import io.recolens.simulator.TrafficSimulator;
import io.recolens.testkit.EmbeddedKafka;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once, proven by failure injection: the streaming job reads simulator traffic from the in-process
 * broker and is made to fail mid trace assembly, while clicks wait, between a checkpoint's completion and the
 * Iceberg commit, during the drain, and by a kill -9 of its whole JVM followed by a restore from the retained
 * checkpoint. After a final drain every table must match counts computed from the generated records alone.
 */
class ExactlyOnceITCase {
    private static final long ATTRIBUTION_WINDOW_MS = 60_000L;
    private static final String SECRET = "exactly-once-test-secret-0123456789";
    private static final List<String> TOPICS = List.of("reco.impressions", "reco.clicks", "otlp_spans");
    private static final List<String> KILL_TOPICS = List.of("kill.impressions", "kill.clicks", "kill.spans");

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    static Path warehouse;

    @TempDir
    static Path scratch;

    private static EmbeddedKafka kafka;
    private static ReferenceCounts expected;
    /** Decoded records per archive table: the input records (duplicates included), spans counted inside their messages. */
    private static final Map<String, Long> archivable = new TreeMap<>();
    private static final List<RecordingTrafficSink.Recorded> traffic = new ArrayList<>();
    private static long malformed;
    private static long clickRecords;
    private static long spanRecords;

    @BeforeAll
    static void produceTraffic() throws Exception {
        kafka = EmbeddedKafka.start();
        kafka.createTopics(2, TOPICS.toArray(String[]::new));
        kafka.createTopics(2, KILL_TOPICS.toArray(String[]::new));
        RecordingTrafficSink recording = new RecordingTrafficSink();
        // 1200 requests at 4 per second: 5 minutes of event time, so traces close, attribution windows and
        // aggregate windows fire mid-stream and every failure point meets open state.
        SimulatorConfig config = SimulatorConfig.builder().seed(20260101).requests(1200).users(250).requestsPerSecond(4.0)
                .startEpochMs(System.currentTimeMillis() - 3 * 3_600_000L).attributionWindowMs(ATTRIBUTION_WINDOW_MS)
                .meanClickDelayMs(5_000).lateShare(0).build();
        GroundTruth truth = new TrafficSimulator().run(config, recording);
        List<byte[]> impressions = new ArrayList<>();
        List<byte[]> clicks = new ArrayList<>();
        List<byte[]> spans = new ArrayList<>();
        for (RecordingTrafficSink.Recorded r : recording.all()) {
            traffic.add(r);
            if (r.topic() == Topic.CLICKS) clickRecords++;
            if (r.topic() == Topic.SPANS) spanRecords++;
            if (truth.isMalformed(r.topic(), r.index())) {
                malformed++;
                continue;
            }
            (r.topic() == Topic.IMPRESSIONS ? impressions : r.topic() == Topic.CLICKS ? clicks : spans).add(r.value());
        }
        produce(TOPICS, traffic);
        expected = ReferenceCounts.compute(impressions, clicks, spans, ATTRIBUTION_WINDOW_MS);
        archivable.put(IcebergOutputs.RAW_IMPRESSIONS, (long) impressions.size());
        archivable.put(IcebergOutputs.RAW_CLICKS, (long) clicks.size());
        long spanCount = 0;
        for (byte[] message : spans) {
            for (var resource : io.opentelemetry.proto.trace.v1.TracesData.parseFrom(message).getResourceSpansList()) {
                for (var scope : resource.getScopeSpansList()) spanCount += scope.getSpansCount();
            }
        }
        archivable.put(IcebergOutputs.RAW_SPANS, spanCount);
        assertThat(expected.impressionIds).hasSizeGreaterThan(1000);
        assertThat(expected.engagement.values()).allSatisfy(c -> assertThat(c[ReferenceCounts.CLICKS]).isPositive());
        assertThat(malformed).isPositive();
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) kafka.close();
    }

    @Test
    void midTraceAssembly() throws Exception {
        // A third of the span records in, half a minute of event time on, a checkpoint taken: traces are open in
        // the assembler's state. Spans are slowed down so that they still flow when the first checkpoint completes.
        Fault fault = Fault.afterRecords("mid-trace-assembly", spanRecords / 3, 30_000, 10);
        runInProcess("mid_trace", Map.of(DecodedInput.Stream.SPANS, fault));
        verify("mid_trace", "mid trace assembly", fault.log());
    }

    @Test
    void whileClicksWait() throws Exception {
        // Half the clicks in and event time 90 s past the first click: some attribution windows have closed
        // (their rows were emitted), others still hold clicks waiting for the window's end. Clicks are slowed down
        // so that they still flow, behind the impressions, when checkpoints complete.
        Fault fault = Fault.afterRecords("clicks-wait", clickRecords / 2, 90_000, 40);
        runInProcess("clicks_wait", Map.of(DecodedInput.Stream.CLICKS, fault));
        verify("clicks_wait", "while clicks wait", fault.log());
    }

    @Test
    void betweenCheckpointCompletionAndIcebergCommit() throws Exception {
        // The injector is notified of the checkpoint's completion like the Iceberg committers are; its failure
        // restarts the job from that checkpoint, whose committables must then be committed exactly once.
        Fault fault = Fault.onCheckpointComplete("checkpoint-to-commit", traffic.size() / 6);
        runInProcess("commit_gap", Map.of(DecodedInput.Stream.IMPRESSIONS, fault));
        verify("commit_gap", "between checkpoint completion and Iceberg commit", fault.log());
        long checkpoint = fault.log().firedCheckpoint();
        Map<String, Boolean> committed = new TreeMap<>();
        for (String table : List.of(IcebergOutputs.LINEAGE_HISTORY, IcebergOutputs.DEAD_LETTERS, IcebergOutputs.EXPERIMENT_EXPOSURES,
                IcebergOutputs.VARIANT_ENGAGEMENT, IcebergOutputs.VARIANT_SIDE_EFFECTS)) {
            committed.put(table, committedCheckpoints("commit_gap", table).contains(checkpoint));
        }
        System.out.printf("exactly-once [between checkpoint completion and Iceberg commit]: checkpoint %d committed per table %s%n",
                checkpoint, committed);
    }

    @Test
    void duringTheDrain() throws Exception {
        // On the impression path: the only input that stays active once it delivered records, so the final
        // watermark of the first drain passes it (an idle output drops watermarks). The restarted job is then
        // restored with all input consumed and must still flush everything on the second drain.
        Fault fault = Fault.onFinalWatermark("drain");
        runInProcess("drain", Map.of(DecodedInput.Stream.IMPRESSIONS, fault));
        verify("drain", "during the drain", fault.log());
    }

    @Test
    void processKillAndRestoreFromTheRetainedCheckpoint() throws Exception {
        Path checkpoints = Files.createDirectories(scratch.resolve("kill-checkpoints"));
        int half = traffic.size() / 2;
        produce(KILL_TOPICS, traffic.subList(0, half));
        String group = "eo-kill";
        Map<String, String> options = options("kill", group);
        options.put("topics.impressions", KILL_TOPICS.get(0));
        options.put("topics.clicks", KILL_TOPICS.get(1));
        options.put("topics.spans", KILL_TOPICS.get(2));

        long started = System.currentTimeMillis();
        Child first = Child.start(options, checkpoints, scratch.resolve("first"), null);
        long restoredFrom;
        Path metadata;
        try {
            waitFor("first child checkpoints with committed offsets", Duration.ofSeconds(120), () -> first.assertAlive()
                    && newestCheckpoint(checkpoints).map(c -> checkpointId(c) >= 2).orElse(false) && committedRecords(group, KILL_TOPICS) > 0);
            System.out.printf("exactly-once [process kill]: first child checkpointing after %d ms%n", System.currentTimeMillis() - started);
            // The rest of the traffic arrives while the job runs; kill it once a checkpoint covers some of it.
            produce(KILL_TOPICS, traffic.subList(half, traffic.size()));
            long before = checkpointId(newestCheckpoint(checkpoints).orElseThrow());
            waitFor("a checkpoint after the second half arrived", Duration.ofSeconds(60),
                    () -> first.assertAlive() && checkpointId(newestCheckpoint(checkpoints).orElseThrow()) >= before + 1);
            first.process.destroyForcibly();
            assertThat(first.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            first.process.destroyForcibly();
        }
        metadata = newestCheckpoint(checkpoints).orElseThrow();
        restoredFrom = checkpointId(metadata);
        int lineageBeforeRestore = read("kill", IcebergOutputs.LINEAGE_HISTORY).size();
        System.out.printf("exactly-once [process kill]: killed (exit %d) with %d of %d records in committed offsets, %d lineage rows committed, restoring %s%n",
                first.process.exitValue(), committedRecords(group, KILL_TOPICS), traffic.size(), lineageBeforeRestore, metadata);
        assertThat(first.process.exitValue()).as("killed, not exited").isNotZero();
        assertThat(lineageBeforeRestore).as("rows committed before the kill, which the restore must not repeat")
                .isPositive().isLessThan(expected.impressionIds.size());

        long killed = System.currentTimeMillis();
        long continued;
        Child second = Child.start(options, checkpoints, scratch.resolve("second"), metadata.getParent().toString());
        try {
            waitFor("restored child consumes everything", Duration.ofSeconds(120),
                    () -> second.assertAlive() && committedRecords(group, KILL_TOPICS) == traffic.size());
            System.out.printf("exactly-once [process kill]: killed after %d ms, restored child consumed everything %d ms later%n",
                    killed - started, System.currentTimeMillis() - killed);
            // Read before the drain: a FINISHED job's checkpoints are not retained.
            continued = checkpointId(newestCheckpoint(checkpoints.resolve(Files.readString(second.jobIdFile).trim())).orElseThrow());
            Files.writeString(second.stopMarker, "stop");
            assertThat(second.process.waitFor(120, TimeUnit.SECONDS)).as("drained and exited").isTrue();
            assertThat(second.process.exitValue()).as("drain exit code, see %s", second.log).isZero();
            System.out.printf("exactly-once [process kill]: drained and exited %d ms after the restore started%n", System.currentTimeMillis() - killed);
        } finally {
            second.process.destroyForcibly();
        }
        String secondJob = Files.readString(second.jobIdFile).trim();
        System.out.printf("exactly-once [process kill]: restored job %s from chk-%d, its checkpoints continue at chk-%d%n",
                secondJob, restoredFrom, continued);
        assertThat(continued).as("the second job's checkpoint ids continue the restored one's").isGreaterThan(restoredFrom);
        verify("kill", "process kill + restore", null);
    }

    // ---- running the job ----

    private static Map<String, String> options(String name, String group) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("mode", "streaming");
        config.put("kafka.bootstrap-servers", kafka.bootstrapServers());
        config.put("kafka.group-id", group);
        config.put("kafka.starting-offsets", "earliest");
        config.put("kafka.stopping-offsets", "none");
        config.put("trace.gap", "10 s");
        config.put("attribution.window", "1 min");
        config.put("attribution.orphan-timeout", "2 min");
        config.put("watermark.out-of-orderness", "5 s");
        config.put("watermark.idleness", "2 s");
        config.put("unit-daily.flush-interval", "5 min");
        config.put("checkpoint.interval", "1 s");
        config.put("catalog.warehouse", warehouse.toString());
        config.put("catalog.namespace", "eo_" + name);
        // The raw archive goes through the same sinks: every decoded record must land in it exactly once too.
        config.put("archive.enabled", "true");
        return config;
    }

    /** Runs the job with the given faults, waits until a checkpoint covers every record, then drains it. */
    private static void runInProcess(String name, Map<DecodedInput.Stream, Fault> faults) throws Exception {
        String group = "eo-" + name;
        JobSettings settings = JobSettings.from(ConfigReader.fromMap(options(name, group)), Map.of("RECOLENS_UNIT_KEY_SECRET", SECRET));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        RecolensJob.configure(env, settings);
        Configuration restarts = new Configuration();
        restarts.setString("restart-strategy.type", "fixed-delay");
        restarts.setString("restart-strategy.fixed-delay.attempts", "10");
        restarts.setString("restart-strategy.fixed-delay.delay", "500 ms");
        env.configure(restarts);
        IcebergOutputs outputs = IcebergOutputs.bootstrap(settings);
        new RecolensPipeline(settings, new FaultyInputs(SourceInputs.from(settings), faults), outputs).build(env);
        JobClient job = env.executeAsync(RecolensJob.jobName(settings) + " " + name);
        try {
            waitFor(name + ": every record covered by a completed checkpoint", Duration.ofSeconds(120),
                    () -> !job.getJobStatus().get().isGloballyTerminalState() && committedRecords(group, TOPICS) == traffic.size());
            drain(job, name);
        } finally {
            if (!job.getJobStatus().get().isGloballyTerminalState()) job.cancel().get();
        }
    }

    /** Stop with drain, retried: a failure during the drain restarts the job, which then must drain again. */
    private static void drain(JobClient job, String name) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        int attempt = 0;
        while (true) {
            attempt++;
            try {
                String savepoint = job.stopWithSavepoint(true, scratch.resolve("savepoints-" + name).toUri().toString(),
                        SavepointFormatType.CANONICAL).get(60, TimeUnit.SECONDS);
                System.out.printf("exactly-once [%s]: drained on attempt %d into %s%n", name, attempt, savepoint);
                break;
            } catch (Exception e) {
                if (System.currentTimeMillis() > deadline) throw e;
                System.out.printf("exactly-once [%s]: drain attempt %d failed (%s), retrying%n", name, attempt, rootMessage(e));
                Thread.sleep(1000);
            }
        }
        assertThat(job.getJobStatus().get(30, TimeUnit.SECONDS)).isEqualTo(JobStatus.FINISHED);
    }

    // ---- checks against the independent reference ----

    private static void verify(String name, String label, FaultLog fault) {
        if (fault != null) {
            assertThat(fault.fired()).as("%s: the fault fired", label).isTrue();
            assertThat(fault.maxAttempt()).as("%s: the job restarted after the fault", label).isPositive();
        }
        String ns = name;
        Map<String, long[]> engagement = sumBy(read(ns, IcebergOutputs.VARIANT_ENGAGEMENT), "impressions", "item_impressions", "clicks");
        Map<String, long[]> unitDaily = sumBy(read(ns, IcebergOutputs.EXPERIMENT_UNIT_DAILY), "impressions", "item_impressions", "clicks");
        Map<String, long[]> sideEffects = sumBy(read(ns, IcebergOutputs.VARIANT_SIDE_EFFECTS), "span_count");
        List<Record> exposureRows = read(ns, IcebergOutputs.EXPERIMENT_EXPOSURES);
        List<String> lineage = read(ns, IcebergOutputs.LINEAGE_HISTORY).stream().map(r -> (String) r.getField("impression_id")).toList();
        int deadLetters = read(ns, IcebergOutputs.DEAD_LETTERS).size();

        long[] expectedTotal = total(expected.engagement);
        long expectedSpans = expected.spans.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("exactly-once [%s]: %s; engagement %s (expected %s), unit-daily %s, side-effect spans %d (expected %d), "
                        + "lineage %d rows / %d distinct (expected %d), exposures %d (expected %d), dead letters %d (expected %d)%n",
                label, fault == null ? "killed and restored" : "fault " + fault.firedWhen() + ", max attempt " + fault.maxAttempt(),
                Arrays.toString(total(engagement)), Arrays.toString(expectedTotal), Arrays.toString(total(unitDaily)),
                total(sideEffects)[0], expectedSpans, lineage.size(), lineage.stream().distinct().count(), expected.impressionIds.size(),
                exposureRows.size(), expected.units.values().stream().mapToLong(java.util.Set::size).sum(), deadLetters, malformed);

        Map<String, Long> anomalyKinds = new java.util.TreeMap<>();
        for (Record r : read(ns, IcebergOutputs.LINEAGE_ANOMALIES)) {
            String detail = String.valueOf(r.getField("detail"));
            String kind = r.getField("kind") + ("late_record".equals(r.getField("kind")) ? "(" + detail.substring(0, Math.min(10, detail.length())) + ")" : "");
            anomalyKinds.merge(kind, 1L, Long::sum);
        }
        System.out.printf("exactly-once [%s]: anomalies %s%n", label, anomalyKinds);
        for (String table : List.of(IcebergOutputs.LINEAGE_HISTORY, IcebergOutputs.EXPERIMENT_EXPOSURES)) {
            System.out.printf("exactly-once [%s]: %s commits (checkpoint:records) %s%n", label, table, commitHistory(name, table));
        }
        assertThat(engagement.keySet()).as("%s: variant_engagement keys", label).isEqualTo(expected.engagement.keySet());
        expected.engagement.forEach((key, counts) -> {
            assertThat(engagement.get(key)).as("%s: variant_engagement %s (impressions, item_impressions, clicks)", label, key).containsExactly(counts);
            assertThat(unitDaily.get(key)).as("%s: experiment_unit_daily %s (impressions, item_impressions, clicks)", label, key).containsExactly(counts);
        });
        assertThat(sideEffects.keySet()).as("%s: variant_side_effects keys", label).isEqualTo(expected.spans.keySet());
        expected.spans.forEach((key, n) -> assertThat(sideEffects.get(key)[0]).as("%s: variant_side_effects span_count %s", label, key).isEqualTo(n));
        assertThat(lineage).as("%s: lineage_history has every impression exactly once", label)
                .hasSize(expected.impressionIds.size()).containsExactlyInAnyOrderElementsOf(expected.impressionIds);
        Map<String, Long> exposuresPerUnit = exposureRows.stream()
                .collect(Collectors.groupingBy(r -> r.getField("experiment") + "|" + r.getField("unit_key"), Collectors.counting()));
        assertThat(exposuresPerUnit).as("%s: experiment_exposures has no doubled unit", label).allSatisfy((unit, n) -> assertThat(n).as(unit).isEqualTo(1L));
        Map<String, Long> exposures = exposureRows.stream()
                .collect(Collectors.groupingBy(r -> r.getField("experiment") + "=" + r.getField("variant"), TreeMap::new, Collectors.counting()));
        Map<String, Long> expectedExposures = new TreeMap<>();
        expected.units.forEach((key, users) -> expectedExposures.put(key, (long) users.size()));
        assertThat(exposures).as("%s: experiment_exposures per variant", label).isEqualTo(expectedExposures);
        assertThat(deadLetters).as("%s: dead_letters has every malformed record once", label).isEqualTo(malformed);
        Map<String, Long> archived = new TreeMap<>();
        for (String table : archivable.keySet()) archived.put(table, (long) read(ns, table).size());
        System.out.printf("exactly-once [%s]: archive %s (expected %s)%n", label, archived, archivable);
        assertThat(archived).as("%s: the raw archive has every decoded record once", label).isEqualTo(archivable);
    }

    private static long[] total(Map<String, long[]> sums) {
        long[] out = null;
        for (long[] v : sums.values()) {
            if (out == null) out = new long[v.length];
            for (int i = 0; i < v.length; i++) out[i] += v[i];
        }
        return out == null ? new long[1] : out;
    }

    private static Map<String, long[]> sumBy(List<Record> rows, String... measures) {
        Function<Record, String> key = r -> r.getField("experiment") + "=" + r.getField("variant");
        Map<String, long[]> out = new TreeMap<>();
        for (Record r : rows) {
            long[] acc = out.computeIfAbsent(key.apply(r), k -> new long[measures.length]);
            for (int i = 0; i < measures.length; i++) acc[i] += ((Number) r.getField(measures[i])).longValue();
        }
        return out;
    }

    private static List<Record> read(String name, String table) {
        RecolensCatalog catalog = RecolensCatalog.fromProperties(Map.of("warehouse", warehouse.toString(), "namespace", "eo_" + name));
        Catalog c = catalog.open();
        return TableReader.readAll(c, TableIdentifier.of(catalog.namespace(), table));
    }

    /** Per snapshot: the checkpoint id the Flink Iceberg committer recorded and the rows it added, for failure diagnosis. */
    private static List<String> commitHistory(String name, String table) {
        RecolensCatalog catalog = RecolensCatalog.fromProperties(Map.of("warehouse", warehouse.toString(), "namespace", "eo_" + name));
        List<String> out = new ArrayList<>();
        catalog.open().loadTable(TableIdentifier.of(catalog.namespace(), table)).snapshots().forEach(s -> out.add(
                s.summary().get("flink.max-committed-checkpoint-id") + ":" + s.summary().getOrDefault("added-records", "0")));
        return out;
    }

    /** Checkpoint ids the Flink Iceberg committer recorded in the table's snapshots. */
    private static List<Long> committedCheckpoints(String name, String table) {
        RecolensCatalog catalog = RecolensCatalog.fromProperties(Map.of("warehouse", warehouse.toString(), "namespace", "eo_" + name));
        List<Long> ids = new ArrayList<>();
        catalog.open().loadTable(TableIdentifier.of(catalog.namespace(), table)).snapshots().forEach(s -> {
            String id = s.summary().get("flink.max-committed-checkpoint-id");
            if (id != null) ids.add(Long.parseLong(id));
        });
        return ids;
    }

    // ---- Kafka ----

    private static void produce(List<String> topics, List<RecordingTrafficSink.Recorded> records) {
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(kafka.clientProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (RecordingTrafficSink.Recorded r : records) {
                String topic = topics.get(r.topic() == Topic.IMPRESSIONS ? 0 : r.topic() == Topic.CLICKS ? 1 : 2);
                producer.send(new ProducerRecord<>(topic, null, r.timestampMs(), r.key(), r.value()));
            }
            producer.flush();
        }
    }

    /** Records of the topics below the group's committed offsets: the Kafka source commits them when a checkpoint completes. */
    private static long committedRecords(String group, List<String> topics) throws Exception {
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            return committed.entrySet().stream().filter(e -> topics.contains(e.getKey().topic()) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
        }
    }

    // ---- child JVM ----

    /** The job in its own JVM (see {@link RestorableJobMain}), so that a kill -9 takes the whole cluster down. */
    private record Child(Process process, Path log, Path stopMarker, Path jobIdFile) {
        static Child start(Map<String, String> options, Path checkpoints, Path dir, String restoreFrom) throws IOException {
            Files.createDirectories(dir);
            Path log = dir.resolve("child.log");
            Path stopMarker = dir.resolve("stop");
            Path jobIdFile = dir.resolve("job-id");
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            // The same module opens the build gives this JVM (flink.java.opens in the parent pom).
            ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                    .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-exports")).forEach(command::add);
            command.add("-Xmx1g");
            command.add("-Dchild.checkpoint-dir=" + checkpoints);
            command.add("-Dchild.stop-marker=" + stopMarker);
            command.add("-Dchild.job-id-file=" + jobIdFile);
            if (restoreFrom != null) command.add("-Dchild.restore-from=" + restoreFrom);
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(RestorableJobMain.class.getName());
            options.forEach((k, v) -> {
                command.add("--" + k);
                command.add(v);
            });
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("RECOLENS_UNIT_KEY_SECRET", SECRET);
            return new Child(pb.start(), log, stopMarker, jobIdFile);
        }

        boolean assertAlive() throws IOException {
            if (!process.isAlive()) {
                List<String> lines = Files.readAllLines(log);
                throw new AssertionError("child JVM exited with " + process.exitValue() + "; last lines of its log:\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
            }
            return true;
        }
    }

    /** The newest retained checkpoint's {@code _metadata} over all job folders. */
    private static Optional<Path> newestCheckpoint(Path checkpoints) throws IOException {
        try (Stream<Path> files = Files.walk(checkpoints, 3)) {
            return files.filter(p -> p.getFileName().toString().equals("_metadata") && p.getParent().getFileName().toString().startsWith("chk-"))
                    .max((a, b) -> Long.compare(checkpointId(a), checkpointId(b)));
        }
    }

    private static long checkpointId(Path metadata) {
        return Long.parseLong(metadata.getParent().getFileName().toString().substring("chk-".length()));
    }

    // ---- waiting ----

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitFor(String what, Duration timeout, Condition condition) throws Exception {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (!condition.holds()) {
            if (System.currentTimeMillis() > deadline) throw new AssertionError("timed out waiting for: " + what);
            Thread.sleep(250);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) t = t.getCause();
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
