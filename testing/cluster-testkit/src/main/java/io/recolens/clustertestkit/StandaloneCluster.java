package io.recolens.clustertestkit;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A standalone Flink session cluster on 127.0.0.1: one JobManager and any number of TaskManagers, each its own JVM
 * started from the Flink artifacts (the classes of Flink's distribution), with a config.yaml in its own folder.
 *
 * <p>Folder layout: {@code conf/} (config.yaml, log4j), {@code log/} (one .log and one .out per process),
 * {@code checkpoints/}, {@code savepoints/}, {@code pids/} (one file per process, for {@link #stop(Path)}).
 */
public final class StandaloneCluster implements AutoCloseable {
    public static final String JOB_MANAGER_MAIN = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    public static final String TASK_MANAGER_MAIN = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";

    /**
     * What Flink 2.1's distribution passes on Java 17 (env.java.opts.all); the same list as the parent pom's
     * flink.java.opens (a test checks), so the cluster behaves as a packaged one would.
     */
    public static final List<String> FLINK_JAVA_OPENS = List.of(
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    /**
     * What to start.
     *
     * @param dir the cluster's folder (configuration, logs, checkpoints, savepoints, pid files)
     * @param restPort REST API and web UI port; 0 picks a free one
     * @param slots task slots per TaskManager (and CPU cores it declares)
     * @param flinkConfig extra Flink settings, over the defaults of {@link #flinkConfig}
     * @param environment extra environment variables of every process (the job's main() runs in the JobManager)
     */
    public record Settings(Path dir, int restPort, int slots, Map<String, String> flinkConfig, Map<String, String> environment) {
        public static Settings in(Path dir) {
            return new Settings(dir, 0, 2, Map.of(), Map.of());
        }

        public Settings withRestPort(int port) {
            return new Settings(dir, port, slots, flinkConfig, environment);
        }

        public Settings withSlots(int n) {
            return new Settings(dir, restPort, n, flinkConfig, environment);
        }

        public Settings withFlinkConfig(Map<String, String> config) {
            return new Settings(dir, restPort, slots, config, environment);
        }

        public Settings withEnvironment(Map<String, String> env) {
            return new Settings(dir, restPort, slots, flinkConfig, env);
        }
    }

    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    private final Settings settings;
    private final Path dir;
    private final int restPort;
    private final Process jobManager;
    private final List<Process> taskManagers = new ArrayList<>();
    /** Resource IDs (taskmanager-N), as the REST API lists them. */
    private final Map<Process, String> taskManagerIds = new LinkedHashMap<>();
    private int taskManagersStarted;

    private StandaloneCluster(Settings settings, Path dir, int restPort, Process jobManager) {
        this.settings = settings;
        this.dir = dir;
        this.restPort = restPort;
        this.jobManager = jobManager;
    }

    /** Starts the JobManager and one TaskManager and returns once the TaskManager has registered. */
    public static StandaloneCluster start(Settings settings) throws IOException, InterruptedException {
        Path dir = settings.dir().toAbsolutePath();
        for (String sub : List.of("conf", "log", "pids", "tmp", "uploads")) Files.createDirectories(dir.resolve(sub));
        int restPort = settings.restPort() == 0 ? freePort() : settings.restPort();
        Map<String, String> config = flinkConfig(dir, restPort, freePort(), settings.slots());
        config.putAll(settings.flinkConfig());
        Files.writeString(dir.resolve("conf/config.yaml"), configYaml(config));
        Files.writeString(dir.resolve("conf/log4j.properties"), LOG4J);
        Process jm = launch(dir, "jobmanager", JOB_MANAGER_MAIN, List.of("-Xms1g", "-Xmx1g"), settings.environment(), List.of());
        StandaloneCluster cluster = new StandaloneCluster(settings, dir, restPort, jm);
        try {
            // The TaskManager starts alongside and retries until the JobManager answers: faster than one after the other.
            cluster.launchTaskManager();
            cluster.awaitJobManager();
            cluster.awaitTaskManagers();
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** The REST API and web UI. */
    public URI restUrl() {
        return URI.create("http://127.0.0.1:" + restPort);
    }

    public Path dir() {
        return dir;
    }

    public Process jobManager() {
        return jobManager;
    }

    /** TaskManagers started and still alive, oldest first. */
    public List<Process> taskManagers() {
        return taskManagers.stream().filter(Process::isAlive).toList();
    }

    /** Starts one more TaskManager and returns once the JobManager lists every live TaskManager. */
    public Process startTaskManager() throws IOException, InterruptedException {
        Process tm = launchTaskManager();
        awaitTaskManagers();
        return tm;
    }

    private Process launchTaskManager() throws IOException {
        int n = ++taskManagersStarted;
        Process tm = launch(dir, "taskmanager-" + n, TASK_MANAGER_MAIN, taskManagerJvm(), settings.environment(),
                List.of("-D", "taskmanager.resource-id=taskmanager-" + n));
        taskManagers.add(tm);
        taskManagerIds.put(tm, "taskmanager-" + n);
        return tm;
    }

    private void awaitTaskManagers() throws InterruptedException {
        ClusterRest rest = new ClusterRest(restUrl());
        List<Process> live = taskManagers();
        await(live.size() + " TaskManager(s) to register", () -> {
            for (Process tm : live) {
                if (!tm.isAlive()) {
                    throw new IllegalStateException(taskManagerIds.get(tm) + " exited:\n" + tail(dir.resolve("log/" + taskManagerIds.get(tm) + ".log")));
                }
            }
            // By ID: a killed TaskManager stays listed until the JobManager notices it is gone.
            return rest.taskManagerIds().containsAll(live.stream().map(taskManagerIds::get).toList());
        });
    }

    /** Kills a TaskManager's JVM at once, like a lost machine (SIGKILL: no shutdown hook, no clean disconnect). */
    public void killTaskManager(Process tm) throws InterruptedException {
        tm.destroyForcibly();
        tm.waitFor();
    }

    /** Stops every process of this cluster (TaskManagers first). */
    @Override
    public void close() {
        List<Process> all = new ArrayList<>(taskManagers);
        all.add(jobManager);
        for (Process p : all) p.destroy();
        for (Process p : all) {
            try {
                if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<Path> pids = Files.list(dir.resolve("pids"))) {
            for (Path p : pids.toList()) Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // only bookkeeping for stop(dir)
        }
    }

    /**
     * Stops the processes whose pid files lie under {@code dir/pids} (a cluster started by another JVM), TaskManagers
     * first; a pid whose process is gone or is no longer a Flink JVM is skipped. Returns how many processes it stopped.
     */
    public static int stop(Path dir) throws IOException, InterruptedException {
        Path pids = dir.toAbsolutePath().resolve("pids");
        if (!Files.isDirectory(pids)) return 0;
        List<Path> files;
        try (Stream<Path> s = Files.list(pids)) {
            // "jobmanager" sorts before "taskmanager-": reversed, TaskManagers go first and do not try to reconnect for long.
            files = s.filter(p -> p.toString().endsWith(".pid")).sorted((a, b) -> b.getFileName().compareTo(a.getFileName())).toList();
        }
        int stopped = 0;
        for (Path file : files) {
            long pid = Long.parseLong(Files.readString(file).trim());
            Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(StandaloneCluster::isFlinkProcess);
            if (handle.isPresent()) {
                handle.get().destroy();
                // Polled rather than onExit(): a process whose parent (cluster up) has exited may stay a zombie here
                // until some init reaps it, and a zombie counts as alive; its /proc cmdline is empty, though.
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (handle.get().isAlive() && isFlinkProcess(handle.get()) && System.nanoTime() < deadline) Thread.sleep(100);
                if (handle.get().isAlive() && isFlinkProcess(handle.get())) handle.get().destroyForcibly();
                stopped++;
            }
            Files.delete(file);
        }
        return stopped;
    }

    /** The pids of the cluster under {@code dir} whose processes still run. */
    public static List<Long> running(Path dir) throws IOException {
        Path pids = dir.toAbsolutePath().resolve("pids");
        if (!Files.isDirectory(pids)) return List.of();
        List<Long> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(pids)) {
            for (Path file : s.filter(p -> p.toString().endsWith(".pid")).sorted().toList()) {
                long pid = Long.parseLong(Files.readString(file).trim());
                ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(StandaloneCluster::isFlinkProcess).ifPresent(h -> out.add(pid));
            }
        }
        return out;
    }

    private static boolean isFlinkProcess(ProcessHandle h) {
        // A pid can be reused after a reboot: only stop a JVM that runs one of the two entry points.
        // ProcessHandle.Info gives up on command lines as long as this class path: read /proc where there is one.
        String cmd;
        try {
            Path proc = Path.of("/proc", Long.toString(h.pid()), "cmdline");
            cmd = Files.exists(proc) ? Files.readString(proc, StandardCharsets.ISO_8859_1) : h.info().commandLine().orElse("");
        } catch (IOException e) {
            cmd = "";
        }
        return cmd.contains(JOB_MANAGER_MAIN) || cmd.contains(TASK_MANAGER_MAIN);
    }

    // ---- configuration ----

    /** The cluster's defaults: loopback only, known ports, retained checkpoints, explicit TaskManager memory. */
    static Map<String, String> flinkConfig(Path dir, int restPort, int rpcPort, int slots) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("jobmanager.rpc.address", "127.0.0.1");
        c.put("jobmanager.rpc.port", Integer.toString(rpcPort));
        c.put("jobmanager.bind-host", "127.0.0.1");
        c.put("taskmanager.host", "127.0.0.1");
        c.put("taskmanager.bind-host", "127.0.0.1");
        c.put("rest.address", "127.0.0.1");
        c.put("rest.bind-address", "127.0.0.1");
        c.put("rest.port", Integer.toString(restPort));
        // Ephemeral ports: two clusters on one machine (parallel test runs) must not collide on the defaults.
        c.put("blob.server.port", "0");
        c.put("taskmanager.rpc.port", "0");
        c.put("taskmanager.data.port", "0");
        // The shaded job jar is over 100 MiB, Flink's default upload limit.
        c.put("rest.server.max-content-length", Integer.toString(512 * 1024 * 1024));
        c.put("rest.client.max-content-length", Integer.toString(512 * 1024 * 1024));
        c.put("web.upload.dir", dir.resolve("uploads").toString());
        c.put("io.tmp.dirs", dir.resolve("tmp").toString());
        // A System.exit() in a submitted main() would otherwise end the JobManager.
        c.put("cluster.intercept-user-system-exit", "THROW");
        c.put("execution.checkpointing.dir", dir.resolve("checkpoints").toUri().toString());
        c.put("execution.checkpointing.savepoint-dir", dir.resolve("savepoints").toUri().toString());
        c.put("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
        // A lost TaskManager is noticed after two failed heartbeat calls, not after the 50 s default timeout.
        c.put("heartbeat.interval", "2 s");
        c.put("heartbeat.timeout", "30 s");
        c.put("metrics.fetcher.update-interval", "2 s");
        c.put("taskmanager.numberOfTaskSlots", Integer.toString(slots));
        c.put("taskmanager.cpu.cores", Integer.toString(slots));
        // Started without Flink's scripts, a TaskManager must be given every memory component explicitly.
        c.put("taskmanager.memory.framework.heap.size", "128m");
        c.put("taskmanager.memory.task.heap.size", "1g");
        c.put("taskmanager.memory.framework.off-heap.size", "128m");
        c.put("taskmanager.memory.task.off-heap.size", "256m");
        c.put("taskmanager.memory.managed.size", "256m");
        // A BATCH job's blocking exchanges need far more buffers than a streaming job: 64m failed it at parallelism 2.
        c.put("taskmanager.memory.network.min", "256m");
        c.put("taskmanager.memory.network.max", "256m");
        c.put("taskmanager.memory.jvm-metaspace.size", "256m");
        c.put("taskmanager.memory.jvm-overhead.min", "192m");
        c.put("taskmanager.memory.jvm-overhead.max", "192m");
        return c;
    }

    /** The JVM sizes Flink's scripts would derive from the memory settings above. */
    private static List<String> taskManagerJvm() {
        return List.of("-Xms1152m", "-Xmx1152m", "-XX:MaxDirectMemorySize=640m", "-XX:MaxMetaspaceSize=256m");
    }

    /** Flat {@code key: 'value'} lines, which Flink 2's config.yaml reads like nested keys. */
    static String configYaml(Map<String, String> config) {
        return config.entrySet().stream()
                .map(e -> e.getKey() + ": '" + e.getValue().replace("'", "''") + "'")
                .collect(Collectors.joining("\n", "# Written by recolens StandaloneCluster.\n", "\n"));
    }

    private static final String LOG4J = String.join("\n",
            "rootLogger.level = INFO",
            "rootLogger.appenderRef.main.ref = MainAppender",
            "appender.main.name = MainAppender",
            "appender.main.type = File",
            "appender.main.fileName = ${sys:log.file}",
            "appender.main.layout.type = PatternLayout",
            "appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n",
            "logger.metricgroup.name = org.apache.flink.metrics.MetricGroup",
            "logger.metricgroup.level = ERROR",
            "logger.kafka.name = org.apache.kafka",
            "logger.kafka.level = WARN",
            "logger.hadoop.name = org.apache.hadoop",
            "logger.hadoop.level = WARN",
            "");

    // ---- processes ----

    /** The jars of Flink's distribution, resolved by the build (see this module's pom). */
    static List<Path> flinkClasspath() {
        try (InputStream in = StandaloneCluster.class.getResourceAsStream("flink-dist.classpath")) {
            if (in == null) throw new IllegalStateException("flink-dist.classpath is missing: build the project (mvn package)");
            List<Path> jars = Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim().split(File.pathSeparator))
                    .map(Path::of).toList();
            List<Path> missing = jars.stream().filter(p -> !Files.exists(p)).toList();
            if (!missing.isEmpty()) {
                throw new IllegalStateException("Flink jars of the build are missing (rebuild with mvn package): " + missing.subList(0, 1));
            }
            return jars;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The java command of one cluster process. */
    static List<String> command(Path dir, String name, String main, List<String> jvm, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(FLINK_JAVA_OPENS);
        cmd.addAll(jvm);
        cmd.add("-Dlog.file=" + dir.resolve("log/" + name + ".log"));
        cmd.add("-Dlog4j.configurationFile=" + dir.resolve("conf/log4j.properties").toUri());
        cmd.add("-cp");
        cmd.add(flinkClasspath().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
        cmd.add(main);
        cmd.add("--configDir");
        cmd.add(dir.resolve("conf").toString());
        cmd.addAll(args);
        return cmd;
    }

    private static Process launch(Path dir, String name, String main, List<String> jvm, Map<String, String> env, List<String> args)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command(dir, name, main, jvm, args))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("log/" + name + ".out").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(env);
        Process p = pb.start();
        Files.writeString(dir.resolve("pids/" + name + ".pid"), Long.toString(p.pid()));
        return p;
    }

    private void awaitJobManager() throws InterruptedException {
        ClusterRest rest = new ClusterRest(restUrl());
        await("the JobManager's REST API on " + restUrl(), () -> {
            if (!jobManager.isAlive()) {
                throw new IllegalStateException("the JobManager exited:\n" + tail(dir.resolve("log/jobmanager.log")) + tail(dir.resolve("log/jobmanager.out")));
            }
            try {
                rest.get("/overview");
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    private interface Check {
        boolean holds() throws IOException, InterruptedException;
    }

    private static void await(String what, Check check) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try {
                if (check.holds()) return;
            } catch (IOException e) {
                // not up yet
            }
            if (System.nanoTime() > deadline) throw new IllegalStateException("timed out after " + START_TIMEOUT + " waiting for " + what);
            Thread.sleep(250);
        }
    }

    /** The last lines of a log, for error messages. */
    public static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())) + "\n";
        } catch (IOException e) {
            return "(no " + log + ")\n";
        }
    }

    /** A port free on 127.0.0.1 right now. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
