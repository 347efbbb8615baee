package io.recolens.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's flags are the ones it reads, it names what it deletes, and its units column counts units. */
class DemoMainFlagsTest {
    @Test
    void unknownFlagsAreErrorsAndUsageMatchesWhatIsRead() {
        assertThatThrownBy(() -> DemoMain.parse(new String[] {"--rate", "50"})).hasMessage("unknown flag --rate");
        assertThatThrownBy(() -> DemoMain.parse(new String[] {"--requests"})).hasMessage("--requests needs a value");
        assertThat(DemoMain.parse(new String[] {"--requests", "10", "--port", "9000", "--warehouse", "w", "--work-dir", "x"}))
                .containsOnlyKeys("requests", "port", "warehouse", "work-dir");
        assertThat(DemoMain.parse(new String[] {"--help"})).containsKey("help");
        for (String flag : List.of("--requests", "--port", "--warehouse", "--work-dir")) {
            assertThat(DemoMain.USAGE).contains(flag);
        }
        assertThat(DemoMain.USAGE).doesNotContain("--rate");
    }

    @Test
    void saysWhatItDeletes(@TempDir Path dir) throws Exception {
        Path warehouse = dir.resolve("warehouse");
        Path work = dir.resolve(".recolens");
        assertThat(DemoMain.previousRun(warehouse, work)).isEmpty();
        Files.createDirectories(warehouse.resolve("recolens"));
        Files.createDirectories(warehouse.resolve("other-namespace"));
        Files.createDirectories(work.resolve("checkpoints"));
        assertThat(DemoMain.previousRun(warehouse, work)).containsExactly(warehouse.resolve("recolens"), work.resolve("checkpoints"));
    }

    @Test
    void unitsCountsDistinctUnitsNotExposureRows() {
        Schema schema = new Schema(Types.NestedField.required(1, "experiment", Types.StringType.get()),
                Types.NestedField.required(2, "variant", Types.StringType.get()),
                Types.NestedField.required(3, "unit_key", Types.StringType.get()));
        List<Record> rows = List.of(row(schema, "e", "a", "u1"), row(schema, "e", "a", "u1"), row(schema, "e", "a", "u2"),
                row(schema, "e", "b", "u1"));
        assertThat(DemoReport.distinctUnits(rows)).isEqualTo(Map.of("e\ta", 2L, "e\tb", 1L));
    }

    private static Record row(Schema schema, String experiment, String variant, String unit) {
        GenericRecord r = GenericRecord.create(schema);
        r.setField("experiment", experiment);
        r.setField("variant", variant);
        r.setField("unit_key", unit);
        return r;
    }
}
