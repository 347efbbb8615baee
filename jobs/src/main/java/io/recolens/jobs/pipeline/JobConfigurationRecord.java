package io.recolens.jobs.pipeline;

import io.recolens.jobs.config.JobSettings;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Records, at each job start, the settings that decide what lands in {@code lineage_history} (join windows, lineage
 * options, experiments, write mode) as the table property {@value #PROPERTY}, so an audit export can state the
 * configuration the job ran with from the catalog alone. Secrets and connection properties are never recorded;
 * earlier values stay in the table's metadata history.
 */
public final class JobConfigurationRecord {
    /** Table property holding the settings as {@code key=value} lines, sorted by key. */
    public static final String PROPERTY = "recolens.job.configuration";

    private JobConfigurationRecord() {}

    /** The recorded settings: option keys to their effective values, plus when the job started. */
    public static Map<String, String> of(JobSettings s, Instant startedAt) {
        Map<String, String> m = new TreeMap<>();
        m.put("mode", s.mode.name().toLowerCase());
        m.put("input", s.input.name().toLowerCase());
        m.put("topics.impressions", s.topicImpressions);
        m.put("topics.clicks", s.topicClicks);
        m.put("topics.spans", s.topicSpans);
        m.put("spans.encoding", s.spansEncoding);
        m.put("trace.gap", s.traceGapMs + " ms");
        m.put("trace.max-duration", s.traceMaxDurationMs + " ms");
        m.put("lateness.allowed", s.allowedLatenessMs + " ms");
        m.put("attribution.window", s.attributionWindowMs + " ms");
        m.put("attribution.orphan-timeout", s.orphanTimeoutMs + " ms");
        m.put("aggregate.window", s.aggregateWindowMs + " ms");
        m.put("watermark.out-of-orderness", s.outOfOrdernessMs + " ms");
        m.put("experiments.known", String.valueOf(new TreeMap<>(s.knownExperiments)));
        m.put("baggage.allow-list", String.join(",", s.baggageAllowList));
        m.put("sink.write-mode", s.sinkWriteMode.configName());
        m.put("lineage.provenance-wait", s.provenanceWaitMs + " ms");
        m.put("lineage.stale-after", s.staleAfterMs + " ms");
        m.put("lineage.salts", String.valueOf(s.lineageSalts));
        m.put("lineage.provenance-retention", s.provenanceRetentionMs + " ms");
        m.put("started_at", startedAt.toString());
        return m;
    }

    /** Writes {@link #of} into the table's properties (one small metadata commit, no data). */
    public static void write(Catalog catalog, TableIdentifier table, JobSettings settings, Instant startedAt) {
        Table t = catalog.loadTable(table);
        t.updateProperties().set(PROPERTY, format(of(settings, startedAt))).commit();
    }

    public static String format(Map<String, String> settings) {
        StringBuilder out = new StringBuilder();
        settings.forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
        return out.toString();
    }

    public static Map<String, String> parse(String property) {
        Map<String, String> m = new LinkedHashMap<>();
        if (property == null) return m;
        for (String line : property.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) m.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return m;
    }
}
