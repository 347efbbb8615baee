package io.recolens.jobs.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Expected per-variant counts computed straight from the generated records with a generic JSON parser and
 * the OTLP classes: deliberately none of the job's code, so a bug there cannot hide in the expectation.
 */
final class ReferenceCounts {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** experiment=variant → counts. */
    final Map<String, long[]> engagement = new TreeMap<>();
    /** experiment=variant → distinct users. */
    final Map<String, Set<String>> units = new TreeMap<>();
    /** experiment=variant → distinct spans. */
    final Map<String, Long> spans = new TreeMap<>();
    final Set<String> impressionIds = new HashSet<>();

    static final int IMPRESSIONS = 0;
    static final int ITEM_IMPRESSIONS = 1;
    static final int CLICKS = 2;

    private record Served(long at, Map<String, String> experiments, Set<String> items) {}

    static ReferenceCounts compute(List<byte[]> impressions, List<byte[]> clicks, List<byte[]> spanMessages, long windowMs) throws Exception {
        ReferenceCounts r = new ReferenceCounts();
        Map<String, Served> served = new HashMap<>();
        Map<String, Map<String, String>> traceVariants = new HashMap<>();
        for (byte[] bytes : impressions) {
            JsonNode n = JSON.readTree(bytes);
            String id = n.get("impression_id").asText();
            if (served.containsKey(id)) continue;
            Map<String, String> experiments = new TreeMap<>();
            n.get("experiments").fields().forEachRemaining(e -> experiments.put(e.getKey(), e.getValue().asText()));
            Set<String> items = new HashSet<>();
            n.path("items").forEach(i -> items.add(i.get("item_id").asText()));
            served.put(id, new Served(time(n.get("timestamp")), experiments, items));
            traceVariants.putIfAbsent(n.get("trace_id").asText().toLowerCase(), experiments);
            r.impressionIds.add(id);
            for (Map.Entry<String, String> e : experiments.entrySet()) {
                String key = e.getKey() + "=" + e.getValue();
                long[] c = r.engagement.computeIfAbsent(key, k -> new long[3]);
                c[IMPRESSIONS]++;
                c[ITEM_IMPRESSIONS] += items.size();
                r.units.computeIfAbsent(key, k -> new HashSet<>()).add(n.get("user_id").asText());
            }
        }
        Set<String> clickIds = new HashSet<>();
        for (byte[] bytes : clicks) {
            JsonNode n = JSON.readTree(bytes);
            Served s = served.get(n.get("impression_id").asText());
            if (s == null || !clickIds.add(n.get("click_id").asText())) continue;
            long at = time(n.get("timestamp"));
            if (at < s.at || at > s.at + windowMs || !s.items.contains(n.get("item_id").asText())) continue;
            for (Map.Entry<String, String> e : s.experiments.entrySet()) {
                r.engagement.computeIfAbsent(e.getKey() + "=" + e.getValue(), k -> new long[3])[CLICKS]++;
            }
        }
        Map<String, Set<String>> spansByTrace = new HashMap<>();
        Map<String, Map<String, String>> attributeVariants = new HashMap<>();
        for (byte[] bytes : spanMessages) {
            for (ResourceSpans rs : TracesData.parseFrom(bytes).getResourceSpansList()) {
                for (ScopeSpans ss : rs.getScopeSpansList()) {
                    for (Span span : ss.getSpansList()) {
                        String trace = HexFormat.of().formatHex(span.getTraceId().toByteArray());
                        spansByTrace.computeIfAbsent(trace, k -> new HashSet<>()).add(HexFormat.of().formatHex(span.getSpanId().toByteArray()));
                        for (KeyValue kv : span.getAttributesList()) {
                            if (kv.getKey().startsWith("experiment.")) {
                                attributeVariants.computeIfAbsent(trace, k -> new TreeMap<>())
                                        .putIfAbsent(kv.getKey().substring("experiment.".length()), kv.getValue().getStringValue());
                            }
                        }
                    }
                }
            }
        }
        for (Map.Entry<String, Set<String>> t : spansByTrace.entrySet()) {
            Map<String, String> variants = traceVariants.getOrDefault(t.getKey(), attributeVariants.getOrDefault(t.getKey(), Map.of()));
            for (Map.Entry<String, String> e : variants.entrySet()) {
                r.spans.merge(e.getKey() + "=" + e.getValue(), (long) t.getValue().size(), Long::sum);
            }
        }
        return r;
    }

    private static long time(JsonNode n) {
        return n.isNumber() ? n.asLong() : Instant.parse(n.asText()).toEpochMilli();
    }
}
