package io.recolens.demo.lineage;

import java.util.List;
import java.util.Map;

/** Renders a {@link TraceReplay} result for a terminal: per impression "matches" or each differing field, then the anomalies. */
public final class ReplayReport {
    private ReplayReport() {}

    @SuppressWarnings("unchecked")
    public static String render(Map<String, Object> replay) {
        StringBuilder out = new StringBuilder();
        Map<String, Object> archived = (Map<String, Object>) replay.get("archived");
        out.append("replay of trace ").append(replay.get("trace_id")).append(" from the archive: ")
                .append(archived.get("impressions")).append(" impressions, ").append(archived.get("spans")).append(" spans, ")
                .append(archived.get("clicks")).append(" clicks, ").append(archived.get("provenance_spans"))
                .append(" provenance spans of other traces\n");
        if (replay.containsKey("note")) {
            return out.append(replay.get("note")).append('\n').toString();
        }
        out.append("settings: ").append(replay.get("settings")).append('\n');
        for (Map<String, Object> row : (List<Map<String, Object>>) replay.get("impressions")) {
            String status = (String) row.get("status");
            out.append("impression ").append(row.get("impression_id")).append(": ").append(switch (status) {
                case "match" -> "replayed row equals the recorded row";
                case "differs" -> "DIFFERS from the recorded row";
                case "only_recorded" -> "recorded, but the replay produced no row (!)";
                default -> "replayed, but nothing recorded (!)";
            }).append('\n');
            for (Map<String, Object> d : (List<Map<String, Object>>) row.get("differences")) {
                out.append("  ! ").append(d.get("field")).append('\n');
                out.append("      recorded: ").append(d.get("recorded")).append('\n');
                out.append("      replayed: ").append(d.get("replayed")).append('\n');
            }
        }
        Map<String, Object> anomalies = (Map<String, Object>) replay.get("anomalies");
        List<String> matching = (List<String>) anomalies.get("matching");
        List<String> onlyRecorded = (List<String>) anomalies.get("only_recorded");
        List<String> onlyReplayed = (List<String>) anomalies.get("only_replayed");
        out.append("anomalies: ").append(matching.size()).append(" in both, ").append(onlyRecorded.size()).append(" only recorded, ")
                .append(onlyReplayed.size()).append(" only replayed\n");
        matching.forEach(a -> out.append("  = ").append(a).append('\n'));
        onlyRecorded.forEach(a -> out.append("  - ").append(a).append('\n'));
        onlyReplayed.forEach(a -> out.append("  + ").append(a).append('\n'));
        out.append(Boolean.TRUE.equals(replay.get("matches")) ? "result: the replay equals what was recorded\n"
                : "result: differences marked with ! (fields), - (recorded only) and + (replayed only)\n");
        return out.toString();
    }
}
