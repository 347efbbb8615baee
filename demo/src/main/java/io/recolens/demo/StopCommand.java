package io.recolens.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.recolens.jobs.restore.RestorePoints;

/**
 * {@code bin/recolens stop [--drain] [--port P] [--checkpoint-dir DIR]}: stops the job of a local
 * {@code bin/recolens run} with a savepoint (under DIR/savepoints, where the next run finds it) and prints
 * its path; the runner exits once its job has ended. {@code --drain} first closes every trace, attribution
 * window and aggregate (end of event time) - for a last stop, not for an upgrade.
 */
public final class StopCommand {
    private StopCommand() {}

    public static void main(String[] args) throws Exception {
        int port = 8081;
        boolean drain = false;
        Path checkpoints = Path.of(".recolens", "checkpoints");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--drain" -> drain = true;
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--checkpoint-dir" -> checkpoints = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: bin/recolens stop [--drain] [--port P] [--checkpoint-dir DIR]");
                    System.exit(2);
                }
            }
        }
        FlinkRest rest = new FlinkRest(port);
        List<String> running;
        try {
            running = rest.runningJobs();
        } catch (java.io.IOException e) {
            System.err.println("recolens: no local Flink answers on 127.0.0.1:" + port + " (" + e.getMessage() + ")");
            System.exit(1);
            return;
        }
        if (running.size() != 1) {
            System.err.println("recolens: expected one running job on 127.0.0.1:" + port + ", found " + running);
            System.exit(1);
        }
        String job = running.get(0);
        String target = checkpoints.resolve("savepoints").toAbsolutePath().toUri().toString();
        System.out.printf("recolens: stopping job %s with a savepoint%s into %s%n", job, drain ? " (drain)" : "", target);
        String trigger = rest.post("/jobs/" + job + "/stop", Map.of("targetDirectory", target, "drain", drain)).path("request-id").asText();
        long triggeredAt = System.currentTimeMillis();
        long deadline = triggeredAt + 10 * 60_000L;
        while (System.currentTimeMillis() < deadline) {
            JsonNode s;
            try {
                s = rest.get("/jobs/" + job + "/savepoints/" + trigger);
            } catch (java.io.IOException e) {
                // The runner exits as soon as its job has ended, which may be before this poll: the savepoint
                // is then the one of this job written since the trigger.
                Optional<RestorePoints.RestorePoint> written = savepointOf(job, target, triggeredAt);
                if (written.isPresent()) {
                    System.out.println("recolens: savepoint " + written.get().path());
                    System.out.println("recolens: the job has ended and the runner exited; the next 'bin/recolens run' resumes from this savepoint");
                    return;
                }
                System.err.println("recolens: lost the connection to 127.0.0.1:" + port + " before the savepoint completed: " + e);
                System.exit(1);
                return;
            }
            if ("COMPLETED".equals(s.path("status").path("id").asText())) {
                JsonNode op = s.path("operation");
                if (op.has("location")) {
                    System.out.println("recolens: savepoint " + op.path("location").asText());
                    System.out.println("recolens: the runner exits when its job has ended; the next 'bin/recolens run' resumes from this savepoint");
                    return;
                }
                System.err.println("recolens: stop failed: " + op.path("failure-cause").path("stack-trace").asText(op.toString()).lines().findFirst().orElse(""));
                System.exit(1);
            }
            Thread.sleep(200);
        }
        System.err.println("recolens: the savepoint did not complete within 10 minutes; the job keeps running");
        System.exit(1);
    }

    /** Flink names a savepoint folder savepoint-<first 6 hex digits of the job ID>-<random>. */
    static Optional<RestorePoints.RestorePoint> savepointOf(String jobId, String dir, long notBeforeMs) {
        String prefix = "savepoint-" + jobId.substring(0, 6) + "-";
        return RestorePoints.list(dir).stream()
                .filter(p -> p.kind() == RestorePoints.Kind.SAVEPOINT && p.owner().startsWith(prefix) && p.completedAtMs() >= notBeforeMs - 2_000)
                .findFirst();
    }
}
