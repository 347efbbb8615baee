package io.recolens.demo;

import io.recolens.jobs.RecolensJob;
import io.recolens.jobs.config.ConfigReader;
import io.recolens.jobs.config.JobSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bin/recolens run|backfill}: the production job on a local Flink with its web UI, against real Kafka
 * and a real catalog. Accepts the job's options plus {@code --port} (web UI, default 8081) and
 * {@code --parallelism} (default 2) and {@code --checkpoint-dir} (default .recolens/checkpoints).
 */
public final class LocalRunner {
    private LocalRunner() {}

    public static void main(String[] args) throws Exception {
        int port = 8081;
        int parallelism = 2;
        java.nio.file.Path checkpoints = java.nio.file.Path.of(".recolens", "checkpoints");
        List<String> jobArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--parallelism" -> parallelism = Integer.parseInt(args[++i]);
                case "--checkpoint-dir" -> checkpoints = java.nio.file.Path.of(args[++i]);
                default -> jobArgs.add(args[i]);
            }
        }
        JobSettings settings;
        try {
            settings = JobSettings.from(ConfigReader.fromArgs(jobArgs.toArray(String[]::new)), System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        System.out.printf("recolens %s on a local Flink: web UI http://127.0.0.1:%d%n", settings.mode.name().toLowerCase(), port);
        RecolensJob.run(settings, LocalFlink.environment(port, parallelism, checkpoints));
    }
}
