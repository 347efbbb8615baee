package io.recolens.demo;

import io.recolens.clustertestkit.StandaloneCluster;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code bin/recolens cluster up [--port P] [--slots N] [--dir DIR] | down [--dir DIR]}: a standalone Flink 2.1 session
 * cluster on 127.0.0.1 for users without Kubernetes - a JobManager and a TaskManager as background JVMs, with pid
 * files, logs, checkpoints and savepoints under DIR (default .recolens/cluster). Submit to it with
 * {@code bin/recolens submit --cluster http://127.0.0.1:P}.
 */
public final class ClusterCommand {
    private ClusterCommand() {}

    static final String USAGE = "usage: bin/recolens cluster up [--port P] [--slots N] [--dir DIR] | down [--dir DIR]";

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !List.of("up", "down").contains(args[0])) {
            System.err.println(USAGE);
            System.exit(2);
        }
        int port = 8081;
        int slots = 2;
        Path dir = Path.of(".recolens", "cluster");
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--slots" -> slots = Integer.parseInt(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                default -> {
                    System.err.println(USAGE);
                    System.exit(2);
                }
            }
        }
        if (args[0].equals("down")) {
            int stopped = StandaloneCluster.stop(dir);
            System.out.println(stopped == 0 ? "recolens: no cluster runs from " + dir.toAbsolutePath()
                    : "recolens: stopped " + stopped + " cluster process(es) of " + dir.toAbsolutePath());
            return;
        }
        List<Long> running = StandaloneCluster.running(dir);
        if (!running.isEmpty()) {
            System.err.println("recolens: a cluster already runs from " + dir.toAbsolutePath() + " (pids " + running + "); bin/recolens cluster down stops it");
            System.exit(1);
        }
        System.out.println("recolens: starting a JobManager and a TaskManager on 127.0.0.1 ...");
        StandaloneCluster cluster = StandaloneCluster.start(StandaloneCluster.Settings.in(dir).withRestPort(port).withSlots(slots));
        // Not closed: the processes outlive this JVM (their output goes to files) until 'cluster down'.
        System.out.printf("recolens: cluster up: web UI and REST API %s (JobManager pid %d, TaskManager pid %d, %d slots)%n",
                cluster.restUrl(), cluster.jobManager().pid(), cluster.taskManagers().get(0).pid(), slots);
        System.out.printf("recolens: logs, checkpoints and savepoints under %s; submit with: bin/recolens submit --cluster %s --config FILE%n",
                cluster.dir(), cluster.restUrl());
        System.exit(0);
    }
}
