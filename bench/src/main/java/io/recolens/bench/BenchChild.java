package io.recolens.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One measured run in its own JVM, started by {@link BenchMain}: {@code BenchChild <kind> --key value ... --result FILE}.
 * Writes what it measured about itself (time, CPU, peak heap) and what it computed (for the agreement check) as JSON.
 */
public final class BenchChild {
    private BenchChild() {}

    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        String kind = args[0];
        Map<String, String> spec = new LinkedHashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) spec.put(args[i].substring(2), args[i + 1]);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("kind", kind);
        Map<String, Object> computed = switch (kind) {
            case "pipeline-batch" -> PipelineRun.batch(spec, result);
            case "pipeline-streaming" -> PipelineRun.streaming(spec, result);
            case "decode" -> DecodeOnlyRun.run(spec, result);
            case "floor" -> FlinkFloorRun.run(spec, result);
            case "sql" -> SqlReferenceRun.run(spec, result);
            case "freshness" -> FreshnessRun.run(spec, result);
            default -> throw new IllegalArgumentException("unknown bench run " + kind);
        };
        result.putIfAbsent("measuredMs", (System.nanoTime() - started) / 1_000_000);
        result.put("cpuMs", processCpuMs());
        result.put("peakHeapBytes", peakHeapBytes());
        result.put("computed", computed);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(Path.of(spec.get("result")).toFile(), result);
        // Flink and Kafka leave non-daemon threads behind; the measurement is written, so end here.
        System.exit(0);
    }

    /** User + system CPU time of this JVM so far. */
    static long processCpuMs() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) return sun.getProcessCpuTime() / 1_000_000;
        return -1;
    }

    /** Sum of the heap pools' peak usage: an upper bound of the live heap at any one moment. */
    static long peakHeapBytes() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) peak += pool.getPeakUsage().getUsed();
        }
        return peak;
    }
}
