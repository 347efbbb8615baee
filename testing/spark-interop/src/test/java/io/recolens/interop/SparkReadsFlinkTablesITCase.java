package io.recolens.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Spark 4 with Iceberg's Spark runtime reads the tables the Flink job wrote into the default hadoop catalog, and
 * every query of {@code sql/spark/} gives the answers {@code io.recolens.demo.SampleWarehouse} computed with the
 * project's own reader. {@link SparkCatalogsITCase} runs the same checks on the REST and JDBC catalogs.
 */
class SparkReadsFlinkTablesITCase extends SparkQueriesContract {

    @Override
    protected String name() {
        return "hadoop";
    }

    @Override
    protected CatalogUnderTest startCatalog(Path work) {
        String warehouse = work.resolve("warehouse").toString();
        return new CatalogUnderTest(
                Map.of("catalog.type", "hadoop", "catalog.warehouse", warehouse),
                Map.of("type", "hadoop", "warehouse", Path.of(warehouse).toUri().toString()),
                null);
    }

    /** The comparison itself must be able to fail: a changed count is noticed. */
    @Test
    void aWrongAnswerIsNoticed() {
        List<Map<String, Object>> want = expectedAnswers.get("ctr_by_variant");
        List<Map<String, Object>> changed = new ArrayList<>();
        for (Map<String, Object> row : want) {
            changed.add(new LinkedHashMap<>(row));
        }
        changed.get(0).put("clicks", ((Number) changed.get(0).get("clicks")).longValue() + 1);
        assertThat(Answers.difference(want, changed)).isNotNull();
        assertThat(Answers.difference(want, want)).isNull();
    }
}
