package io.recolens.demo.lineage;

import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.connectors.iceberg.TableDefinitions;
import io.recolens.connectors.iceberg.TableReader;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;

/**
 * The path from raw signals to one recommendation (or to every recommendation of one trace), read from the Iceberg
 * tables alone: experiments and where each variant came from, the model, each feature with version, hash and
 * provenance, the trace summary, every span of the trace with its timing when the raw archive holds it, clicks and the
 * lineage anomalies that name the impression or its trace. The result
 * is a JSON-ready map (strings, numbers, lists, maps; times as ISO-8601 instants), rendered as a tree by
 * {@link ExplainTree}.
 */
public final class LineageExplainer {
    private final Catalog catalog;
    private final RecolensCatalog recolens;

    public LineageExplainer(Catalog catalog, RecolensCatalog recolens) {
        this.catalog = catalog;
        this.recolens = recolens;
    }

    /** The explanation of one impression; {@code impressions} is empty when the tables do not know it. */
    public Map<String, Object> impression(String impressionId) {
        return explain("impression", impressionId, Expressions.equal("impression_id", impressionId));
    }

    /** The explanation of every impression of one trace. */
    public Map<String, Object> trace(String traceId) {
        return explain("trace", traceId, Expressions.equal("trace_id", traceId));
    }

    private Map<String, Object> explain(String kind, String id, Expression filter) {
        List<Record> rows = new ArrayList<>(read(TableDefinitions.LINEAGE_HISTORY, filter));
        rows.sort(Comparator.comparing((Record r) -> (OffsetDateTime) r.getField("served_at"))
                .thenComparing(r -> (String) r.getField("impression_id")));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("query", Map.of("kind", kind, "id", id));
        List<Object> impressions = new ArrayList<>();
        List<String> traces = new ArrayList<>();
        for (Record r : rows) {
            impressions.add(impression(r));
            String trace = (String) r.getField("trace_id");
            if (trace != null && !traces.contains(trace)) traces.add(trace);
        }
        if (kind.equals("trace") && !traces.contains(id)) traces.add(id);
        out.put("impressions", impressions);
        // Findings about the trace that name no impression (span without impression, late spans, variant conflicts).
        List<Object> traceFindings = new ArrayList<>();
        for (String trace : traces) {
            for (Record a : read(TableDefinitions.LINEAGE_ANOMALIES, Expressions.equal("trace_id", trace))) {
                if (a.getField("impression_id") == null) traceFindings.add(anomaly(a));
            }
        }
        out.put("trace_anomalies", traceFindings);
        return out;
    }

    private Map<String, Object> impression(Record r) {
        String id = (String) r.getField("impression_id");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("impression_id", id);
        m.put("trace_id", r.getField("trace_id"));
        m.put("lineage_id", r.getField("lineage_id"));
        m.put("served_at", json(r.getField("served_at")));
        m.put("unit_key", r.getField("unit_key"));
        m.put("session_id", r.getField("session_id"));
        m.put("surface", r.getField("surface"));
        m.put("segment", r.getField("segment"));
        @SuppressWarnings("unchecked")
        Map<String, String> experiments = r.getField("experiments") == null ? Map.of() : (Map<String, String>) r.getField("experiments");
        @SuppressWarnings("unchecked")
        Map<String, String> sources = r.getField("variant_sources") == null ? Map.of() : (Map<String, String>) r.getField("variant_sources");
        List<Object> assignments = new ArrayList<>();
        for (Map.Entry<String, String> e : new TreeMap<>(experiments).entrySet()) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("experiment", e.getKey());
            a.put("variant", e.getValue());
            a.put("source", sources.get(e.getKey()));
            assignments.add(a);
        }
        m.put("experiments", assignments);
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("name", r.getField("model_name"));
        model.put("version", r.getField("model_version"));
        m.put("model", model);
        m.put("features", records(r.getField("features")));
        m.put("items", records(r.getField("items")));
        m.put("trace", json(r.getField("trace")));
        m.put("clicks", records(r.getField("clicks")));
        List<Object> spans = spans((String) r.getField("trace_id"));
        m.put("spans", spans);
        if (spans == null) m.put("spans_note", "spans not archived");
        List<Object> anomalies = new ArrayList<>();
        List<Record> found = new ArrayList<>(read(TableDefinitions.LINEAGE_ANOMALIES, Expressions.equal("impression_id", id)));
        found.sort(Comparator.comparing((Record a) -> (String) a.getField("kind")).thenComparing(a -> String.valueOf(a.getField("detail"))));
        for (Record a : found) anomalies.add(anomaly(a));
        m.put("anomalies", anomalies);
        return m;
    }

    /**
     * Every archived span of the trace as a tree walked depth first (each span before its children, siblings by start
     * time), with its start offset from the trace's first span and its depth; a span whose parent was not archived
     * starts a tree of its own. Null when the archive (raw_spans, archive.enabled) does not hold the trace.
     */
    private List<Object> spans(String traceId) {
        if (traceId == null || !catalog.tableExists(recolens.tableId(TableDefinitions.RAW_SPANS))) return null;
        List<Record> rows = new ArrayList<>(read(TableDefinitions.RAW_SPANS, Expressions.equal("trace_id", traceId)));
        if (rows.isEmpty()) return null;
        rows.sort(Comparator.comparing((Record s) -> (OffsetDateTime) s.getField("start_time")).thenComparing(s -> String.valueOf(s.getField("span_id"))));
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (Record s : rows) ids.add(String.valueOf(s.getField("span_id")));
        Map<String, List<Record>> children = new java.util.HashMap<>();
        List<Record> roots = new ArrayList<>();
        for (Record s : rows) {
            String parent = (String) s.getField("parent_span_id");
            if (parent == null || parent.isEmpty() || !ids.contains(parent) || parent.equals(s.getField("span_id"))) roots.add(s);
            else children.computeIfAbsent(parent, k -> new ArrayList<>()).add(s);
        }
        java.time.Instant first = ((OffsetDateTime) rows.get(0).getField("start_time")).toInstant();
        List<Object> out = new ArrayList<>();
        java.util.Set<Record> visited = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Record root : roots) walk(root, 0, children, first, visited, out);
        // A cycle among parent IDs (malformed input) leaves spans unreached: list them flat rather than lose them.
        for (Record s : rows) if (!visited.contains(s)) walk(s, 0, Map.of(), first, visited, out);
        return out;
    }

    private static void walk(Record s, int depth, Map<String, List<Record>> children, java.time.Instant first, java.util.Set<Record> visited,
            List<Object> out) {
        if (!visited.add(s)) return;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("span_id", s.getField("span_id"));
        m.put("parent_span_id", s.getField("parent_span_id"));
        m.put("depth", depth);
        m.put("service", s.getField("service"));
        m.put("name", s.getField("name"));
        m.put("start_offset_ms", java.time.Duration.between(first, ((OffsetDateTime) s.getField("start_time")).toInstant()).toMillis());
        m.put("duration_micros", s.getField("duration_micros"));
        m.put("error", s.getField("error"));
        out.add(m);
        for (Record child : children.getOrDefault(String.valueOf(s.getField("span_id")), List.of())) {
            walk(child, depth + 1, children, first, visited, out);
        }
    }

    private static Map<String, Object> anomaly(Record a) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String f : List.of("kind", "event_time", "trace_id", "impression_id", "click_id", "lineage_id", "experiment", "variant", "detail")) {
            m.put(f, json(a.getField(f)));
        }
        return m;
    }

    private List<Record> read(String table, Expression filter) {
        return TableReader.read(catalog.loadTable(recolens.tableId(table)), filter);
    }

    private static List<Object> records(Object list) {
        List<Object> out = new ArrayList<>();
        if (list instanceof List<?> l) for (Object o : l) out.add(json(o));
        return out;
    }

    /** Iceberg generic values to JSON-ready ones: structs become maps by field name, times ISO-8601 instants. */
    static Object json(Object v) {
        if (v instanceof OffsetDateTime t) return t.toInstant().toString();
        if (v instanceof Record r) {
            Map<String, Object> m = new LinkedHashMap<>();
            r.struct().fields().forEach(f -> m.put(f.name(), json(r.getField(f.name()))));
            return m;
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> m = new TreeMap<>();
            map.forEach((k, x) -> m.put(String.valueOf(k), json(x)));
            return m;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) out.add(json(o));
            return out;
        }
        return v;
    }
}
