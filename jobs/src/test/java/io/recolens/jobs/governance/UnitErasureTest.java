package io.recolens.jobs.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recolens.connectors.decode.UnitKeys;
import io.recolens.connectors.iceberg.TableDefinitions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.iceberg.data.GenericRecord;
import org.junit.jupiter.api.Test;

/** Which dead letters belong to a unit, and the order forget visits the tables (the raw archive included). */
class UnitErasureTest {

    private static final String KEY = new UnitKeys("unit-erasure-test-secret").unitKey("user-12345");

    private static GenericRecord deadLetter(String raw, String error) {
        GenericRecord r = GenericRecord.create(TableDefinitions.load(TableDefinitions.DEAD_LETTERS).schema());
        r.setField("raw", raw == null ? null : ByteBuffer.wrap(raw.getBytes(StandardCharsets.UTF_8)));
        r.setField("error", error);
        return r;
    }

    @Test
    void aDeadLetterIsTheUnitsWhenItsBytesOrErrorHoldTheKey() {
        UnitErasure erasure = new UnitErasure(KEY, 0);
        assertThat(erasure.deadLetterHoldsUnit(deadLetter("{\"user_id\":\"" + KEY + "\",", null))).isTrue();
        assertThat(erasure.deadLetterHoldsUnit(deadLetter(null, "bad token near " + KEY))).isTrue();
        assertThat(erasure.deadLetterHoldsUnit(deadLetter("{\"user_id\":\"" + new UnitKeys("unit-erasure-test-secret").unitKey("other") + "\"", "x")))
                .isFalse();
        assertThat(erasure.deadLetterHoldsUnit(deadLetter(null, null))).isFalse();
    }

    @Test
    void withTheUserIdsLengthTheMaskedProtobufPrefixMatchesToo() {
        // UserIdScrubber masks a protobuf ID in place with the key's first len(ID) characters.
        String masked = "\n\nenduser.id\u0012\n" + KEY.substring(0, "user-12345".length());
        assertThat(new UnitErasure(KEY, "user-12345".length()).deadLetterHoldsUnit(deadLetter(masked, null))).isTrue();
        assertThat(new UnitErasure(KEY, 0).deadLetterHoldsUnit(deadLetter(masked, null))).isFalse();
        // Prefixes under 8 characters would match unrelated bytes: not used.
        assertThat(new UnitErasure(KEY, 4).deadLetterHoldsUnit(deadLetter(KEY.substring(0, 4), null))).isFalse();
    }

    @Test
    void onlyAUnitKeyIsAccepted() {
        assertThatThrownBy(() -> new UnitErasure("user-12345", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 lowercase hex");
        assertThatThrownBy(() -> new UnitErasure(KEY.toUpperCase(), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anomaliesComeFirstWhileTheRowsThatIdentifyThemStillExist() {
        assertThat(UnitErasure.tableOrder()).startsWith(TableDefinitions.LINEAGE_ANOMALIES)
                .containsExactlyInAnyOrderElementsOf(java.util.stream.Stream.concat(TableDefinitions.JOB_TABLES.stream(),
                        TableDefinitions.ARCHIVE_TABLES.stream()).toList());
        assertThat(UnitErasure.tableOrder().indexOf(TableDefinitions.LINEAGE_ANOMALIES))
                .isLessThan(UnitErasure.tableOrder().indexOf(TableDefinitions.LINEAGE_HISTORY));
    }
}
