package io.recolens.jobs.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.recolens.connectors.decode.DecoderSettings;
import io.recolens.connectors.decode.OtlpEncoding;
import io.recolens.connectors.decode.OtlpSpanDecoder;
import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.connectors.iceberg.TableDefinitions;
import io.recolens.connectors.iceberg.TableReader;
import io.recolens.jobs.RecolensJob;
import io.recolens.jobs.config.ConfigReader;
import io.recolens.jobs.config.JobSettings;
import io.recolens.model.ExponentialHistogram;
import io.recolens.model.RawRecord;
import io.recolens.model.SpanRecord;
import io.recolens.simulator.FileTrafficSink;
import io.recolens.simulator.RecordingTrafficSink;
import io.recolens.simulator.SimulatorConfig;
import io.recolens.simulator.Topic;
import io.recolens.simulator.TrafficSimulator;
import io.recolens.simulator.TrafficSink;
import io.recolens.testkit.SqlFiles;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The p50/p95/p99 that {@code sql/flink/latency_percentiles.sql} computes from the job's table are within 1% of
 * the exact nearest-rank percentiles of the spans the simulator generated, per experiment, variant and service.
 * Clean traffic (no lost impressions, duplicates or late records), so every generated span is in the table once
 * and the exact values are known from the spans alone.
 */
class LatencyPercentilesITCase {
    private static final String NAMESPACE = "recolens";
    private static final long START = Instant.parse("2026-02-01T10:00:00Z").toEpochMilli();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    Path warehouse;

    @TempDir
    Path input;

    @Test
    void percentilesFromTheTableAreWithinOnePercentOfTheExactOnes() throws Exception {
        SimulatorConfig config = SimulatorConfig.builder().seed(11).requests(1500).users(300).startEpochMs(START)
                .requestsPerSecond(5).clean().build();
        RecordingTrafficSink recorded = new RecordingTrafficSink();
        try (FileTrafficSink files = new FileTrafficSink(input, config.spanEncoding()); TrafficSink both = tee(files, recorded)) {
            new TrafficSimulator().run(config, both);
        }
        Map<String, String> settings = new HashMap<>();
        settings.put("mode", "batch");
        settings.put("input", "files");
        settings.put("input.path", input.toString());
        settings.put("catalog.warehouse", warehouse.toString());
        settings.put("catalog.namespace", NAMESPACE);
        settings.put("demo", "true");
        RecolensJob.run(JobSettings.from(ConfigReader.fromMap(settings), Map.of()), StreamExecutionEnvironment.getExecutionEnvironment());

        Catalog iceberg = RecolensCatalog.fromProperties(Map.of("warehouse", warehouse.toString(), "namespace", NAMESPACE)).open();
        Map<String, Map<String, String>> variantsByTrace = new HashMap<>();
        for (Record r : TableReader.readAll(iceberg, TableIdentifier.of(Namespace.of(NAMESPACE), TableDefinitions.LINEAGE_HISTORY))) {
            @SuppressWarnings("unchecked")
            Map<String, String> experiments = (Map<String, String>) r.getField("experiments");
            variantsByTrace.put((String) r.getField("trace_id"), experiments);
        }
        Map<String, List<Long>> exact = exactDurations(recorded, config.spanEncoding().name(), variantsByTrace);

        TableEnvironment tEnv = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        tEnv.getConfig().setLocalTimeZone(ZoneOffset.UTC);
        SqlFiles sql = SqlFiles.repository();
        Map<String, String> values = Map.of("CATALOG", "recolens", "CATALOG_TYPE", "hadoop", "WAREHOUSE", warehouse.toString(),
                "CATALOG_URI", "", "NAMESPACE", NAMESPACE, "FROM", "2026-02-01 00:00:00", "TO", "2026-02-03 00:00:00");
        tEnv.executeSql(sql.statement("flink/catalog.sql", values));
        Map<String, double[]> fromSql = new TreeMap<>();
        try (CloseableIterator<Row> it = tEnv.executeSql(sql.statement("flink/latency_percentiles.sql", values)).collect()) {
            while (it.hasNext()) {
                Row row = it.next();
                fromSql.put(row.getField(0) + "|" + row.getField(1) + "|" + row.getField(2), new double[] {
                        ((Number) row.getField(3)).doubleValue(), (Double) row.getField(4), (Double) row.getField(5), (Double) row.getField(6)});
            }
        }

        assertThat(fromSql.keySet()).isEqualTo(exact.keySet());
        double worst = 0;
        for (Map.Entry<String, List<Long>> e : exact.entrySet()) {
            long[] sorted = e.getValue().stream().mapToLong(Long::longValue).sorted().toArray();
            double[] got = fromSql.get(e.getKey());
            assertThat((long) got[0]).as("spans of %s", e.getKey()).isEqualTo(sorted.length);
            double[] qs = {0.50, 0.95, 0.99};
            for (int i = 0; i < qs.length; i++) {
                int rank = (int) Math.max(1, Math.ceil(qs[i] * sorted.length - 1e-9));
                double exactMs = sorted[rank - 1] / 1000.0;
                double relative = got[i + 1] / exactMs - 1;
                assertThat(relative).as("%s p%s: table %s ms, exact %s ms", e.getKey(), (int) (qs[i] * 100), got[i + 1], exactMs)
                        .isBetween(0.0, 0.01);
                worst = Math.max(worst, relative);
            }
        }
        System.out.printf("latency percentiles: %d series, worst relative error %.4f%% (bound %.4f%%)%n",
                exact.size(), worst * 100, ExponentialHistogram.MAX_RELATIVE_ERROR * 100);
        assertThat(worst).isLessThanOrEqualTo(ExponentialHistogram.MAX_RELATIVE_ERROR + 1e-12);
    }

    /** Span durations per experiment|variant|service, each span once, its trace's variants from its impression. */
    private static Map<String, List<Long>> exactDurations(RecordingTrafficSink recorded, String encoding,
            Map<String, Map<String, String>> variantsByTrace) {
        OtlpSpanDecoder decoder = new OtlpSpanDecoder(OtlpEncoding.valueOf(encoding), DecoderSettings.builder("demo-secret").build());
        decoder.open();
        Set<String> seen = new HashSet<>();
        List<SpanRecord> all = new ArrayList<>();
        // A trace without an impression takes its variants from its spans (attributes, flag events), as the job does.
        Map<String, Map<String, String>> fromSpans = new HashMap<>();
        for (RecordingTrafficSink.Recorded r : recorded.records(Topic.SPANS)) {
            decoder.decode(new RawRecord("spans", 0, r.index(), r.key(), r.value(), r.timestampMs()), s -> {
                if (!seen.add(s.traceId + "/" + s.spanId)) return;
                all.add(s);
                Map<String, String> v = fromSpans.computeIfAbsent(s.traceId, k -> new TreeMap<>());
                v.putAll(s.flagVariants);
                v.putAll(s.attributeVariants);
            }, d -> {
                throw new AssertionError("clean traffic has no dead letters: " + d);
            });
        }
        Map<String, List<Long>> out = new TreeMap<>();
        for (SpanRecord s : all) {
            Map<String, String> variants = variantsByTrace.getOrDefault(s.traceId, fromSpans.get(s.traceId));
            for (Map.Entry<String, String> v : variants.entrySet()) {
                out.computeIfAbsent(v.getKey() + "|" + v.getValue() + "|" + s.service, k -> new ArrayList<>()).add(s.durationMicros);
            }
        }
        return out;
    }

    private static TrafficSink tee(TrafficSink a, TrafficSink b) {
        return new TrafficSink() {
            @Override
            public void impression(byte[] key, byte[] value, long timestampMs) {
                a.impression(key, value, timestampMs);
                b.impression(key, value, timestampMs);
            }

            @Override
            public void click(byte[] key, byte[] value, long timestampMs) {
                a.click(key, value, timestampMs);
                b.click(key, value, timestampMs);
            }

            @Override
            public void spans(byte[] key, byte[] value, long timestampMs) {
                a.spans(key, value, timestampMs);
                b.spans(key, value, timestampMs);
            }

            @Override
            public void close() {
                b.close();
            }
        };
    }

}
