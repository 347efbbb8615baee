package io.recolens.demo.lineage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** CSV (RFC 4180) and one self-contained HTML page for the audit bundle. */
final class AuditFormats {
    private AuditFormats() {}

    static String csv(List<Map<String, Object>> rows) {
        StringBuilder out = new StringBuilder();
        List<String> columns = columns(rows);
        out.append(String.join(",", columns.stream().map(AuditFormats::csvField).toList())).append("\r\n");
        for (Map<String, Object> row : rows) {
            List<String> fields = new ArrayList<>();
            for (String c : columns) fields.add(csvField(row.get(c) == null ? "" : String.valueOf(row.get(c))));
            out.append(String.join(",", fields)).append("\r\n");
        }
        return out.toString();
    }

    private static String csvField(String value) {
        if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }
        return value;
    }

    private static List<String> columns(List<Map<String, Object>> rows) {
        List<String> columns = new ArrayList<>();
        for (Map<String, Object> row : rows) for (String k : row.keySet()) if (!columns.contains(k)) columns.add(k);
        return columns;
    }

    static String html(Map<String, Object> manifest, Map<String, List<Map<String, Object>>> sections) {
        StringBuilder out = new StringBuilder();
        String title = "recolens audit: " + manifest.get("experiment") + " " + manifest.get("from") + " to " + manifest.get("to");
        out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(escape(title)).append("</title>\n")
                .append("<style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin-bottom:2em}")
                .append("th,td{border:1px solid #bbb;padding:.25em .6em;text-align:left;font-size:.9em}th{background:#eee}")
                .append("caption{text-align:left;font-weight:bold;margin:.5em 0}</style></head><body>\n");
        out.append("<h1>").append(escape(title)).append("</h1>\n<p>Namespace ").append(escape(String.valueOf(manifest.get("namespace"))))
                .append(", generated ").append(escape(String.valueOf(manifest.get("generated_at"))))
                .append(". Every section is also in this folder as JSON and CSV.</p>\n");
        for (Map.Entry<String, List<Map<String, Object>>> s : sections.entrySet()) {
            List<Map<String, Object>> rows = s.getValue();
            out.append("<h2 id=\"").append(escape(s.getKey())).append("\">").append(escape(s.getKey())).append(" (")
                    .append(rows.size()).append(rows.size() == 1 ? " row" : " rows").append(")</h2>\n");
            if (rows.isEmpty()) {
                out.append("<p>None.</p>\n");
                continue;
            }
            List<String> columns = columns(rows);
            out.append("<table><thead><tr>");
            for (String c : columns) out.append("<th>").append(escape(c)).append("</th>");
            out.append("</tr></thead><tbody>\n");
            for (Map<String, Object> row : rows) {
                out.append("<tr>");
                for (String c : columns) out.append("<td>").append(escape(row.get(c) == null ? "" : String.valueOf(row.get(c)))).append("</td>");
                out.append("</tr>\n");
            }
            out.append("</tbody></table>\n");
        }
        return out.append("</body></html>\n").toString();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }
}
