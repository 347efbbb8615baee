package io.recolens.demo;

import io.recolens.jobs.RecolensJob;
import io.recolens.jobs.config.ConfigReader;
import io.recolens.jobs.config.JobSettings;
import io.recolens.simulator.GroundTruth;
import io.recolens.simulator.KafkaTrafficSink;
import io.recolens.simulator.SimulatorConfig;
import io.recolens.simulator.TrafficSimulator;
import io.recolens.testkit.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code bin/recolens demo}: everything on this machine, on loopback. An in-process KRaft broker, the
 * traffic simulator writing to it, the streaming job on a local Flink with its web UI, a local Iceberg
 * warehouse; then a clean stop (drain: every window and join closes) and a summary read from the tables.
 */
public final class DemoMain {
    private DemoMain() {}

    static final String USAGE = "usage: bin/recolens demo [--requests N] [--port P] [--warehouse DIR] [--work-dir DIR]\n"
            + "  --requests N     recommendation requests to simulate (default 20000)\n"
            + "  --port P         local Flink web UI port (default 8081)\n"
            + "  --warehouse DIR  hadoop-catalog warehouse (default ./warehouse); DIR/recolens is deleted first\n"
            + "  --work-dir DIR   checkpoints, savepoints and ground-truth.json (default ./.recolens); its checkpoints/\n"
            + "                   and savepoints/ are deleted first";

    private static final List<String> FLAGS = List.of("requests", "port", "warehouse", "work-dir");

    public static void main(String[] args) throws Exception {
        Map<String, String> opts;
        try {
            opts = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("recolens: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (opts.containsKey("help")) {
            System.out.println(USAGE);
            System.exit(0);
        }
        int requests = Integer.parseInt(opts.getOrDefault("requests", "20000"));
        int port = Integer.parseInt(opts.getOrDefault("port", "8081"));
        Path warehouse = Path.of(opts.getOrDefault("warehouse", "warehouse")).toAbsolutePath();
        Path work = Files.createDirectories(Path.of(opts.getOrDefault("work-dir", ".recolens")).toAbsolutePath());

        Progress progress = new Progress(System.out);
        // Each demo run starts from empty tables so the summary shows this run only; say so before deleting.
        List<Path> previous = previousRun(warehouse, work);
        if (!previous.isEmpty()) {
            progress.step("Deleting the previous demo run: " + String.join(", ", previous.stream().map(Path::toString).toList()));
            for (Path p : previous) deleteRecursively(p);
        }
        progress.step("Starting an in-process Kafka broker (KRaft, 127.0.0.1)");
        java.util.List<Path> reports = java.util.List.of();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopics(2, "reco.impressions", "reco.clicks", "otlp_spans");
            progress.detail("broker " + kafka.bootstrapServers());

            JobSettings settings = JobSettings.from(ConfigReader.fromMap(demoConfig(kafka.bootstrapServers(), warehouse)), System.getenv());
            progress.step("Starting the streaming job on a local Flink: web UI http://127.0.0.1:" + port);
            StreamExecutionEnvironment env = LocalFlink.environment(port, 2, work.resolve("checkpoints"));
            RecolensJob.build(settings, env);
            RunSummary summary = new RunSummary(settings);
            JobClient job = env.executeAsync(RecolensJob.jobName(settings));
            progress.detail("job " + job.getJobID());

            SimulatorConfig simulation = SimulatorConfig.builder()
                    .requests(requests)
                    .startEpochMs(System.currentTimeMillis() - Duration.ofHours(1).toMillis())
                    .attributionWindowMs(settings.attributionWindowMs)
                    .build();
            progress.step("Simulating " + requests + " recommendation requests through the instrumented service graph");
            CompletableFuture<GroundTruth> simulator = CompletableFuture.supplyAsync(() -> {
                try (KafkaTrafficSink sink = new KafkaTrafficSink(kafka.bootstrapServers(), KafkaTrafficSink.Topics.defaults())) {
                    return new TrafficSimulator().run(simulation, sink);
                }
            });
            TableProgress tables = new TableProgress(settings);
            while (!simulator.isDone()) {
                Thread.sleep(2_000);
                progress.detail(tables.line());
            }
            GroundTruth truth = simulator.get();
            truth.writeJson(work.resolve("ground-truth.json"));
            progress.detail("simulator done: " + truth.recordsEmitted() + " records; ground truth in " + work.resolve("ground-truth.json"));

            progress.step("Waiting for the job to catch up with Kafka");
            ConsumerLag lag = new ConsumerLag(kafka.bootstrapServers(), settings.kafkaGroupId);
            long deadline = System.currentTimeMillis() + Duration.ofMinutes(5).toMillis();
            while (lag.total() > 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(2_000);
                progress.detail("lag " + lag.total() + " records; " + tables.line());
            }

            progress.step("Stopping cleanly (drain: all traces, attribution windows and aggregates close, last commit)");
            job.stopWithSavepoint(true, work.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL).get();
            job.getJobExecutionResult().get();
            lag.close();

            progress.step("Results, read back from the Iceberg tables in " + warehouse);
            new DemoReport(settings, truth, System.out).print();
            summary.print(System.out, truth.recordsEmitted().values().stream().mapToLong(Integer::longValue).sum());

            progress.step("Experiment statistics (bin/recolens report; written to experiment_results)");
            reports = DemoStatistics.run(settings, truth, work, System.out);
        }
        for (Path page : reports) {
            System.out.println("HTML report: " + page);
        }
        System.out.println();
        System.out.println("Query the tables: see README.md (Querying). The warehouse stays in " + warehouse + ".");
        System.exit(0);
    }

    static Map<String, String> demoConfig(String bootstrap, Path warehouse) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("mode", "streaming");
        c.put("demo", "true");
        c.put("kafka.bootstrap-servers", bootstrap);
        c.put("kafka.group-id", "recolens-demo");
        c.put("kafka.starting-offsets", "earliest");
        c.put("checkpoint.interval", "5 s");
        c.put("trace.gap", "10 s");
        c.put("aggregate.window", "1 min");
        c.put("watermark.out-of-orderness", "1 min");
        c.put("watermark.idleness", "10 s");
        c.put("experiments.known", "rec_algorithm_v3=control|collaborative|hybrid;ranking_boost_v2=control|recency_boost");
        c.put("catalog.type", "hadoop");
        c.put("catalog.warehouse", warehouse.toString());
        c.put("catalog.namespace", "recolens");
        // Stated, not implied: a demo's state fits the heap; bin/recolens run and clusters default to rocksdb.
        c.put("flink.state.backend.type", "hashmap");
        return c;
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) return;
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    /** What a new demo run deletes: the demo namespace of the warehouse and the demo's checkpoints and savepoints. */
    static List<Path> previousRun(Path warehouse, Path work) {
        return java.util.stream.Stream.of(warehouse.resolve("recolens"), work.resolve("checkpoints"), work.resolve("savepoints"))
                .filter(Files::exists).toList();
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--help") || args[i].equals("-h")) {
                out.put("help", "true");
                continue;
            }
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + args[i] + "'");
            }
            String name = args[i].substring(2);
            if (!FLAGS.contains(name)) {
                throw new IllegalArgumentException("unknown flag --" + name);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
            out.put(name, args[++i]);
        }
        return out;
    }
}
