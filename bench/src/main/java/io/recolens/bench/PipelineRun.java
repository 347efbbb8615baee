package io.recolens.bench;

import io.recolens.connectors.decode.OtlpEncoding;
import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.connectors.iceberg.TableReader;
import io.recolens.jobs.RecolensJob;
import io.recolens.jobs.config.ConfigReader;
import io.recolens.jobs.config.JobSettings;
import io.recolens.jobs.pipeline.IcebergOutputs;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.Record;

/** The recolens pipeline on a local Flink over the loaded topics: batch, or streaming until caught up and then drained. */
final class PipelineRun {
    private PipelineRun() {}

    /** Checkpoints of the freshness run: each is an Iceberg commit, so rows become visible within one interval. */
    static final String STREAMING_CHECKPOINT_INTERVAL = "2 s";

    static Map<String, Object> batch(Map<String, String> spec, Map<String, Object> result) throws Exception {
        JobSettings settings = settings(spec, "batch");
        StreamExecutionEnvironment env = environment(spec);
        long started = System.nanoTime();
        RecolensJob.run(settings, env);
        result.put("measuredMs", (System.nanoTime() - started) / 1_000_000);
        return sums(settings);
    }

    /**
     * Streaming mode over the loaded backlog: the sources stop at the offsets that were the end when the job started
     * ({@code kafka.stopping-offsets=latest}), so the job catches up and then ends the input, which fires every window
     * and timer as {@code stop --drain} does. Same state backend, checkpoints and Iceberg commits as a running job.
     */
    static Map<String, Object> streaming(Map<String, String> spec, Map<String, Object> result) throws Exception {
        JobSettings settings = settings(spec, "streaming");
        StreamExecutionEnvironment env = environment(spec);
        long started = System.nanoTime();
        RecolensJob.run(settings, env);
        result.put("measuredMs", (System.nanoTime() - started) / 1_000_000);
        return sums(settings);
    }

    static JobSettings settings(Map<String, String> spec, String mode) {
        BenchTopics topics = new BenchTopics(spec.get("topics"));
        Map<String, String> c = new LinkedHashMap<>();
        c.put("mode", mode);
        c.put("kafka.bootstrap-servers", spec.get("bootstrap"));
        c.put("kafka.group-id", spec.get("group"));
        c.put("kafka.starting-offsets", "earliest");
        c.put("topics.impressions", topics.impressions());
        c.put("topics.clicks", topics.clicks());
        c.put("topics.spans", topics.spans(spec.get("encoding")));
        c.put("spans.encoding", spec.get("encoding"));
        c.put("checkpoint.interval", STREAMING_CHECKPOINT_INTERVAL);
        c.put("catalog.type", "hadoop");
        c.put("catalog.warehouse", spec.get("warehouse"));
        c.put("catalog.namespace", "recolens");
        c.put("demo", "true");
        c.put("restore.require-state", "false");
        for (Map.Entry<String, String> e : spec.entrySet()) {
            if (e.getKey().startsWith("job.")) c.put(e.getKey().substring(4), e.getValue());
        }
        // For experiments: RECOLENS_BENCH_JOB_OPTS="key=value;key=value" sets job options of every pipeline run.
        String extra = System.getenv("RECOLENS_BENCH_JOB_OPTS");
        if (extra != null) {
            for (String option : extra.split(";")) {
                int eq = option.indexOf('=');
                if (eq > 0) c.put(option.substring(0, eq).trim(), option.substring(eq + 1).trim());
            }
        }
        return JobSettings.from(ConfigReader.fromMap(c), Map.of());
    }

    /** The span encoding a run reads, as the job's decoders name it. */
    static OtlpEncoding spanEncoding(Map<String, String> spec) {
        return "otlp_json".equals(spec.get("encoding")) ? OtlpEncoding.OTLP_JSON
                : OtlpEncoding.OTLP_PROTO;
    }

    static StreamExecutionEnvironment environment(Map<String, String> spec) {
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, Path.of(spec.get("work")).resolve("checkpoints").toUri().toString());
        BenchFlink.configure(conf, Integer.parseInt(spec.get("parallelism")));
        return StreamExecutionEnvironment.createLocalEnvironment(Integer.parseInt(spec.get("parallelism")), conf);
    }

    /** The totals the SQL reference also computes, read back from the Iceberg tables. */
    static Map<String, Object> sums(JobSettings settings) {
        RecolensCatalog recolens = RecolensCatalog.fromProperties(settings.catalogProperties);
        Catalog catalog = recolens.open();
        Map<String, long[]> engagement = new TreeMap<>();
        for (Record r : TableReader.readAll(catalog, recolens.tableId(IcebergOutputs.VARIANT_ENGAGEMENT))) {
            long[] s = engagement.computeIfAbsent(r.getField("experiment") + "/" + r.getField("variant"), k -> new long[2]);
            s[0] += (Long) r.getField("impressions");
            s[1] += (Long) r.getField("clicks");
        }
        Map<String, long[]> sideEffects = new TreeMap<>();
        for (Record r : TableReader.readAll(catalog, recolens.tableId(IcebergOutputs.VARIANT_SIDE_EFFECTS))) {
            long[] s = sideEffects.computeIfAbsent(r.getField("experiment") + "/" + r.getField("variant") + "/" + r.getField("service"), k -> new long[3]);
            s[0] += (Long) r.getField("span_count");
            s[1] += (Long) r.getField("error_count");
            s[2] += (Long) r.getField("duration_sum_micros");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("engagement", BenchSums.engagement(engagement));
        out.put("sideEffects", BenchSums.sideEffects(sideEffects));
        for (String table : List.of(IcebergOutputs.LINEAGE_HISTORY, IcebergOutputs.DEAD_LETTERS, IcebergOutputs.EXPERIMENT_EXPOSURES,
                IcebergOutputs.LINEAGE_ANOMALIES)) {
            out.put(table + "_rows", TableReader.readAll(catalog, recolens.tableId(table)).size());
        }
        return out;
    }
}
