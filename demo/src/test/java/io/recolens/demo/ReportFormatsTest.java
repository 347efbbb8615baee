package io.recolens.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ReportFormatsTest {
    private final ExperimentReport.Data data = SampleReports.fiveDays();

    @Test
    void textAndMarkdownShowSrmFirstThenMetricsAndGuardrails() {
        String text = ReportFormats.render(data, "text");
        assertThat(text.indexOf("Sample ratio: ok")).isPositive().isLessThan(text.indexOf("item_ctr"));
        assertThat(text).contains("hybrid", "significant", "REGRESSION", "variant_conflict", "CUPED: not applied");
        String markdown = ReportFormats.render(data, "markdown");
        assertThat(markdown).startsWith("# Experiment rec_algorithm_v3").contains("| metric | variant |", "|---|");
    }

    @Test
    void jsonHasTheFieldsTheIssueLists() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(ReportFormats.render(data, "json"));
        assertThat(doc.get("srm").get("units").get("hybrid").asLong()).isEqualTo(600);
        assertThat(doc.get("srm").has("chi2")).isTrue();
        assertThat(doc.get("srm").has("p_value")).isTrue();
        JsonNode first = doc.get("metrics").get(0);
        for (String field : new String[] {"metric", "variant", "value", "control_value", "absolute_lift", "relative_lift", "relative_ci",
                "p_value", "adjusted_p_value", "always_valid_ci", "units"}) {
            assertThat(first.has(field)).as(field).isTrue();
        }
        assertThat(first.get("relative_ci")).hasSize(2);
        assertThat(doc.get("guardrails").findValuesAsText("service")).contains("feature-store");
    }
}
