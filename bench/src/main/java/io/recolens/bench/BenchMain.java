package io.recolens.bench;

import io.recolens.simulator.GroundTruth;
import io.recolens.testkit.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/recolens bench}: loads simulated traffic into an in-process broker, then runs — each in its own JVM,
 * interleaved over several rounds, at one parallelism — the pipeline in batch mode, the pipeline in streaming mode
 * until caught up and drained, a decode-only ceiling, a Flink floor (decode and keyed shuffle only) and a plain Flink SQL
 * reference; checks their totals agree
 * and writes the medians and ratios as JSON and Markdown.
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        BenchFlags flags;
        try {
            flags = BenchFlags.parse(args);
        } catch (BenchFlags.UsageException e) {
            System.err.println(e.getMessage());
            System.exit(args.length > 0 && (args[0].equals("--help") || args[0].equals("-h")) ? 0 : 2);
            return;
        }
        System.exit(run(flags) ? 0 : 1);
    }

    /** Runs the benchmark; false when the runs' totals disagree. */
    static boolean run(BenchFlags flags) throws Exception {
        Path out = Files.createDirectories(flags.out());
        Path logs = Files.createDirectories(out.resolve("runs"));
        BenchReport report = new BenchReport(flags);
        // Hostile records go up to 1 MiB plus framing; the broker must accept them for the job to refuse them.
        try (EmbeddedKafka kafka = EmbeddedKafka.start(Map.of("message.max.bytes", "8388608"))) {
            BenchTopics topics = new BenchTopics("bench");
            List<String> names = new ArrayList<>();
            for (String encoding : flags.encodings()) names.addAll(topics.all(encoding));
            kafka.createTopics(flags.parallelism(), names.stream().distinct().toArray(String[]::new));
            System.out.printf("bench: loading %,d simulated requests (%s) into Kafka on %s%n", flags.requests(), flags.encodings(), kafka.bootstrapServers());
            long loadStarted = System.nanoTime();
            GroundTruth truth = BenchData.load(kafka.bootstrapServers(), topics, flags, flags.encodings());
            report.loaded(truth, (System.nanoTime() - loadStarted) / 1_000_000);

            List<RunPlan> plan = plan(flags);
            for (int round = 1; round <= flags.rounds(); round++) {
                // Rotate the order each round, so no run always follows the same neighbour (page cache, JIT of the broker).
                List<RunPlan> order = new ArrayList<>(plan);
                java.util.Collections.rotate(order, round - 1);
                for (RunPlan run : order) {
                    Map<String, String> spec = run.spec(kafka.bootstrapServers(), topics, flags, out, round);
                    System.out.printf("bench: round %d/%d %-28s ", round, flags.rounds(), run.label());
                    Map<String, Object> result = ChildProcess.run(run.kind(), spec, logs);
                    System.out.printf("%7.1f s wall, %7.1f s CPU%n", ((Number) result.get("processWallMs")).longValue() / 1000.0,
                            ((Number) result.get("cpuMs")).longValue() / 1000.0);
                    report.add(run.label(), result);
                }
            }
            if (flags.runs().contains("freshness")) freshness(kafka.bootstrapServers(), flags, out, logs, report);
            if (flags.runs().contains("hostile")) hostile(kafka, flags, out, logs, report);
        }
        boolean agree = report.finish(out);
        System.out.println();
        System.out.println(Files.readString(out.resolve("bench-results.md")));
        System.out.println("bench: results in " + out.resolve("bench-results.json") + " and " + out.resolve("bench-results.md"));
        return agree;
    }

    /**
     * Live traffic at half the maximum rate (--freshness-rate, else the batch pipeline's median throughput, else 500 requests/s)
     * for {@link #FRESHNESS_SECONDS}; reports how long after its event time each lineage row became visible.
     */
    private static void freshness(String bootstrap, BenchFlags flags, Path out, Path logs, BenchReport report) throws Exception {
        String encoding = flags.encodings().get(0);
        double maxRequestsPerSecond = report.requestsPerSecond("pipeline batch " + encoding);
        double rate = flags.freshnessRate() > 0 ? flags.freshnessRate() : maxRequestsPerSecond > 0 ? maxRequestsPerSecond / 2 : 500;
        RunPlan run = new RunPlan("freshness", encoding);
        Map<String, String> spec = run.spec(bootstrap, new BenchTopics("fresh"), flags, out, 1);
        spec.put("rate", String.valueOf(Math.round(rate)));
        spec.put("seconds", String.valueOf(FRESHNESS_SECONDS));
        System.out.printf("bench: freshness at %,d requests/s for %d s after a %d s warm-up%n", Math.round(rate), FRESHNESS_SECONDS,
                FreshnessRun.WARM_UP_SECONDS);
        Map<String, Object> result = ChildProcess.run(run.kind(), spec, logs);
        report.put("freshness", result.get("computed"));
    }

    static final int FRESHNESS_SECONDS = 60;

    /**
     * The fuzz mix at volume through the batch pipeline; its cost per Kafka record is compared with the ordinary
     * batch run's (same parallelism, same machine, same bench run).
     */
    private static void hostile(EmbeddedKafka kafka, BenchFlags flags, Path out, Path logs, BenchReport report) throws Exception {
        BenchTopics topics = new BenchTopics("hostile");
        kafka.createTopics(flags.parallelism(), topics.all("otlp_proto").toArray(String[]::new));
        System.out.printf("bench: loading %,d hostile records%n", flags.hostile());
        Map<io.recolens.simulator.hostile.HostileRecords.Kind, Long> kinds = HostileLoad.load(kafka.bootstrapServers(), topics, flags, flags.hostile());
        RunPlan run = new RunPlan("pipeline-batch", "otlp_proto");
        Map<String, String> spec = run.spec(kafka.bootstrapServers(), topics, flags, out, 0);
        spec.put("name", "hostile-batch");
        System.out.print("bench: hostile batch                     ");
        Map<String, Object> result = ChildProcess.run(run.kind(), spec, logs);
        System.out.printf("%7.1f s wall, %7.1f s CPU%n", ((Number) result.get("processWallMs")).longValue() / 1000.0,
                ((Number) result.get("cpuMs")).longValue() / 1000.0);
        report.hostile(flags.hostile(), kinds, result);
    }

    /** One kind of run on one encoding; {@code stateBackend} set for a streaming run on a backend other than the job's default. */
    record RunPlan(String kind, String encoding, String stateBackend) {
        RunPlan(String kind, String encoding) {
            this(kind, encoding, null);
        }

        String label() {
            return switch (kind) {
                case "pipeline-batch" -> "pipeline batch " + encoding;
                case "pipeline-streaming" -> "pipeline streaming " + encoding + (stateBackend == null ? "" : " (" + stateBackend + " state)");
                case "decode" -> "decode-only " + encoding;
                case "floor" -> "Flink floor " + encoding;
                case "sql" -> "Flink SQL reference " + encoding;
                default -> kind + " " + encoding;
            };
        }

        Map<String, String> spec(String bootstrap, BenchTopics topics, BenchFlags flags, Path out, int round) throws Exception {
            String name = (label() + " r" + round).replace(' ', '-');
            Path work = out.resolve("work").resolve(name);
            deleteRecursively(work);
            Files.createDirectories(work);
            Map<String, String> spec = new LinkedHashMap<>();
            spec.put("name", name);
            spec.put("bootstrap", bootstrap);
            spec.put("topics", topics.prefix());
            spec.put("encoding", encoding);
            spec.put("parallelism", String.valueOf(flags.parallelism()));
            spec.put("group", "bench-" + name);
            spec.put("work", work.toString());
            spec.put("warehouse", work.resolve("warehouse").toString());
            if (stateBackend != null) spec.put("job.flink.state.backend.type", stateBackend);
            if (kind.equals("pipeline-streaming")) {
                spec.put("job.kafka.stopping-offsets", "latest");
                spec.put("job.checkpoint.interval", flags.streamingCheckpoint());
            }
            return spec;
        }
    }

    static List<RunPlan> plan(BenchFlags flags) {
        List<RunPlan> plan = new ArrayList<>();
        for (String encoding : flags.encodings()) {
            if (flags.runs().contains("batch")) plan.add(new RunPlan("pipeline-batch", encoding));
            if (flags.runs().contains("decode")) plan.add(new RunPlan("decode", encoding));
            if (flags.runs().contains("floor")) plan.add(new RunPlan("floor", encoding));
        }
        String first = flags.encodings().get(0);
        if (flags.runs().contains("streaming")) {
            for (String state : flags.streamingStates()) {
                plan.add(new RunPlan("pipeline-streaming", first, state.equals("rocksdb") ? null : state));
            }
        }
        if (flags.runs().contains("sql") && flags.encodings().contains("otlp_json")) plan.add(new RunPlan("sql", "otlp_json"));
        return plan;
    }

    static void deleteRecursively(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) return;
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
