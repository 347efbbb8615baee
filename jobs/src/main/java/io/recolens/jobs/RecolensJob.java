package io.recolens.jobs;

import io.recolens.jobs.config.ConfigReader;
import io.recolens.jobs.config.FlinkOptions;
import io.recolens.jobs.config.JobSettings;
import io.recolens.jobs.pipeline.IcebergOutputs;
import io.recolens.jobs.pipeline.RecolensPipeline;
import io.recolens.jobs.pipeline.SourceInputs;
import io.recolens.jobs.restore.StartGuard;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Entry point of the recolens job: {@code --mode streaming|batch} plus options (README, Configuration).
 * Reads Kafka or files, writes the Iceberg tables; submit the shaded jar to any Flink 2.1 cluster.
 */
public final class RecolensJob {
    private RecolensJob() {}

    public static void main(String[] args) throws Exception {
        JobSettings settings;
        try {
            settings = JobSettings.from(ConfigReader.fromArgs(args), System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flinkConfiguration(settings));
        try {
            // The cluster's own configuration decides first; the job fills in what it left open.
            FlinkOptions.requireCheckpointDirectory(settings.mode, settings.flinkOptions, env.getConfiguration());
            env.configure(FlinkOptions.productionDefaults(settings.mode, settings.flinkOptions, env.getConfiguration()));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        try {
            run(settings, env);
        } catch (StartGuard.StateRequiredException e) {
            System.err.println(e.getMessage());
            System.exit(3);
        }
    }

    /** Builds the production graph (Kafka or files in, Iceberg out) on the given environment and runs it. */
    public static JobExecutionResult run(JobSettings settings, StreamExecutionEnvironment env) throws Exception {
        build(settings, env);
        return env.execute(jobName(settings));
    }

    /** Creates or checks the tables, then builds the production graph without running it. */
    public static void build(JobSettings settings, StreamExecutionEnvironment env) {
        configure(env, settings);
        IcebergOutputs outputs = IcebergOutputs.bootstrap(settings);
        StartGuard.check(settings, env.getConfiguration());
        new RecolensPipeline(settings, SourceInputs.from(settings), outputs).build(env);
    }

    public static String jobName(JobSettings settings) {
        return "recolens " + settings.mode.name().toLowerCase();
    }

    /**
     * Flink settings the job depends on, plus the user's {@code flink.*} options (already checked not to contradict
     * them); applied to the environment whoever created it.
     */
    public static Configuration flinkConfiguration(JobSettings settings) {
        Configuration conf = Configuration.fromMap(settings.flinkOptions);
        conf.set(ExecutionOptions.RUNTIME_MODE, settings.batch() ? RuntimeExecutionMode.BATCH : RuntimeExecutionMode.STREAMING);
        // Every job type has a Flink POJO or built-in serializer; a Kryo fallback would be a silent slowdown.
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        // Chained operators hand records on without a defensive copy (a tenth of the batch job's CPU went to copies).
        // Safe because every function keeps to one rule: it never changes a record it has emitted, nor one it was
        // given; CombineBeforeShuffle changes only rows that no other operator holds (fresh from its one upstream).
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        return conf;
    }

    public static void configure(StreamExecutionEnvironment env, JobSettings settings) {
        env.configure(flinkConfiguration(settings));
        if (!settings.batch()) {
            env.enableCheckpointing(settings.checkpointIntervalMs, CheckpointingMode.EXACTLY_ONCE);
        }
    }
}
