package io.recolens.demo;

import io.recolens.clustertestkit.ClusterRest;
import io.recolens.jobs.RecolensJob;
import io.recolens.jobs.config.ConfigReader;
import io.recolens.jobs.config.JobSettings;
import io.recolens.jobs.config.RecolensOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code bin/recolens submit --cluster URL [--savepoint PATH] [--parallelism N] [--wait] --config FILE [--key value ...]}:
 * checks the configuration here, uploads the shaded job jar to a running Flink 2.1 cluster through its REST API and runs
 * it with the configuration as program arguments (the cluster needs no copy of the file). {@code --wait} waits for the
 * job to end (a backfill) and exits non-zero unless it finished.
 */
public final class SubmitCommand {
    private SubmitCommand() {}

    static final String USAGE = "usage: bin/recolens submit --cluster URL [--savepoint PATH] [--parallelism N] [--wait] --config FILE [--key value ...]";

    /** Parsed submit flags; the job's options flattened into {@code --key value} pairs. */
    record Flags(URI cluster, Path jar, String savepoint, Integer parallelism, boolean await, List<String> jobArgs) {
        static Flags parse(String[] args) throws IOException {
            URI cluster = null;
            Path jar = null;
            String savepoint = null;
            Integer parallelism = null;
            boolean await = false;
            Path config = null;
            Map<String, String> flags = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--cluster" -> cluster = URI.create(value(args, ++i, a));
                    case "--jar" -> jar = Path.of(value(args, ++i, a));
                    case "--savepoint" -> savepoint = restorePath(value(args, ++i, a));
                    case "--parallelism" -> parallelism = Integer.parseInt(value(args, ++i, a));
                    case "--wait" -> await = true;
                    case "--config" -> config = Path.of(value(args, ++i, a));
                    default -> {
                        if (!a.startsWith("--")) throw new IllegalArgumentException("recolens: unexpected argument '" + a + "'\n" + USAGE);
                        String key = a.substring(2);
                        int eq = key.indexOf('=');
                        if (eq >= 0) {
                            flags.put(key.substring(0, eq), key.substring(eq + 1));
                        } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                            flags.put(key, args[++i]);
                        } else {
                            flags.put(key, "true");
                        }
                    }
                }
            }
            if (cluster == null) throw new IllegalArgumentException("recolens: --cluster URL is required (e.g. http://127.0.0.1:8081)\n" + USAGE);
            if (jar == null) throw new IllegalArgumentException("recolens: no job jar: build it with mvn package (jobs/target/recolens-jobs-*-job.jar)");
            Map<String, String> options = new LinkedHashMap<>();
            if (config != null) {
                Properties p = new Properties();
                try (InputStream in = Files.newInputStream(config)) {
                    p.load(in);
                }
                p.stringPropertyNames().stream().sorted().forEach(k -> options.put(k, p.getProperty(k).trim()));
            }
            options.putAll(flags);
            if (options.containsKey(RecolensOptions.UNIT_KEY_SECRET.key())) {
                // Program arguments show in the web UI and the REST API: the key must come from the cluster's environment.
                throw new IllegalArgumentException("recolens: refusing to submit " + RecolensOptions.UNIT_KEY_SECRET.key()
                        + " as a program argument (the Flink web UI shows those); set " + RecolensOptions.UNIT_KEY_ENV
                        + " in the JobManager's environment instead (docs/deployment.md)");
            }
            List<String> jobArgs = new ArrayList<>();
            options.forEach((k, v) -> {
                jobArgs.add("--" + k);
                jobArgs.add(v);
            });
            return new Flags(cluster, jar, savepoint, parallelism, await, jobArgs);
        }

        private static String value(String[] args, int i, String flag) {
            if (i >= args.length) throw new IllegalArgumentException("recolens: " + flag + " needs a value\n" + USAGE);
            return args[i];
        }

        /** A local folder becomes an absolute file URI (the cluster does not share our working directory); URIs pass as given. */
        private static String restorePath(String p) {
            if (p.contains("://") || p.startsWith("file:")) return p;
            return Path.of(p).toAbsolutePath().normalize().toUri().toString();
        }
    }

    public static void main(String[] args) throws Exception {
        Flags flags;
        try {
            flags = Flags.parse(args);
            // Checked here so a typo fails before a 100 MB upload; the key itself is read on the cluster.
            Map<String, String> env = new HashMap<>(System.getenv());
            env.putIfAbsent(RecolensOptions.UNIT_KEY_ENV, "checked-on-the-cluster-not-here");
            JobSettings.from(ConfigReader.fromArgs(flags.jobArgs().toArray(String[]::new)), env);
        } catch (IllegalArgumentException | IOException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        ClusterRest rest = new ClusterRest(flags.cluster());
        try {
            System.out.printf("recolens: uploading %s (%d MB) to %s%n", flags.jar().getFileName(), Files.size(flags.jar()) >> 20, flags.cluster());
            String jarId = rest.uploadJar(flags.jar());
            String job = rest.runJar(jarId, RecolensJob.class.getName(), flags.jobArgs(), flags.parallelism(), flags.savepoint());
            System.out.printf("recolens: job %s submitted%s; web UI %s/#/job/running/%s/overview%n", job,
                    flags.savepoint() == null ? "" : " restoring " + flags.savepoint(), flags.cluster(), job);
            if (!flags.await()) return;
            String state = rest.jobStatus(job);
            while (!List.of("FINISHED", "FAILED", "CANCELED", "SUSPENDED").contains(state)) {
                Thread.sleep(1000);
                state = rest.jobStatus(job);
            }
            System.out.printf("recolens: job %s %s%n", job, state);
            if (!state.equals("FINISHED")) System.exit(1);
        } catch (IOException e) {
            System.err.println("recolens: " + e.getMessage());
            System.exit(1);
        }
    }
}
