package io.recolens.connectors.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/** The JSON files parse with Iceberg's parsers and say what the design asks for. */
class TableDefinitionsTest {

    @Test
    void loadsEveryTableWithItsDayPartitionAndRetention() {
        Map<String, TableDefinition> all = TableDefinitions.loadAll();
        assertThat(all.keySet()).containsExactlyElementsOf(TableDefinitions.JOB_TABLES);

        assertPartition(all.get("variant_engagement"), "window_start", "day");
        assertPartition(all.get("experiment_unit_daily"), "day", "identity");
        assertPartition(all.get("variant_side_effects"), "window_start", "day");
        assertPartition(all.get("experiment_exposures"), "first_exposure_at", "day");
        assertPartition(all.get("lineage_history"), "served_at", "day");
        assertPartition(all.get("lineage_anomalies"), "event_time", "day");
        assertPartition(all.get("dead_letters"), "recorded_at", "day");

        assertThat(all.get("variant_engagement").retentionDays()).isEqualTo(400);
        assertThat(all.get("experiment_unit_daily").retentionDays()).isEqualTo(400);
        assertThat(all.get("variant_side_effects").retentionDays()).isEqualTo(400);
        assertThat(all.get("experiment_exposures").retentionDays()).isEqualTo(400);
        assertThat(all.get("lineage_history").retentionDays()).isEqualTo(183);
        assertThat(all.get("lineage_anomalies").retentionDays()).isEqualTo(183);
        assertThat(all.get("dead_letters").retentionDays()).isEqualTo(14);

        for (TableDefinition d : all.values()) {
            assertThat(d.properties()).containsEntry("format-version", "2")
                    .containsEntry("write.format.default", "parquet")
                    .containsEntry("write.parquet.compression-codec", "zstd");
            assertThat(d.sortOrder().isSorted()).as(d.name()).isTrue();
            assertThat(d.description()).isNotBlank();
        }
    }

    @Test
    void columnTypesFollowTheModel() {
        TableDefinition side = TableDefinitions.load("variant_side_effects");
        assertThat(side.schema().findType("window_start")).isEqualTo(Types.TimestampType.withZone());
        assertThat(side.schema().findField("experiment").isRequired()).isTrue();
        assertThat(side.schema().findType("latency_histogram")).isEqualTo(Types.ListType.ofRequired(
                side.schema().findField("latency_histogram.element").fieldId(), Types.LongType.get()));

        TableDefinition unit = TableDefinitions.load("experiment_unit_daily");
        assertThat(unit.schema().findType("day")).isEqualTo(Types.DateType.get());
        assertThat(unit.schema().columns()).extracting(Types.NestedField::name).containsExactly(
                "day", "experiment", "variant", "unit_key", "impressions", "item_impressions", "clicks", "clicked_impressions");

        TableDefinition lineage = TableDefinitions.load("lineage_history");
        assertThat(lineage.schema().findType("trace").typeId()).isEqualTo(Type.TypeID.STRUCT);
        assertThat(lineage.schema().findType("trace.service_time_micros").asMapType().valueType()).isEqualTo(Types.LongType.get());
        assertThat(lineage.schema().findType("clicks.element.clicked_at")).isEqualTo(Types.TimestampType.withZone());
        assertThat(lineage.schema().findType("experiments").asMapType().valueType()).isEqualTo(Types.StringType.get());

        TableDefinition dead = TableDefinitions.load("dead_letters");
        assertThat(dead.schema().findType("raw")).isEqualTo(Types.BinaryType.get());
        assertThat(dead.schema().findType("raw_size")).isEqualTo(Types.IntegerType.get());
    }

    @Test
    void malformedDefinitionNamesTheFile() {
        String json = "{\"table\":\"broken\",\"description\":\"x\",\"schema\":{\"type\":\"struct\",\"fields\":["
                + "{\"id\":1,\"name\":\"a\",\"required\":true,\"type\":\"nonsense\",\"doc\":\"d\"}]},"
                + "\"partition-spec\":[],\"sort-order\":{\"order-id\":0,\"fields\":[]},\"properties\":{\"recolens.retention.days\":\"1\"}}";
        assertThatThrownBy(() -> TableDefinitions.parse("iceberg-schemas/broken.json", json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("iceberg-schemas/broken.json")
                .hasMessageContaining("nonsense");
    }

    @Test
    void columnWithoutDocIsRefused() {
        String json = "{\"table\":\"t\",\"description\":\"x\",\"schema\":{\"type\":\"struct\",\"fields\":["
                + "{\"id\":1,\"name\":\"a\",\"required\":true,\"type\":\"long\"}]},"
                + "\"partition-spec\":[],\"sort-order\":{\"order-id\":0,\"fields\":[]},\"properties\":{\"recolens.retention.days\":\"1\"}}";
        assertThatThrownBy(() -> TableDefinitions.parse("t.json", json.getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("t.json").hasMessageContaining("without \"doc\"").hasMessageContaining("[a]");
    }

    @Test
    void unknownTableIsReported() {
        assertThatThrownBy(() -> TableDefinitions.load("nope"))
                .hasMessageContaining("iceberg-schemas/nope.json").hasMessageContaining("variant_engagement");
    }

    private static void assertPartition(TableDefinition d, String column, String transform) {
        assertThat(d.spec().fields()).hasSize(1);
        PartitionField field = d.spec().fields().get(0);
        assertThat(d.schema().findColumnName(field.sourceId())).as(d.name()).isEqualTo(column);
        assertThat(field.transform().toString()).as(d.name()).isEqualTo(transform);
    }
}
