package io.recolens.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small bench run in CI: every run kind starts in its own JVM, finishes, and the pipeline's totals equal the
 * SQL reference's. It asserts no time: times are for {@code bin/recolens bench} on a quiet machine.
 */
class BenchSmokeITCase {
    @TempDir
    Path out;

    @Test
    void everyRunCompletesAndThePipelineAgreesWithTheSqlReference() throws Exception {
        BenchFlags flags = BenchFlags.parse(new String[] {"--requests", "300", "--rounds", "1", "--parallelism", "2",
                "--encodings", "otlp_json", "--runs", "batch,decode,floor,sql,streaming,hostile", "--hostile", "2000",
                "--out", out.toString()});

        boolean agree = BenchMain.run(flags);

        JsonNode results = new ObjectMapper().readTree(out.resolve("bench-results.json").toFile());
        assertThat(results.get("agreement").asText()).isEqualTo("all totals agree");
        assertThat(agree).isTrue();
        assertThat(results.get("medians").fieldNames()).toIterable().containsExactlyInAnyOrder(
                "pipeline batch otlp_json", "decode-only otlp_json", "Flink floor otlp_json", "pipeline streaming otlp_json",
                "Flink SQL reference otlp_json");
        JsonNode sql = results.get("runs").get("Flink SQL reference otlp_json").get(0).get("computed");
        assertThat(sql.get("engagement").size()).as("variants in the SQL reference's engagement").isEqualTo(5);
        JsonNode decode = results.get("runs").get("decode-only otlp_json").get(0).get("computed");
        // Re-sent duplicates decode too; nothing in the bench traffic is malformed.
        assertThat(decode.get("decoded").asLong()).isGreaterThanOrEqualTo(results.get("events").asLong());
        assertThat(decode.get("deadLetters").asLong()).isZero();
        // The floor groups every decoded record with its key: none lost in the shuffle.
        JsonNode floor = results.get("runs").get("Flink floor otlp_json").get(0).get("computed").get("decoded");
        assertThat(floor.get("impressions").asLong() + floor.get("clicks").asLong() + floor.get("spans").asLong())
                .isEqualTo(decode.get("decoded").asLong());
        JsonNode hostile = results.get("hostile");
        long accounted = hostile.get("tables").get("dead_letters_rows").asLong() + hostile.get("tables").get("lineage_history_rows").asLong();
        assertThat(accounted).as("hostile records in dead_letters or lineage_history").isPositive();
        assertThat(Files.readString(out.resolve("bench-results.md"))).contains("| ratio | value |");
    }
}
