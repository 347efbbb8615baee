package io.recolens.demo.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a replayed row and its findings are set beside the recorded ones, and how the report marks differences. */
class TraceReplayCompareTest {

    private static Map<String, Object> row(Object spanCount, List<Object> clicks) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("impression_id", "imp-1");
        m.put("trace", Map.of("span_count", spanCount));
        m.put("clicks", clicks);
        return m;
    }

    @Test
    void equalValuesMatchWhateverTheirJavaNumberType() throws Exception {
        Map<String, Object> r = TraceReplay.compare("imp-1", row(12, List.of()), row(12L, List.of()));
        assertThat(r.get("status")).isEqualTo("match");
        assertThat((List<?>) r.get("differences")).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void eachDifferingFieldIsNamedWithBothValues() throws Exception {
        Map<String, Object> r = TraceReplay.compare("imp-1", row(12, List.of()), row(12, List.of(Map.of("click_id", "c-1"))));
        assertThat(r.get("status")).isEqualTo("differs");
        assertThat((List<Map<String, Object>>) r.get("differences")).singleElement().satisfies(d -> {
            assertThat(d.get("field")).isEqualTo("clicks");
            assertThat(d.get("recorded")).isEqualTo(List.of());
            assertThat(d.get("replayed")).isEqualTo(List.of(Map.of("click_id", "c-1")));
        });
        assertThat(TraceReplay.compare("imp-1", null, row(1, List.of())).get("status")).isEqualTo("only_replayed");
        assertThat(TraceReplay.compare("imp-1", row(1, List.of()), null).get("status")).isEqualTo("only_recorded");
    }

    @Test
    void findingsAreMatchedAsAMultisetAndTheReportMarksEachSide() throws Exception {
        Map<String, Object> anomalies = TraceReplay.compareFindings(List.of("a", "a", "b"), List.of("a", "c"));
        assertThat(anomalies.get("matching")).isEqualTo(List.of("a"));
        assertThat(anomalies.get("only_recorded")).isEqualTo(List.of("a", "b"));
        assertThat(anomalies.get("only_replayed")).isEqualTo(List.of("c"));

        Map<String, Object> replay = new LinkedHashMap<>();
        replay.put("trace_id", "t1");
        replay.put("archived", Map.of("impressions", 1, "spans", 3, "clicks", 1, "provenance_spans", 0));
        replay.put("settings", Map.of());
        replay.put("impressions", List.of(TraceReplay.compare("imp-1", row(12, List.of()), row(12, List.of(Map.of("click_id", "c-1"))))));
        replay.put("anomalies", anomalies);
        replay.put("matches", false);
        assertThat(ReplayReport.render(replay)).contains("impression imp-1: DIFFERS", "  ! clicks\n", "      recorded: []\n",
                "  = a\n", "  - b\n", "  + c\n", "result: differences marked");
    }
}
