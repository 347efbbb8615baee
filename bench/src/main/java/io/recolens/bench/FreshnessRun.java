package io.recolens.bench;

import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.jobs.RecolensJob;
import io.recolens.jobs.config.JobSettings;
import io.recolens.jobs.pipeline.IcebergOutputs;
import io.recolens.simulator.KafkaTrafficSink;
import io.recolens.simulator.Pacer;
import io.recolens.simulator.SimulatorConfig;
import io.recolens.simulator.TrafficSimulator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Streaming freshness: the simulator sends live traffic (event time = wall time) at a set rate while the job runs;
 * every lineage row's commit time in Iceberg is compared with its impression's event time. The job runs with
 * short event-time waits (trace gap, attribution window, out-of-orderness); the net figure subtracts them, so what
 * remains is the pipeline's own delay: watermark propagation, the timers, and the checkpoint that commits.
 */
final class FreshnessRun {
    private FreshnessRun() {}

    static final long TRACE_GAP_MS = 1_000;
    static final long ATTRIBUTION_WINDOW_MS = 2_000;
    static final long OUT_OF_ORDERNESS_MS = 500;
    static final int WARM_UP_SECONDS = 30;

    static Map<String, Object> run(Map<String, String> spec, Map<String, Object> result) throws Exception {
        double rate = Double.parseDouble(spec.get("rate"));
        int seconds = Integer.parseInt(spec.get("seconds"));
        BenchTopics topics = new BenchTopics(spec.get("topics"));
        createTopics(spec.get("bootstrap"), topics.all(spec.get("encoding")), Integer.parseInt(spec.get("parallelism")));
        spec.put("job.trace.gap", TRACE_GAP_MS + " ms");
        spec.put("job.attribution.window", ATTRIBUTION_WINDOW_MS + " ms");
        spec.put("job.attribution.orphan-timeout", (ATTRIBUTION_WINDOW_MS + 1_000) + " ms");
        spec.put("job.watermark.out-of-orderness", OUT_OF_ORDERNESS_MS + " ms");
        spec.put("job.watermark.idleness", "5 s");
        spec.put("job.kafka.starting-offsets", "earliest");
        JobSettings settings = PipelineRun.settings(spec, "streaming");
        StreamExecutionEnvironment env = PipelineRun.environment(spec);
        RecolensJob.build(settings, env);
        JobClient job = env.executeAsync(RecolensJob.jobName(settings));
        // Live traffic starts once the job runs, so start-up is not counted as staleness.
        long deadline = System.currentTimeMillis() + 120_000;
        while (job.getJobStatus().get() != org.apache.flink.api.common.JobStatus.RUNNING && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        Thread.sleep(5_000);

        long start = System.currentTimeMillis();
        // No clicks beyond the attribution window and no duplicates: the simulator holds those back for up to ten
        // minutes (resp. 30 s) after the last request, and the traffic would not end within the measurement.
        SimulatorConfig live = SimulatorConfig.builder()
                .seed(7)
                .requests((int) Math.round(rate * (WARM_UP_SECONDS + seconds)))
                .requestsPerSecond(rate)
                .startEpochMs(start)
                .attributionWindowMs(ATTRIBUTION_WINDOW_MS)
                .meanClickDelayMs(300)
                .lateShare(0)
                .maxLatenessMs(0)
                .beyondWindowClickShare(0)
                .duplicateShare(0)
                .build();
        Thread traffic = new Thread(() -> {
            KafkaTrafficSink.Topics target = new KafkaTrafficSink.Topics(topics.impressions(), topics.clicks(), topics.spans(spec.get("encoding")));
            try (KafkaTrafficSink sink = new KafkaTrafficSink(spec.get("bootstrap"), target)) {
                new TrafficSimulator().run(live, sink, Pacer.wallClock(start, 1.0));
            } catch (IllegalStateException interrupted) {
                // stopped at the end of the measurement
            }
        }, "freshness-traffic");
        traffic.setDaemon(true);
        traffic.start();

        RecolensCatalog recolens = RecolensCatalog.fromProperties(settings.catalogProperties);
        Catalog catalog = recolens.open();
        Table lineage = catalog.loadTable(recolens.tableId(IcebergOutputs.LINEAGE_HISTORY));
        long waits = eventTimeWaitsMs();
        // Rows served during the warm-up are not counted: a job reported RUNNING may still be deploying its tasks and
        // opening state and writers, and the backlog it then works off is catch-up, not steady-state freshness.
        FreshnessProbe probe = new FreshnessProbe(lineage, start + WARM_UP_SECONDS * 1000L);
        long lastLog = System.currentTimeMillis();
        // Poll until the traffic has ended and its last rows had time to commit (a few checkpoints), within a bound.
        // (The first version took min(bound, sentUntil + 30 s) with sentUntil = Long.MAX_VALUE: the sum overflowed,
        // the loop never ran, and the probe read nothing.)
        long pollUntil = start + (WARM_UP_SECONDS + seconds) * 1000L + 180_000;
        boolean trafficEnded = false;
        while (System.currentTimeMillis() < pollUntil) {
            Thread.sleep(250);
            if (!trafficEnded && !traffic.isAlive()) {
                trafficEnded = true;
                pollUntil = Math.min(pollUntil, System.currentTimeMillis() + 30_000);
            }
            probe.poll();
            if (System.currentTimeMillis() - lastLog > 10_000) {
                lastLog = System.currentTimeMillis();
                System.err.printf("bench: freshness %,d lineage rows seen in %d commits%n", probe.delays().size(), probe.commits());
            }
        }
        traffic.interrupt();
        traffic.join(10_000);
        job.cancel().get();
        List<Long> raw = new ArrayList<>(probe.delays());
        raw.sort(null);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rateRequestsPerSecond", rate);
        out.put("warmUpSeconds", WARM_UP_SECONDS);
        out.put("lineageRowsSeen", raw.size());
        out.put("commitsSeen", probe.commits());
        out.put("trafficEndedInTime", trafficEnded);
        out.put("eventTimeWaitsMs", waits);
        out.put("checkpointInterval", PipelineRun.STREAMING_CHECKPOINT_INTERVAL);
        out.put("rawP50Ms", percentile(raw, 0.50));
        out.put("rawP99Ms", percentile(raw, 0.99));
        out.put("netP50Ms", percentile(raw, 0.50) - waits);
        out.put("netP99Ms", percentile(raw, 0.99) - waits);
        return out;
    }

    /**
     * What a lineage row waits by design, in event time: the trace closes {@code trace.gap} after its last record and
     * attribution ends {@code attribution.window} after served_at, both counted from about the same instant, so the
     * row waits for the later of the two (not their sum), plus the watermark's out-of-orderness. (Until 2026-11-30 the
     * bench subtracted the sum, 3.5 s instead of 2.5 s, which made the net figure look 1 s better than it was.)
     */
    static long eventTimeWaitsMs() {
        return Math.max(TRACE_GAP_MS, ATTRIBUTION_WINDOW_MS) + OUT_OF_ORDERNESS_MS;
    }

    private static long percentile(List<Long> sorted, double q) {
        if (sorted.isEmpty()) return -1;
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(q * sorted.size())));
    }

    private static void createTopics(String bootstrap, List<String> names, int partitions) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(names.stream().map(n -> new NewTopic(n, partitions, (short) 1)).toList()).all().get();
        }
    }
}
