package io.recolens.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

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
        long deadline = System.currentTimeMillis() + 10 * 60_000L;
        while (System.currentTimeMillis() < deadline) {
            JsonNode s = rest.get("/jobs/" + job + "/savepoints/" + trigger);
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
            Thread.sleep(500);
        }
        System.err.println("recolens: the savepoint did not complete within 10 minutes; the job keeps running");
        System.exit(1);
    }
}
