package io.recolens.jobs.it.faults;

import io.recolens.jobs.RecolensJob;
import io.recolens.jobs.config.ConfigReader;
import io.recolens.jobs.config.JobSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Test-only entry point for a child JVM that a test can kill -9: runs the streaming job on a local cluster
 * with retained checkpoints (restoring from {@code -Dchild.restore-from} when given), writes its job ID, and
 * stops with drain when the {@code -Dchild.stop-marker} file appears. Job options come as {@code --key value}.
 */
public final class RestorableJobMain {
    private RestorableJobMain() {}

    public static void main(String[] args) throws Exception {
        JobSettings settings = JobSettings.from(ConfigReader.fromArgs(args), System.getenv());
        Path checkpoints = Path.of(System.getProperty("child.checkpoint-dir"));
        Path stopMarker = Path.of(System.getProperty("child.stop-marker"));
        Path jobIdFile = Path.of(System.getProperty("child.job-id-file"));
        String restoreFrom = System.getProperty("child.restore-from", "");

        Configuration conf = RecolensJob.flinkConfiguration(settings);
        conf.setString("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
        conf.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
        conf.setString("execution.checkpointing.num-retained", "3");
        conf.setString("restart-strategy.type", "fixed-delay");
        conf.setString("restart-strategy.fixed-delay.attempts", "3");
        conf.setString("restart-strategy.fixed-delay.delay", "500 ms");
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.BIND_PORT, "0");
        if (!restoreFrom.isEmpty()) conf.setString("execution.state-recovery.path", restoreFrom);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(Integer.getInteger("child.parallelism", 2));
        RecolensJob.build(settings, env);
        JobClient job = env.executeAsync(RecolensJob.jobName(settings));
        Files.writeString(jobIdFile, job.getJobID().toString());
        while (!Files.exists(stopMarker)) {
            if (job.getJobStatus().get().isGloballyTerminalState()) {
                System.err.println("job ended before it was stopped: " + job.getJobStatus().get());
                System.exit(1);
            }
            Thread.sleep(200);
        }
        String savepoint = job.stopWithSavepoint(true, checkpoints.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL).get();
        System.out.println("stopped with drain, savepoint " + savepoint);
        // A local cluster's threads would keep the JVM alive after the job ends.
        System.exit(0);
    }
}
