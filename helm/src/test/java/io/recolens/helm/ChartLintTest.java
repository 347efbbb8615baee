package io.recolens.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;

/** helm lint --strict of the chart with its default values (lint takes no overrides: value sets go through template). */
class ChartLintTest {

    @Test
    void chartLintsCleanWithDefaults() {
        LintResult result = HelmChart.lint();
        assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
        assertThat(result.getMessages()).as("lint findings").noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }
}
