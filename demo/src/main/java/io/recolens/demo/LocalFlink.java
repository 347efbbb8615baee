package io.recolens.demo;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** A local Flink (MiniCluster) bound to loopback, with its web UI, for the demo and local runs. */
final class LocalFlink {
    private LocalFlink() {}

    static StreamExecutionEnvironment environment(int webUiPort, int parallelism, java.nio.file.Path checkpointDir) {
        return environment(webUiPort, parallelism, checkpointDir, null);
    }

    /**
     * @param checkpointDir where checkpoints go: the default in-JobManager storage caps state at a few MB,
     *     which open traces and attribution windows exceed at demo volume; they are retained when the job is
     *     cancelled or the process dies, so the next run can restore them
     * @param restorePath checkpoint or savepoint to start from, or null for a start without state
     */
    static StreamExecutionEnvironment environment(int webUiPort, int parallelism, java.nio.file.Path checkpointDir, String restorePath) {
        return environment(webUiPort, parallelism, checkpointDir, restorePath, java.util.Map.of());
    }

    /**
     * @param flinkOptions the job's {@code flink.*} options: here they also size the local Flink itself (memory,
     *     slots), which on a cluster is the cluster's own configuration
     */
    static StreamExecutionEnvironment environment(int webUiPort, int parallelism, java.nio.file.Path checkpointDir, String restorePath,
            java.util.Map<String, String> flinkOptions) {
        Configuration conf = Configuration.fromMap(flinkOptions);
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir.toAbsolutePath().toUri().toString());
        conf.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, checkpointDir.resolve("savepoints").toAbsolutePath().toUri().toString());
        conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        if (restorePath != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restorePath);
        }
        // Progress lines read source metrics through the REST API, which refreshes them every 10 s by default.
        conf.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, java.time.Duration.ofSeconds(2));
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(RestOptions.PORT, webUiPort);
        conf.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
        conf.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
        conf.set(TaskManagerOptions.HOST, "127.0.0.1");
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, parallelism);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
        env.setParallelism(parallelism);
        return env;
    }
}
