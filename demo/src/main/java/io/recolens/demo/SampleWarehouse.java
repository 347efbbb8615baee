package io.recolens.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.jobs.RecolensJob;
import io.recolens.jobs.config.ConfigReader;
import io.recolens.jobs.config.JobSettings;
import io.recolens.simulator.FileTrafficSink;
import io.recolens.simulator.GroundTruth;
import io.recolens.simulator.SimulatorConfig;
import io.recolens.simulator.TrafficSimulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.catalog.Catalog;

/**
 * {@code bin/recolens sample-warehouse}: writes a small warehouse with the real job (batch, from simulated files)
 * and {@code expected.json}, the answers every query in {@code sql/} must give on it.
 *
 * <p>Options: {@code --requests N} (default 2000), {@code --seed S} (default 42), {@code --warehouse DIR}
 * (default {@code ./sample-warehouse}, hadoop catalog only), {@code --expected FILE} (default
 * {@code <warehouse>/expected.json}), {@code --parallelism P} (default 2), and any {@code --catalog.<key> value}
 * of the job (README, Configuration) to write into a jdbc or rest catalog instead.
 */
public final class SampleWarehouse {

    /**
     * Fixed start four minutes before a UTC midnight: the data then spans two day partitions, so the
     * retention query has an oldest and a newest day that differ, and every run with one seed is identical.
     */
    static final Instant SIMULATION_START = Instant.parse("2026-01-01T23:56:00Z");
    /** Arrivals are spread over ten simulated minutes whatever the request count, so the time range cuts real windows. */
    static final Duration ARRIVAL_SPAN = Duration.ofMinutes(10);

    private SampleWarehouse() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        Map<String, String> catalog = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                System.err.println("usage: bin/recolens sample-warehouse [--requests N] [--seed S] [--warehouse DIR]"
                        + " [--expected FILE] [--parallelism P] [--catalog.<key> value ...]");
                System.exit(2);
            }
            String key = args[i].substring(2);
            String value = args[++i];
            if (key.startsWith("catalog.")) {
                catalog.put(key, value);
            } else if (!java.util.Set.of("requests", "seed", "parallelism", "warehouse", "expected").contains(key)) {
                System.err.println("recolens: unknown flag --" + key + "; usage: bin/recolens sample-warehouse [--requests N] [--seed S]"
                        + " [--warehouse DIR] [--expected FILE] [--parallelism P] [--catalog.<key> value ...]");
                System.exit(2);
            } else {
                opts.put(key, value);
            }
        }
        int requests = Integer.parseInt(opts.getOrDefault("requests", "2000"));
        long seed = Long.parseLong(opts.getOrDefault("seed", "42"));
        int parallelism = Integer.parseInt(opts.getOrDefault("parallelism", "2"));
        Path warehouse = Path.of(opts.getOrDefault("warehouse", "sample-warehouse")).toAbsolutePath();
        boolean hadoop = !catalog.containsKey("catalog.type") && !catalog.containsKey("catalog.catalog-impl")
                || "hadoop".equalsIgnoreCase(catalog.get("catalog.type"));
        if (hadoop) {
            catalog.putIfAbsent("catalog.type", "hadoop");
            catalog.putIfAbsent("catalog.warehouse", warehouse.toString());
        }
        catalog.putIfAbsent("catalog.namespace", "recolens");
        Path expected = Path.of(opts.getOrDefault("expected",
                hadoop ? Path.of(catalog.get("catalog.warehouse")).resolve("expected.json").toString() : "expected.json")).toAbsolutePath();

        long began = System.nanoTime();
        Map<String, Object> answers = write(requests, seed, parallelism, catalog, hadoop);
        Files.createDirectories(expected.getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(expected.toFile(), answers);
        System.out.printf("sample warehouse written in %.1f s; expected answers in %s%n", (System.nanoTime() - began) / 1e9, expected);
        // Flink's and Hadoop's non-daemon threads would otherwise keep the JVM alive after the batch job.
        System.exit(0);
    }

    /** Simulates, runs the job in batch mode over the files, then returns the expected answers read from the tables. */
    static Map<String, Object> write(int requests, long seed, int parallelism, Map<String, String> catalog, boolean freshHadoopNamespace)
            throws Exception {
        return write(requests, seed, parallelism, catalog, freshHadoopNamespace, java.util.function.UnaryOperator.identity());
    }

    /** As above, with the simulation adjusted (e.g. a larger injected effect, for a test that needs power). */
    static Map<String, Object> write(int requests, long seed, int parallelism, Map<String, String> catalog, boolean freshHadoopNamespace,
            java.util.function.UnaryOperator<SimulatorConfig.Builder> simulationTweak) throws Exception {
        Path input = Files.createTempDirectory("recolens-sample-input");
        try {
            if (freshHadoopNamespace) {
                // Same as the demo: a fresh namespace, so a rerun does not add its rows to the previous run's.
                deleteRecursively(Path.of(catalog.get("catalog.warehouse")).resolve(catalog.get("catalog.namespace").replace('.', '/')));
            }
            SimulatorConfig simulation = simulationTweak.apply(SimulatorConfig.builder()
                    .seed(seed)
                    .requests(requests)
                    .startEpochMs(SIMULATION_START.toEpochMilli())
                    .requestsPerSecond(Math.max(1, requests) / (double) ARRIVAL_SPAN.toSeconds()))
                    .build();
            GroundTruth truth;
            try (FileTrafficSink sink = new FileTrafficSink(input, simulation.spanEncoding())) {
                truth = new TrafficSimulator().run(simulation, sink);
            }
            System.out.printf("simulated %d requests (%d impressions, %d clicks) into %s%n",
                    requests, truth.totals().impressions(), truth.totals().clicks(), input);

            Map<String, String> config = new LinkedHashMap<>(catalog);
            config.put("mode", "batch");
            config.put("input", "files");
            config.put("input.path", input.toString());
            config.put("spans.encoding", simulation.spanEncoding().name().toLowerCase(java.util.Locale.ROOT));
            config.put("demo", "true");
            config.put("experiments.known", "rec_algorithm_v3=control|collaborative|hybrid;ranking_boost_v2=control|recency_boost");
            JobSettings settings = JobSettings.from(ConfigReader.fromMap(config), System.getenv());
            RecolensJob.run(settings, localEnvironment(parallelism));

            RecolensCatalog recolens = RecolensCatalog.fromProperties(settings.catalogProperties);
            Catalog opened = recolens.open();
            try {
                Instant from = SIMULATION_START.plus(ARRIVAL_SPAN.dividedBy(5));
                Instant to = SIMULATION_START.plus(ARRIVAL_SPAN.multipliedBy(4).dividedBy(5));
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("generated_by", SampleWarehouse.class.getName());
                out.put("requests", requests);
                out.put("seed", seed);
                out.putAll(new SampleAnswers(opened, recolens, from, to, LocalDate.now(ZoneOffset.UTC)).all());
                return out;
            } finally {
                if (opened instanceof AutoCloseable closeable) {
                    closeable.close();
                }
            }
        } finally {
            deleteRecursively(input);
        }
    }

    /** A MiniCluster on loopback without a fixed web port: a sample run must not collide with a running demo. */
    /** A local Flink without web UI, bound to loopback: for batch runs inside a command (sample-warehouse, replay). */
    public static StreamExecutionEnvironment localEnvironment(int parallelism) {
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(RestOptions.BIND_PORT, "0");
        conf.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
        conf.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
        conf.set(TaskManagerOptions.HOST, "127.0.0.1");
        return StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
