package io.recolens.connectors.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recolens.model.DeadLetter;
import io.recolens.model.EngagementRow;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.RowDataSerializer;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.junit.jupiter.api.Test;

/**
 * Each converter's output survives a round trip through Flink's serializer for the table's own
 * logical type, which fails on a wrong arity or a Java type that does not match a column.
 */
class TableRowsTest {

    @Test
    void engagement() throws IOException {
        RowData row = roundTrip("variant_engagement", TableRows.engagement(SampleRows.engagement("control", 10)));
        assertThat(row.getTimestamp(0, 6).getMillisecond()).isEqualTo(SampleRows.T0);
        assertThat(row.getString(3).toString()).isEqualTo("control");
        assertThat(row.isNullAt(5)).isTrue();
        assertThat(row.getLong(7)).isEqualTo(100);
        assertThat(row.getLong(9)).isEqualTo(2);
    }

    @Test
    void unitDaily() throws IOException {
        RowData row = roundTrip("experiment_unit_daily", TableRows.unitDaily(SampleRows.unitDaily()));
        assertThat(row.getInt(0)).isEqualTo(SampleRows.DAY0);
        assertThat(row.getString(3).toString()).isEqualTo("u-hash-1");
    }

    @Test
    void sideEffect() throws IOException {
        RowData row = roundTrip("variant_side_effects", TableRows.sideEffect(SampleRows.sideEffect()));
        ArrayData histogram = row.getArray(9);
        assertThat(histogram.toLongArray()).hasSize(LatencyBuckets.BUCKET_COUNT).startsWith(0L, 3L).endsWith(1L);
        assertThat(row.getLong(13)).isEqualTo(1);
    }

    @Test
    void exposure() throws IOException {
        RowData row = roundTrip("experiment_exposures", TableRows.exposure(SampleRows.exposure()));
        assertThat(row.getTimestamp(3, 6).getMillisecond()).isEqualTo(SampleRows.T0 + 1_234);
        assertThat(row.getString(6).toString()).isEqualTo("new");
    }

    @Test
    void lineageWithNestedStructs() throws IOException {
        RowData row = roundTrip("lineage_history", TableRows.lineage(SampleRows.lineage()));
        MapData experiments = row.getMap(8);
        assertThat(experiments.size()).isEqualTo(2);
        ArrayData features = row.getArray(12);
        assertThat(features.getRow(1, 6).getString(0).toString()).isEqualTo("item_pop");
        RowData embedding = features.getRow(0, 6);
        assertThat(embedding.getString(3).toString()).isEqualTo("warehouse.features.user_embedding_v3");
        assertThat(embedding.getString(4).toString()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(embedding.getTimestamp(5, 6).getMillisecond()).isEqualTo(SampleRows.T0 - 60_000);
        // A feature without provenance keeps nulls, as rows written before the lineage join do.
        assertThat(features.getRow(1, 6).isNullAt(4)).isTrue();
        assertThat(features.getRow(1, 6).isNullAt(5)).isTrue();
        assertThat(row.getArray(13).getRow(0, 3).getDouble(2)).isEqualTo(0.93);
        RowData trace = row.getRow(14, 7);
        assertThat(trace.getLong(2)).isEqualTo(42_000);
        assertThat(trace.getMap(6).size()).isEqualTo(2);
        RowData click = row.getArray(15).getRow(0, 4);
        assertThat(click.getInt(2)).isEqualTo(1);
        assertThat(click.getTimestamp(3, 6).getMillisecond()).isEqualTo(SampleRows.T0 + 5_000);
    }

    @Test
    void completeness() throws IOException {
        io.recolens.model.CompletenessRow c = new io.recolens.model.CompletenessRow();
        c.day = 20_000;
        c.experiment = "rec_algorithm_v3";
        c.variant = "hybrid";
        c.impressions = 10;
        c.completeImpressions = 7;
        c.features = 20;
        c.featuresWithAncestry = 17;
        c.staleFeatures = 2;
        RowData row = roundTrip("lineage_completeness", TableRows.completeness(c));
        assertThat(row.getInt(0)).isEqualTo(20_000);
        assertThat(row.getString(2).toString()).isEqualTo("hybrid");
        assertThat(row.getLong(4)).isEqualTo(7);
        assertThat(row.getLong(7)).isEqualTo(2);
    }

    @Test
    void anomaly() throws IOException {
        RowData row = roundTrip("lineage_anomalies", TableRows.anomaly(SampleRows.anomaly()));
        assertThat(row.getString(0).toString()).isEqualTo("orphan_click");
        assertThat(row.getString(4).toString()).isEqualTo("c-9");
    }

    @Test
    void deadLetterUsesRecordTimeOrConversionTime() throws IOException {
        RowData row = roundTrip("dead_letters", TableRows.deadLetter(SampleRows.deadLetter(), 5L));
        assertThat(row.getTimestamp(0, 6).getMillisecond()).isEqualTo(SampleRows.T0 + 100);
        assertThat(row.getBinary(6)).isEqualTo("{\"bad\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(row.getInt(7)).isEqualTo(12);

        DeadLetter noTime = SampleRows.deadLetter();
        noTime.recordTimestamp = -1;
        noTime.source = null;
        RowData fallback = roundTrip("dead_letters", TableRows.deadLetter(noTime, 777L));
        assertThat(fallback.getTimestamp(0, 6).getMillisecond()).isEqualTo(777L);
        assertThat(fallback.getString(1).toString()).isEqualTo(TableRows.UNKNOWN);
    }

    @Test
    void nullInARequiredColumnNamesIt() {
        EngagementRow r = SampleRows.engagement("control", 1);
        r.variant = null;
        assertThatThrownBy(() -> TableRows.engagement(r)).hasMessageContaining("variant_engagement.variant");
    }

    static RowData roundTrip(String table, RowData row) throws IOException {
        RowType type = FlinkSchemaUtil.convert(TableDefinitions.load(table).schema());
        assertThat(row.getArity()).as("columns of " + table).isEqualTo(type.getFieldCount());
        RowDataSerializer serializer = new RowDataSerializer(type);
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(row, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }
}
