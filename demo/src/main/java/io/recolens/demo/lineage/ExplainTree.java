package io.recolens.demo.lineage;

import java.util.List;
import java.util.Map;

/** Renders a {@link LineageExplainer} result as a readable tree for a terminal. */
public final class ExplainTree {
    private ExplainTree() {}

    @SuppressWarnings("unchecked")
    public static String render(Map<String, Object> explanation) {
        StringBuilder out = new StringBuilder();
        Map<String, Object> query = (Map<String, Object>) explanation.get("query");
        List<Map<String, Object>> impressions = (List<Map<String, Object>>) explanation.get("impressions");
        out.append(query.get("kind")).append(' ').append(query.get("id")).append(": ")
                .append(impressions.size()).append(impressions.size() == 1 ? " impression" : " impressions").append('\n');
        for (Map<String, Object> imp : impressions) {
            out.append("impression ").append(imp.get("impression_id")).append("  served ").append(imp.get("served_at"))
                    .append("  on ").append(imp.get("surface")).append('\n');
            line(out, 1, "trace " + imp.get("trace_id") + "  lineage " + imp.get("lineage_id"));
            line(out, 1, "unit " + imp.get("unit_key") + "  session " + imp.get("session_id") + "  segment " + imp.get("segment"));
            line(out, 1, "experiments");
            for (Map<String, Object> e : (List<Map<String, Object>>) imp.get("experiments")) {
                line(out, 2, e.get("experiment") + " = " + e.get("variant") + "  (from " + e.get("source") + ")");
            }
            Map<String, Object> model = (Map<String, Object>) imp.get("model");
            line(out, 1, "model " + model.get("name") + " " + model.get("version"));
            line(out, 1, "features");
            for (Map<String, Object> f : (List<Map<String, Object>>) imp.get("features")) {
                line(out, 2, f.get("name") + " @ " + f.get("version") + "  hash " + f.get("hash"));
                if (f.get("pipeline_trace_id") == null) {
                    line(out, 3, "provenance: unknown (no provenance span within lineage.provenance-wait)");
                } else {
                    line(out, 3, "from " + f.get("source") + "  pipeline trace " + f.get("pipeline_trace_id") + "  produced " + f.get("produced_at"));
                }
            }
            line(out, 1, "slate: " + ((List<?>) imp.get("items")).size() + " items");
            Map<String, Object> trace = (Map<String, Object>) imp.get("trace");
            if (trace != null) {
                line(out, 1, "trace summary: " + trace.get("span_count") + " spans, " + trace.get("error_count") + " errors, root "
                        + trace.get("root_duration_micros") + " us, db " + trace.get("db_time_micros") + " us, cache "
                        + trace.get("cache_hits") + " hits / " + trace.get("cache_misses") + " misses");
                Object services = trace.get("service_time_micros");
                if (services instanceof Map<?, ?> m) {
                    m.forEach((service, micros) -> line(out, 2, service + ": " + micros + " us"));
                }
            }
            List<Map<String, Object>> spans = (List<Map<String, Object>>) imp.get("spans");
            if (spans == null) {
                line(out, 1, "spans: " + imp.get("spans_note"));
            } else {
                line(out, 1, "spans: " + spans.size() + " (start offset, duration)");
                for (Map<String, Object> s : spans) {
                    int depth = ((Number) s.get("depth")).intValue();
                    line(out, 2 + Math.min(depth, 8), s.get("service") + " " + s.get("name") + "  +" + s.get("start_offset_ms") + " ms  "
                            + s.get("duration_micros") + " us" + (Boolean.TRUE.equals(s.get("error")) ? "  ERROR" : ""));
                }
            }
            List<Map<String, Object>> clicks = (List<Map<String, Object>>) imp.get("clicks");
            line(out, 1, "clicks: " + clicks.size());
            for (Map<String, Object> c : clicks) {
                line(out, 2, c.get("click_id") + " on " + c.get("item_id") + " (position " + c.get("position") + ") at " + c.get("clicked_at"));
            }
            List<Map<String, Object>> anomalies = (List<Map<String, Object>>) imp.get("anomalies");
            line(out, 1, "anomalies: " + anomalies.size());
            for (Map<String, Object> a : anomalies) line(out, 2, a.get("kind") + ": " + a.get("detail"));
        }
        List<Map<String, Object>> traceFindings = (List<Map<String, Object>>) explanation.get("trace_anomalies");
        if (!traceFindings.isEmpty()) {
            out.append("trace findings without an impression: ").append(traceFindings.size()).append('\n');
            for (Map<String, Object> a : traceFindings) line(out, 1, a.get("kind") + ": " + a.get("detail"));
        }
        return out.toString();
    }

    private static void line(StringBuilder out, int depth, String text) {
        out.append("  ".repeat(depth)).append("- ").append(text).append('\n');
    }
}
