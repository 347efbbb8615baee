package io.recolens.demo;

import io.recolens.jobs.RecolensJob;
import io.recolens.jobs.config.ConfigReader;
import io.recolens.jobs.config.FlinkOptions;
import io.recolens.jobs.config.JobSettings;
import io.recolens.jobs.config.RecolensOptions;
import io.recolens.jobs.restore.RestorePoints;
import io.recolens.jobs.restore.StartGuard;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code bin/recolens run|backfill}: the production job on a local Flink with its web UI, against real Kafka
 * and a real catalog, and exits when the job ends (0 when it finished or was stopped with a savepoint).
 * Accepts the job's options plus {@code --port} (web UI, default 8081), {@code --parallelism} (default 2),
 * {@code --checkpoint-dir} (default .recolens/checkpoints), and in streaming {@code --restore PATH} or
 * {@code --fresh}; without either, a streaming run resumes from the newest checkpoint or savepoint under the
 * checkpoint directory. Checkpoints are retained when the job is cancelled or the process dies.
 */
public final class LocalRunner {
    private static final long PROGRESS_EVERY_MS = 3_000;

    private LocalRunner() {}

    /** Parsed runner flags; everything else goes to the job. */
    record Flags(int port, int parallelism, Path checkpoints, String restore, boolean fresh, List<String> jobArgs) {
        static Flags parse(String[] args) {
            int port = 8081;
            int parallelism = 2;
            Path checkpoints = Path.of(".recolens", "checkpoints");
            String restore = null;
            boolean fresh = false;
            List<String> jobArgs = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--port" -> port = Integer.parseInt(args[++i]);
                    case "--parallelism" -> parallelism = Integer.parseInt(args[++i]);
                    case "--checkpoint-dir" -> checkpoints = Path.of(args[++i]);
                    case "--restore" -> restore = args[++i];
                    case "--fresh" -> fresh = true;
                    default -> jobArgs.add(args[i]);
                }
            }
            if (fresh && restore != null) {
                throw new IllegalArgumentException("recolens: --restore and --fresh exclude each other");
            }
            if (fresh) {
                // A deliberate start without state: the job's guard must not refuse it.
                jobArgs.add("--" + RecolensOptions.RESTORE_REQUIRE_STATE.key());
                jobArgs.add("false");
            }
            return new Flags(port, parallelism, checkpoints.toAbsolutePath(), restore, fresh, jobArgs);
        }
    }

    public static void main(String[] args) throws Exception {
        Flags flags;
        JobSettings settings;
        String restore = null;
        try {
            flags = Flags.parse(args);
            settings = JobSettings.from(ConfigReader.fromArgs(flags.jobArgs().toArray(String[]::new)), System.getenv());
            if (!settings.batch()) restore = chooseRestore(flags);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        System.out.printf("recolens %s on a local Flink: web UI http://127.0.0.1:%d%n", settings.mode.name().toLowerCase(), flags.port());
        StreamExecutionEnvironment env = LocalFlink.environment(flags.port(), flags.parallelism(), flags.checkpoints(), restore,
                settings.flinkOptions);
        // The same defaults a cluster submission gets (RocksDB, retained filesystem checkpoints) where flink.* says nothing.
        env.configure(FlinkOptions.productionDefaults(settings.mode, settings.flinkOptions, env.getConfiguration()));
        RunSummary summary = new RunSummary(settings);
        try {
            RecolensJob.build(settings, env);
        } catch (StartGuard.StateRequiredException e) {
            System.err.println(e.getMessage());
            System.exit(3);
            return;
        }
        JobClient job = env.executeAsync(RecolensJob.jobName(settings));
        System.out.println("recolens: job " + job.getJobID() + (settings.batch() ? "" : "; checkpoints in " + flags.checkpoints()
                + "; stop with: bin/recolens stop [--drain] --port " + flags.port()));
        long total = -1;
        if (settings.batch()) {
            total = settings.input == RecolensOptions.InputKind.KAFKA ? InputSize.kafkaRecords(settings) : -1;
            if (settings.input == RecolensOptions.InputKind.ARCHIVE) {
                System.out.println("recolens: reading the raw archive (raw_impressions, raw_clicks, raw_spans) in namespace "
                        + settings.archiveCatalogProperties.getOrDefault("namespace", "recolens"));
            }
            if (settings.input == RecolensOptions.InputKind.FILES) {
                System.out.printf("recolens: reading %,d bytes of files under %s%n", InputSize.fileBytes(settings.inputPath), settings.inputPath);
            }
        }
        long read = awaitEnd(job, new FlinkRest(flags.port()), settings.batch(), total);
        // A finished bounded run has read everything up to its stopping offsets; the metrics of sources that
        // finished between two polls are gone, so the total is the better count then.
        System.exit(finish(job, summary, total >= 0 ? total : read));
    }

    /** Where a streaming run restores from, said out loud; null for a start without state. */
    static String chooseRestore(Flags flags) {
        if (flags.restore() != null) {
            String path = RestorePoints.resolve(Path.of(flags.restore()).toAbsolutePath().toUri().toString());
            System.out.println("recolens: restoring from " + path + " (--restore)");
            return path;
        }
        if (flags.fresh()) {
            System.out.println("recolens: starting fresh on purpose (--fresh): no state is restored");
            return null;
        }
        Optional<RestorePoints.RestorePoint> newest = RestorePoints.newest(flags.checkpoints().toUri().toString());
        if (newest.isPresent()) {
            System.out.println("recolens: restoring from " + newest.get().path() + " (" + newest.get().describe() + ")");
            return newest.get().path();
        }
        System.out.println("recolens: starting fresh: no completed checkpoint or savepoint under " + flags.checkpoints());
        return null;
    }

    /** Waits for the job to end, printing read progress every few seconds in batch; returns the last records-read count. */
    private static long awaitEnd(JobClient job, FlinkRest rest, boolean batch, long total) throws Exception {
        long started = System.currentTimeMillis();
        long read = -1;
        java.util.Map<String, Long> perSource = new java.util.HashMap<>();
        var result = job.getJobExecutionResult();
        while (true) {
            try {
                result.get(batch ? PROGRESS_EVERY_MS : 60_000, TimeUnit.MILLISECONDS);
                return read;
            } catch (java.util.concurrent.TimeoutException e) {
                if (!batch) continue;
                try {
                    rest.inputRecordsRead(job.getJobID().toHexString()).forEach((id, n) -> perSource.merge(id, n, Math::max));
                    if (!perSource.isEmpty()) read = perSource.values().stream().mapToLong(Long::longValue).sum();
                } catch (java.io.IOException | RuntimeException ignored) {
                    // Metrics come and go while tasks deploy or finish; the next poll tries again.
                }
                System.out.println("recolens: " + ReadProgress.line(read, total, System.currentTimeMillis() - started));
            } catch (ExecutionException e) {
                return read;
            }
        }
    }

    /** Prints how the job ended and the run's summary; the exit code. */
    private static int finish(JobClient job, RunSummary summary, long read) {
        JobStatus status;
        try {
            status = job.getJobStatus().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            status = null;
        }
        Throwable failure = null;
        try {
            job.getJobExecutionResult().get();
        } catch (Exception e) {
            failure = e;
        }
        if (failure == null) {
            System.out.println("recolens: job " + job.getJobID() + " finished");
            summary.print(System.out, read);
            return 0;
        }
        if (status == JobStatus.CANCELED) {
            System.out.println("recolens: job " + job.getJobID() + " was cancelled; its last checkpoint is retained and the next run resumes from it");
            return 130;
        }
        System.err.println("recolens: job " + job.getJobID() + " failed: " + rootMessage(failure));
        return 1;
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) t = t.getCause();
        return t.toString();
    }
}
