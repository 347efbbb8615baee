package io.recolens.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The flags of {@code bin/recolens bench}; unknown flags are errors. */
record BenchFlags(
        int requests,
        int rounds,
        int parallelism,
        Path out,
        List<String> encodings,
        List<String> runs,
        long hostile,
        int users,
        long seed,
        int extraSpans,
        int extraExperiments,
        int freshnessRate,
        List<String> streamingStates,
        String streamingCheckpoint) {

    static final String USAGE = """
            Usage: bin/recolens bench [--requests N] [--rounds R] [--parallelism P] [--out DIR]
                                      [--encodings otlp_proto,otlp_json] [--runs batch,streaming,decode,floor,sql,freshness]
                                      [--hostile N] [--users U] [--seed S] [--extra-spans N] [--extra-experiments N]
                                      [--freshness-rate R] [--streaming-state rocksdb,hashmap]
                                      [--streaming-checkpoint D]
              --requests N           simulated recommendation requests (default 100000)
              --rounds R             interleaved rounds; the report gives medians (default 3)
              --parallelism P        Flink parallelism, Kafka partitions and decode threads (default 2)
              --out DIR              where bench-results.json and bench-results.md go (default .recolens/bench)
              --encodings LIST       span encodings to load and run (default otlp_proto,otlp_json)
              --runs LIST            which runs (default batch,streaming,decode,floor,sql,freshness; also: hostile)
              --hostile N            hostile records for the 'hostile' run (default 1000000 when that run is asked)
              --users U              distinct users (default 50000)
              --seed S               simulator seed (default 42)
              --extra-spans N        extra database spans per request, for cost-growth runs (default 0; 6-12 spans without)
              --extra-experiments N  experiments per request beyond the two real ones, for cost-growth runs (default 0)
              --freshness-rate R     requests/s of the freshness run (default: half the batch run's, else 500)
              --streaming-state LIST state backends of the streaming run, one run each (default rocksdb, the job's default;
                                     hashmap keeps state on the heap, right while it fits there)
              --streaming-checkpoint D checkpoint (and Iceberg commit) interval of the streaming run (default 30 s, the
                                     job's default; the freshness run always uses 2 s)
            """;

    static BenchFlags parse(String[] args) {
        Map<String, String> v = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) throw new UsageException(USAGE);
            if (!a.startsWith("--") || i + 1 >= args.length) {
                throw new UsageException("bench: expected --flag value, got '" + a + "'\n" + USAGE);
            }
            v.put(a.substring(2), args[++i]);
        }
        List<String> known = List.of("requests", "rounds", "parallelism", "out", "encodings", "runs", "hostile", "users", "seed", "extra-spans",
                "extra-experiments", "freshness-rate", "streaming-state", "streaming-checkpoint");
        for (String k : v.keySet()) {
            if (!known.contains(k)) throw new UsageException("bench: unknown flag --" + k + "\n" + USAGE);
        }
        List<String> runs = list(v.getOrDefault("runs", "batch,streaming,decode,floor,sql,freshness"));
        for (String r : runs) {
            if (!List.of("batch", "streaming", "decode", "floor", "sql", "freshness", "hostile").contains(r)) {
                throw new UsageException("bench: unknown run '" + r + "' in --runs\n" + USAGE);
            }
        }
        List<String> states = list(v.getOrDefault("streaming-state", "rocksdb"));
        for (String st : states) {
            if (!st.equals("rocksdb") && !st.equals("hashmap")) {
                throw new UsageException("bench: --streaming-state takes rocksdb and/or hashmap, got '" + st + "'");
            }
        }
        List<String> encodings = list(v.getOrDefault("encodings", "otlp_proto,otlp_json"));
        for (String e : encodings) {
            if (!e.equals("otlp_proto") && !e.equals("otlp_json")) {
                throw new UsageException("bench: --encodings takes otlp_proto and/or otlp_json, got '" + e + "'");
            }
        }
        return new BenchFlags(
                positive(v, "requests", 100_000),
                positive(v, "rounds", 3),
                positive(v, "parallelism", 2),
                Path.of(v.getOrDefault("out", ".recolens/bench")).toAbsolutePath(),
                encodings,
                runs,
                Long.parseLong(v.getOrDefault("hostile", runs.contains("hostile") ? "1000000" : "0")),
                positive(v, "users", 50_000),
                Long.parseLong(v.getOrDefault("seed", "42")),
                nonNegative(v, "extra-spans"),
                nonNegative(v, "extra-experiments"),
                nonNegative(v, "freshness-rate"),
                states,
                v.getOrDefault("streaming-checkpoint", "30 s"));
    }

    private static int positive(Map<String, String> v, String key, int fallback) {
        String s = v.get(key);
        if (s == null) return fallback;
        try {
            int n = Integer.parseInt(s.replace("_", ""));
            if (n < 1) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("bench: --" + key + " must be a positive integer, got '" + s + "'");
        }
    }

    private static int nonNegative(Map<String, String> v, String key) {
        String s = v.getOrDefault(key, "0");
        try {
            int n = Integer.parseInt(s);
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("bench: --" + key + " must be a non-negative integer, got '" + s + "'");
        }
    }

    private static List<String> list(String s) {
        List<String> out = new ArrayList<>();
        for (String p : s.split(",")) if (!p.isBlank()) out.add(p.trim());
        return out;
    }

    /** A usage error: printed without a stack trace, exit code 2. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
