package io.recolens.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.StatementSet;
import org.apache.flink.table.api.TableEnvironment;

/**
 * The plain Flink SQL reference (sql/reference/): the same per-variant engagement and side-effect totals in
 * batch SQL, both queries in one job writing JSON lines that is read back for the agreement check.
 */
final class SqlReferenceRun {
    private SqlReferenceRun() {}

    static Map<String, Object> run(Map<String, String> spec, Map<String, Object> result) throws Exception {
        BenchTopics topics = new BenchTopics(spec.get("topics"));
        Map<String, String> values = Map.of(
                "bootstrap", spec.get("bootstrap"),
                "impressions_topic", topics.impressions(),
                "clicks_topic", topics.clicks(),
                "spans_topic", topics.spans("otlp_json"),
                "attribution_window_minutes", "30");
        Configuration conf = new Configuration();
        conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
        BenchFlink.configure(conf, Integer.parseInt(spec.get("parallelism")));
        conf.setString("parallelism.default", spec.get("parallelism"));
        TableEnvironment tEnv = TableEnvironment.create(EnvironmentSettings.newInstance().inBatchMode().withConfiguration(conf).build());
        Path out = Path.of(spec.get("work")).resolve("sql-out");
        long started = System.nanoTime();
        for (String file : BenchSql.DDL) tEnv.executeSql(BenchSql.load(file, values));
        tEnv.executeSql(sink("engagement_out", "experiment STRING, `variant` STRING, impressions BIGINT, clicks BIGINT", out.resolve("engagement")));
        tEnv.executeSql(sink("side_effects_out",
                "experiment STRING, `variant` STRING, service STRING, spans BIGINT, errors BIGINT, duration_micros BIGINT", out.resolve("side-effects")));
        StatementSet set = tEnv.createStatementSet();
        set.addInsertSql("INSERT INTO engagement_out " + BenchSql.load(BenchSql.ENGAGEMENT, values));
        set.addInsertSql("INSERT INTO side_effects_out " + BenchSql.load(BenchSql.SIDE_EFFECTS, values));
        set.execute().await();
        result.put("measuredMs", (System.nanoTime() - started) / 1_000_000);

        Map<String, long[]> engagement = new TreeMap<>();
        for (JsonNode r : jsonLines(out.resolve("engagement"))) {
            engagement.put(r.get("experiment").asText() + "/" + r.get("variant").asText(),
                    new long[] {r.get("impressions").asLong(), r.get("clicks").asLong()});
        }
        Map<String, long[]> sideEffects = new TreeMap<>();
        for (JsonNode r : jsonLines(out.resolve("side-effects"))) {
            sideEffects.put(r.get("experiment").asText() + "/" + r.get("variant").asText() + "/" + r.get("service").asText(),
                    new long[] {r.get("spans").asLong(), r.get("errors").asLong(), r.get("duration_micros").asLong()});
        }
        Map<String, Object> computed = new LinkedHashMap<>();
        computed.put("engagement", BenchSums.engagement(engagement));
        computed.put("sideEffects", BenchSums.sideEffects(sideEffects));
        return computed;
    }

    private static String sink(String name, String columns, Path dir) {
        return "CREATE TEMPORARY TABLE " + name + " (" + columns + ") WITH ('connector' = 'filesystem', 'path' = '"
                + dir.toUri() + "', 'format' = 'json')";
    }

    private static List<JsonNode> jsonLines(Path dir) throws Exception {
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .flatMap(p -> {
                        try {
                            return Files.readAllLines(p).stream();
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .filter(l -> !l.isBlank())
                    .map(l -> {
                        try {
                            return json.readTree(l);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .toList();
        }
    }
}
