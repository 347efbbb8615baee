package io.recolens.demo.lineage;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.connectors.iceberg.TableDefinitions;
import io.recolens.connectors.iceberg.TableReader;
import io.recolens.demo.SampleWarehouse;
import io.recolens.jobs.RecolensJob;
import io.recolens.jobs.config.ConfigReader;
import io.recolens.jobs.config.JobSettings;
import io.recolens.jobs.pipeline.ArchiveInputs;
import io.recolens.jobs.pipeline.DecodedInput;
import io.recolens.jobs.pipeline.JobConfigurationRecord;
import io.recolens.jobs.pipeline.PipelineOutputs;
import io.recolens.jobs.pipeline.RecolensPipeline;
import io.recolens.model.AnomalyRow;
import io.recolens.model.ClickRef;
import io.recolens.model.CompletenessRow;
import io.recolens.model.DeadLetter;
import io.recolens.model.EngagementRow;
import io.recolens.model.ExposureRow;
import io.recolens.model.FeatureRef;
import io.recolens.model.LineageRow;
import io.recolens.model.LineageRowSerializer;
import io.recolens.model.SideEffectRow;
import io.recolens.model.SlateItem;
import io.recolens.model.UnitDailyRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Either;
import org.apache.flink.util.CloseableIterator;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;

/**
 * Reruns the job's own graph ({@link RecolensPipeline}: trace assembly, click attribution, join 3 and the lineage
 * checks) as a small batch job on the archived records of one trace — its impressions and spans, the clicks on its
 * impressions and the provenance spans of its lineage IDs — and sets each resulting lineage row and anomaly beside the
 * one {@code lineage_history} / {@code lineage_anomalies} recorded, field by field.
 */
public final class TraceReplay {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Recorded settings that change what a lineage row holds; read back from lineage_history's properties. */
    private static final List<String> RECORDED_KEYS = List.of("trace.gap", "trace.max-duration", "lateness.allowed", "attribution.window",
            "attribution.orphan-timeout", "watermark.out-of-orderness", "lineage.provenance-wait", "lineage.stale-after", "lineage.salts",
            "lineage.provenance-retention");

    private final Catalog catalog;
    private final RecolensCatalog recolens;
    private final Map<String, String> userConfig;

    /**
     * @param userConfig the command's configuration (--config and flags): over the settings the job recorded, which
     *     are over the defaults
     */
    public TraceReplay(Catalog catalog, RecolensCatalog recolens, Map<String, String> userConfig) {
        this.catalog = catalog;
        this.recolens = recolens;
        this.userConfig = Map.copyOf(userConfig);
    }

    /** The comparison, JSON-ready; {@code archived.impressions} and {@code archived.spans} are 0 when the archive lacks the trace. */
    public Map<String, Object> replay(String traceId) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("trace_id", traceId);
        for (String table : TableDefinitions.ARCHIVE_TABLES) {
            if (!catalog.tableExists(recolens.tableId(table))) {
                out.put("archived", Map.of("impressions", 0, "spans", 0, "clicks", 0, "provenance_spans", 0));
                out.put("note", "no raw archive in " + recolens.namespace() + ": run the job with archive.enabled=true");
                out.put("matches", false);
                return out;
            }
        }
        List<Record> impressions = read(TableDefinitions.RAW_IMPRESSIONS, Expressions.equal("trace_id", traceId));
        Set<String> impressionIds = new TreeSet<>();
        Set<String> lineageIds = new TreeSet<>();
        for (Record r : impressions) {
            impressionIds.add((String) r.getField("impression_id"));
            if (r.getField("lineage_id") != null) lineageIds.add((String) r.getField("lineage_id"));
        }
        Expression ofTrace = Expressions.equal("trace_id", traceId);
        Expression provenance = lineageIds.isEmpty() ? Expressions.alwaysFalse()
                : Expressions.and(Expressions.in("lineage_id", lineageIds.toArray()), Expressions.notNull("feature_name"));
        Expression clicksOf = impressionIds.isEmpty() ? Expressions.alwaysFalse() : Expressions.in("impression_id", impressionIds.toArray());
        Map<DecodedInput.Stream, List<Expression>> filters = Map.of(
                DecodedInput.Stream.IMPRESSIONS, List.of(ofTrace),
                DecodedInput.Stream.SPANS, List.of(Expressions.or(ofTrace, provenance)),
                DecodedInput.Stream.CLICKS, List.of(clicksOf));
        int spans = read(TableDefinitions.RAW_SPANS, ofTrace).size();
        Map<String, Object> archived = new LinkedHashMap<>();
        archived.put("impressions", impressions.size());
        archived.put("spans", spans);
        archived.put("clicks", read(TableDefinitions.RAW_CLICKS, clicksOf).size());
        archived.put("provenance_spans", read(TableDefinitions.RAW_SPANS, Expressions.and(provenance, Expressions.notEqual("trace_id", traceId))).size());
        out.put("archived", archived);
        if (impressions.isEmpty() && spans == 0) {
            out.put("note", "trace " + traceId + " is not in the archive (not archived, or past archive.retention)");
            out.put("matches", false);
            return out;
        }
        JobSettings settings = settings();
        out.put("settings", settingsShown(settings));

        Replayed replayed = run(settings, filters);
        Map<String, Map<String, Object>> recordedRows = new TreeMap<>();
        for (Record r : read(TableDefinitions.LINEAGE_HISTORY, ofTrace)) {
            recordedRows.put((String) r.getField("impression_id"), view(r));
        }
        Map<String, Map<String, Object>> replayedRows = new TreeMap<>();
        for (LineageRow r : replayed.lineage) {
            if (traceId.equals(r.traceId) || impressionIds.contains(r.impressionId)) replayedRows.put(r.impressionId, view(r));
        }
        Set<String> ids = new TreeSet<>(recordedRows.keySet());
        ids.addAll(replayedRows.keySet());
        List<Object> rows = new ArrayList<>();
        boolean matches = true;
        for (String id : ids) {
            Map<String, Object> row = compare(id, recordedRows.get(id), replayedRows.get(id));
            matches &= "match".equals(row.get("status"));
            rows.add(row);
        }
        out.put("impressions", rows);

        List<String> recordedFindings = new ArrayList<>();
        Expression anomalyFilter = impressionIds.isEmpty() ? ofTrace : Expressions.or(ofTrace, Expressions.in("impression_id", impressionIds.toArray()));
        for (Record a : read(TableDefinitions.LINEAGE_ANOMALIES, anomalyFilter)) recordedFindings.add(finding(a));
        List<String> replayedFindings = new ArrayList<>();
        for (AnomalyRow a : replayed.anomalies) {
            if (traceId.equals(a.traceId) || (a.impressionId != null && impressionIds.contains(a.impressionId))) replayedFindings.add(finding(a));
        }
        Map<String, Object> anomalies = compareFindings(recordedFindings, replayedFindings);
        matches &= ((List<?>) anomalies.get("only_recorded")).isEmpty() && ((List<?>) anomalies.get("only_replayed")).isEmpty();
        out.put("anomalies", anomalies);
        out.put("matches", matches);
        return out;
    }

    /** Defaults, then what the job recorded in lineage_history, then the command's own configuration; always batch over the archive. */
    JobSettings settings() {
        Map<String, String> merged = new LinkedHashMap<>();
        String property = catalog.tableExists(recolens.tableId(TableDefinitions.LINEAGE_HISTORY))
                ? catalog.loadTable(recolens.tableId(TableDefinitions.LINEAGE_HISTORY)).properties().get(JobConfigurationRecord.PROPERTY) : null;
        Map<String, String> recorded = JobConfigurationRecord.parse(property);
        for (String key : RECORDED_KEYS) {
            if (recorded.containsKey(key)) merged.put(key, recorded.get(key));
        }
        merged.putAll(userConfig);
        merged.put("mode", "batch");
        merged.put("input", "archive");
        merged.put("archive.enabled", "false");
        // Nothing is decoded in a replay (the archive holds unit keys already): no HMAC key is needed.
        if (!merged.containsKey("unit-key.secret") && !merged.containsKey("unit-key.secret-file")) merged.put("demo", "true");
        Configuration conf = ConfigReader.fromMap(merged);
        return JobSettings.from(conf, Map.of());
    }

    private record Replayed(List<LineageRow> lineage, List<AnomalyRow> anomalies) {}

    private Replayed run(JobSettings settings, Map<DecodedInput.Stream, List<Expression>> filters) throws Exception {
        StreamExecutionEnvironment env = SampleWarehouse.localEnvironment(1);
        RecolensJob.configure(env, settings);
        Collected outputs = new Collected();
        new RecolensPipeline(settings, new ArchiveInputs(recolens, filters), outputs).build(env);
        TypeInformation<Either<LineageRow, AnomalyRow>> type =
                new EitherTypeInfo<>(LineageRowSerializer.TYPE, TypeInformation.of(AnomalyRow.class));
        // One collected stream: two collect sinks fed by one operator could hold each other up.
        DataStream<Either<LineageRow, AnomalyRow>> both = outputs.lineage.map(Either::<LineageRow, AnomalyRow>Left).returns(type)
                .union(outputs.anomalies.map(Either::<LineageRow, AnomalyRow>Right).returns(type));
        List<LineageRow> lineage = new ArrayList<>();
        List<AnomalyRow> anomalies = new ArrayList<>();
        try (CloseableIterator<Either<LineageRow, AnomalyRow>> it = both.executeAndCollect("recolens replay")) {
            while (it.hasNext()) {
                Either<LineageRow, AnomalyRow> e = it.next();
                if (e.isLeft()) lineage.add(e.left()); else anomalies.add(e.right());
            }
        }
        return new Replayed(lineage, anomalies);
    }

    /** Keeps the two streams a replay compares; the aggregates are built but not kept. */
    private static final class Collected implements PipelineOutputs {
        DataStream<LineageRow> lineage;
        DataStream<AnomalyRow> anomalies;

        @Override public void engagement(DataStream<EngagementRow> rows) {}
        @Override public void unitDaily(DataStream<UnitDailyRow> rows) {}
        @Override public void sideEffects(DataStream<SideEffectRow> rows) {}
        @Override public void exposures(DataStream<ExposureRow> rows) {}
        @Override public void lineage(DataStream<LineageRow> rows) { lineage = rows; }
        @Override public void anomalies(DataStream<AnomalyRow> rows) { anomalies = rows; }
        @Override public void deadLetters(DataStream<DeadLetter> rows) {}
        @Override public void completeness(DataStream<CompletenessRow> rows) {}
    }

    static Map<String, Object> compare(String id, Map<String, Object> recorded, Map<String, Object> replayed) throws Exception {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("impression_id", id);
        if (recorded == null || replayed == null) {
            row.put("status", recorded == null ? "only_replayed" : "only_recorded");
            row.put("differences", List.of());
            row.put("row", recorded == null ? replayed : recorded);
            return row;
        }
        List<Object> differences = new ArrayList<>();
        for (String field : recorded.keySet()) {
            String was = JSON.writeValueAsString(recorded.get(field));
            String now = JSON.writeValueAsString(replayed.get(field));
            if (!was.equals(now)) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("field", field);
                d.put("recorded", recorded.get(field));
                d.put("replayed", replayed.get(field));
                differences.add(d);
            }
        }
        row.put("status", differences.isEmpty() ? "match" : "differs");
        row.put("differences", differences);
        row.put("row", replayed);
        return row;
    }

    static Map<String, Object> compareFindings(List<String> recorded, List<String> replayed) {
        List<String> onlyRecorded = new ArrayList<>(recorded);
        List<String> matching = new ArrayList<>();
        List<String> onlyReplayed = new ArrayList<>();
        for (String f : replayed) {
            if (onlyRecorded.remove(f)) matching.add(f); else onlyReplayed.add(f);
        }
        onlyRecorded.sort(null);
        matching.sort(null);
        onlyReplayed.sort(null);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("matching", matching);
        out.put("only_recorded", onlyRecorded);
        out.put("only_replayed", onlyReplayed);
        return out;
    }

    private static String finding(Record a) {
        return finding((String) a.getField("kind"), (String) LineageExplainer.json(a.getField("event_time")), (String) a.getField("impression_id"),
                (String) a.getField("click_id"), (String) a.getField("lineage_id"), (String) a.getField("experiment"),
                (String) a.getField("variant"), (String) a.getField("detail"));
    }

    private static String finding(AnomalyRow a) {
        return finding(a.kind, Instant.ofEpochMilli(a.eventTime).toString(), a.impressionId, a.clickId, a.lineageId, a.experiment, a.variant,
                a.detail);
    }

    private static String finding(String kind, String at, String impression, String click, String lineage, String experiment,
            String variant, String detail) {
        StringBuilder s = new StringBuilder(kind).append(" at ").append(at);
        if (impression != null) s.append(" impression ").append(impression);
        if (click != null) s.append(" click ").append(click);
        if (lineage != null) s.append(" lineage ").append(lineage);
        if (experiment != null) s.append(" ").append(experiment).append('=').append(variant);
        if (detail != null) s.append(": ").append(detail);
        return s.toString();
    }

    /** A recorded lineage_history row as field name to JSON-ready value (the shape explain prints). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> view(Record r) {
        Map<String, Object> m = (Map<String, Object>) LineageExplainer.json(r);
        List<Map<String, Object>> clicks = (List<Map<String, Object>>) m.get("clicks");
        if (clicks != null) {
            List<Map<String, Object>> sorted = new ArrayList<>(clicks);
            sorted.sort(Comparator.comparing(c -> String.valueOf(c.get("click_id"))));
            m.put("clicks", sorted);
        }
        return m;
    }

    /** A replayed lineage row in the same shape, field for field. */
    static Map<String, Object> view(LineageRow r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("impression_id", r.impressionId);
        m.put("trace_id", r.traceId);
        m.put("lineage_id", r.lineageId);
        m.put("unit_key", r.unitKey);
        m.put("session_id", r.sessionId);
        m.put("surface", r.surface);
        m.put("segment", r.segment);
        m.put("served_at", Instant.ofEpochMilli(r.servedAt).toString());
        m.put("experiments", r.experiments == null ? null : new TreeMap<>(r.experiments));
        m.put("variant_sources", r.variantSources == null ? null : new TreeMap<>(r.variantSources));
        m.put("model_name", r.modelName);
        m.put("model_version", r.modelVersion);
        List<Object> features = new ArrayList<>();
        for (FeatureRef f : r.features) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("name", f.name);
            x.put("version", f.version);
            x.put("hash", f.hash);
            x.put("source", f.source);
            x.put("pipeline_trace_id", f.pipelineTraceId);
            x.put("produced_at", f.producedAt == null ? null : Instant.ofEpochMilli(f.producedAt).toString());
            features.add(x);
        }
        m.put("features", features);
        List<Object> items = new ArrayList<>();
        for (SlateItem i : r.items) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("item_id", i.itemId);
            x.put("position", i.position);
            x.put("score", i.score);
            items.add(x);
        }
        m.put("items", items);
        Map<String, Object> trace = new LinkedHashMap<>();
        trace.put("span_count", r.trace.spanCount);
        trace.put("error_count", r.trace.errorCount);
        trace.put("root_duration_micros", r.trace.rootDurationMicros);
        trace.put("db_time_micros", r.trace.dbTimeMicros);
        trace.put("cache_hits", r.trace.cacheHits);
        trace.put("cache_misses", r.trace.cacheMisses);
        trace.put("service_time_micros", r.trace.serviceTimeMicros == null ? null : new TreeMap<>(r.trace.serviceTimeMicros));
        m.put("trace", trace);
        List<ClickRef> sorted = new ArrayList<>(r.clicks);
        sorted.sort(Comparator.comparing(c -> String.valueOf(c.clickId)));
        List<Object> clicks = new ArrayList<>();
        for (ClickRef c : sorted) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("click_id", c.clickId);
            x.put("item_id", c.itemId);
            x.put("position", c.position);
            x.put("clicked_at", Instant.ofEpochMilli(c.clickedAt).toString());
            clicks.add(x);
        }
        m.put("clicks", clicks);
        return m;
    }

    private static Map<String, Object> settingsShown(JobSettings s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("trace.gap", s.traceGapMs + " ms");
        m.put("attribution.window", s.attributionWindowMs + " ms");
        m.put("lineage.provenance-wait", s.provenanceWaitMs + " ms");
        m.put("lineage.stale-after", s.staleAfterMs + " ms");
        return m;
    }

    private List<Record> read(String table, Expression filter) {
        return TableReader.read(catalog.loadTable(recolens.tableId(table)), filter);
    }
}
