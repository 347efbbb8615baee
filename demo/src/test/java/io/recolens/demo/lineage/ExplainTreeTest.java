package io.recolens.demo.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tree says plainly when the archive holds no spans, and indents archived spans by their depth. */
class ExplainTreeTest {

    private static Map<String, Object> explanation(List<Object> spans) {
        Map<String, Object> imp = new HashMap<>();
        imp.put("impression_id", "imp-1");
        imp.put("experiments", List.of());
        imp.put("model", Map.of());
        imp.put("features", List.of());
        imp.put("items", List.of());
        imp.put("clicks", List.of());
        imp.put("anomalies", List.of());
        imp.put("spans", spans);
        if (spans == null) imp.put("spans_note", "spans not archived");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("query", Map.of("kind", "impression", "id", "imp-1"));
        out.put("impressions", List.of(imp));
        out.put("trace_anomalies", List.of());
        return out;
    }

    private static Map<String, Object> span(String service, String name, int depth, long offset, long micros, boolean error) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("depth", depth);
        s.put("service", service);
        s.put("name", name);
        s.put("start_offset_ms", offset);
        s.put("duration_micros", micros);
        s.put("error", error);
        return s;
    }

    @Test
    void withoutTheArchiveItSaysSpansNotArchived() {
        assertThat(ExplainTree.render(explanation(null))).contains("  - spans: spans not archived\n");
    }

    @Test
    void archivedSpansAreListedWithTimingIndentedByDepth() {
        String tree = ExplainTree.render(explanation(List.of(span("gateway", "GET /recs", 0, 0, 52_000, false),
                span("feature-store", "fetch", 1, 3, 12_500, true))));
        assertThat(tree).contains("  - spans: 2 (start offset, duration)\n", "    - gateway GET /recs  +0 ms  52000 us\n",
                "      - feature-store fetch  +3 ms  12500 us  ERROR\n");
    }
}
