package io.recolens.interop;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code io.recolens.demo.SampleWarehouse} (the real Flink job, batch mode) in a forked JVM on the demo
 * module's runtime classpath and reads back the {@code expected.json} it writes.
 *
 * <p>A fork because Flink and Spark cannot share one classpath (slf4j, Jackson, Guava, netty versions).
 */
final class SampleWarehouseFork {

    private static final long TIMEOUT_MINUTES = 5;

    /** What {@code expected.json} holds: the answers per query file and the values of the queries' placeholders. */
    record Expected(Map<String, List<Map<String, Object>>> answers, Map<String, String> placeholders) {}

    private SampleWarehouseFork() {}

    /**
     * Forks {@code java <flink opens> -cp demo/target/classes:<runtime classpath> io.recolens.demo.SampleWarehouse
     * --requests N --expected work/expected.json --catalog.<key> value ...}; the log goes to {@code work/sample-warehouse.log}.
     */
    @SuppressWarnings("unchecked")
    static Expected run(Path work, int requests, Map<String, String> catalog) throws Exception {
        Path repo = SqlFiles.repoDir();
        Path classpathFile = repo.resolve("demo/target/runtime-classpath.txt");
        if (!Files.isRegularFile(classpathFile)) {
            fail(classpathFile + " is missing: run mvn package first (the demo module writes it at package; "
                    + "mvn verify from the repository root does both in order)");
        }
        String classpath = repo.resolve("demo/target/classes") + File.pathSeparator
                + Files.readString(classpathFile, StandardCharsets.UTF_8).strip();
        Files.createDirectories(work);
        Path expectedFile = work.resolve("expected.json");
        // A stale file from an earlier run must not pass for this run's answers.
        Files.deleteIfExists(expectedFile);

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String opens = System.getProperty("recolens.flink.java.opens", "");
        Arrays.stream(opens.trim().split("\\s+")).filter(s -> !s.isEmpty()).forEach(command::add);
        command.add("-Xmx1g");
        command.add("-Dlog4j.configurationFile=" + repo.resolve("demo/src/main/resources/log4j2-demo.properties").toUri());
        command.addAll(List.of("-cp", classpath, "io.recolens.demo.SampleWarehouse",
                "--requests", Integer.toString(requests),
                "--expected", expectedFile.toString()));
        catalog.forEach((key, value) -> {
            if (!key.startsWith("catalog.")) {
                throw new IllegalArgumentException("not a catalog key: " + key);
            }
            command.add("--" + key);
            command.add(value);
        });

        Path log = work.resolve("sample-warehouse.log");
        long t0 = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("SampleWarehouse did not finish within " + TIMEOUT_MINUTES + " min; log: " + log);
        }
        if (process.exitValue() != 0 || !Files.isRegularFile(expectedFile)) {
            fail("SampleWarehouse failed (exit " + process.exitValue() + "); last lines of " + log + ":\n" + tail(log, 40));
        }
        System.out.printf("SampleWarehouse (%s, %d requests) took %d ms%n", catalog.getOrDefault("catalog.type", "hadoop"),
                requests, (System.nanoTime() - t0) / 1_000_000);

        Map<String, Object> expected = new ObjectMapper().readValue(expectedFile.toFile(), new TypeReference<Map<String, Object>>() {});
        return new Expected((Map<String, List<Map<String, Object>>>) expected.get("queries"),
                new LinkedHashMap<>((Map<String, String>) expected.get("placeholders")));
    }

    /**
     * Runs another main class of the demo module (e.g. {@code io.recolens.demo.ForgetCommand}) the same way, forked on
     * its classpath; returns its output and fails the test if it does not exit with 0 within the timeout.
     */
    static String runDemoMain(Path work, String mainClass, List<String> args, String logName) throws Exception {
        Path repo = SqlFiles.repoDir();
        String classpath = repo.resolve("demo/target/classes") + File.pathSeparator
                + Files.readString(repo.resolve("demo/target/runtime-classpath.txt"), StandardCharsets.UTF_8).strip();
        Files.createDirectories(work);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Arrays.stream(System.getProperty("recolens.flink.java.opens", "").trim().split("\\s+")).filter(s -> !s.isEmpty()).forEach(command::add);
        command.add("-Xmx1g");
        command.add("-Dlog4j.configurationFile=" + repo.resolve("demo/src/main/resources/log4j2-demo.properties").toUri());
        command.addAll(List.of("-cp", classpath, mainClass));
        command.addAll(args);
        Path log = work.resolve(logName);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail(mainClass + " did not finish within " + TIMEOUT_MINUTES + " min; log: " + log);
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            fail(mainClass + " failed (exit " + process.exitValue() + "):\n" + tail(log, 40));
        }
        return out;
    }

    private static String tail(Path log, int lines) throws IOException {
        List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** Deletes {@code dir} and everything in it, if it exists: each run starts from an empty catalog. */
    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
