package io.recolens.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts one {@link BenchChild} in its own JVM with this JVM's classpath and module opens, and times it from outside. */
final class ChildProcess {
    private ChildProcess() {}

    /** Every child gets the same heap, so peak-heap figures compare. */
    static final String CHILD_HEAP = "-Xmx4g";

    @SuppressWarnings("unchecked")
    static Map<String, Object> run(String kind, Map<String, String> spec, Path logs) throws Exception {
        Path result = logs.resolve(spec.get("name") + ".json");
        Files.deleteIfExists(result);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-opens") || arg.startsWith("--add-exports")) cmd.add(arg);
        }
        cmd.add(CHILD_HEAP);
        // e.g. RECOLENS_BENCH_JVM_OPTS="-XX:StartFlightRecording=filename=/tmp/run.jfr,settings=profile" to profile every run.
        String extra = System.getenv("RECOLENS_BENCH_JVM_OPTS");
        if (extra != null && !extra.isBlank()) cmd.addAll(List.of(extra.trim().split("\\s+")));
        cmd.add("-Dlog4j2.configurationFile=log4j2-demo.properties");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(BenchChild.class.getName());
        cmd.add(kind);
        spec.forEach((k, v) -> {
            cmd.add("--" + k);
            cmd.add(v);
        });
        cmd.add("--result");
        cmd.add(result.toString());
        File log = logs.resolve(spec.get("name") + ".log").toFile();
        long started = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
        int exit = p.waitFor();
        long wallMs = (System.nanoTime() - started) / 1_000_000;
        if (exit != 0 || !Files.exists(result)) {
            throw new IllegalStateException("bench run " + spec.get("name") + " failed (exit " + exit + "); see " + log);
        }
        Map<String, Object> r = new ObjectMapper().readValue(result.toFile(), Map.class);
        r.put("processWallMs", wallMs);
        return r;
    }
}
