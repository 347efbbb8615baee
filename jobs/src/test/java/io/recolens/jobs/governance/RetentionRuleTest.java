package io.recolens.jobs.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recolens.connectors.iceberg.TableDefinition;
import io.recolens.connectors.iceberg.TableDefinitions;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.expressions.Evaluator;
import org.apache.iceberg.expressions.Expression;
import org.junit.jupiter.api.Test;

/** The retention cutoff and its row filter: whole days, exactly at 00:00Z, for timestamp and date partitions. */
class RetentionRuleTest {

    @Test
    void cutoffKeepsTheLastRetentionDaysPlusToday() {
        LocalDate today = LocalDate.of(2026, 11, 30);
        assertThat(RetentionRule.cutoff(today, 14)).isEqualTo(LocalDate.of(2026, 11, 16));
        assertThat(RetentionRule.cutoff(today, 0)).isEqualTo(today);
        assertThatThrownBy(() -> RetentionRule.cutoff(today, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void timestampFilterSplitsExactlyAtMidnightUtc() {
        TableDefinition lineage = TableDefinitions.load(TableDefinitions.LINEAGE_HISTORY);
        RetentionRule rule = RetentionRule.of(lineage.schema(), lineage.spec()).orElseThrow();
        assertThat(rule.column()).isEqualTo("served_at");
        assertThat(rule.isTimestamp()).isTrue();
        Expression before = rule.before(LocalDate.of(2026, 1, 2));
        Evaluator evaluator = new Evaluator(lineage.schema().asStruct(), before);
        GenericRecord row = GenericRecord.create(lineage.schema());
        InternalRecordWrapper wrap = new InternalRecordWrapper(lineage.schema().asStruct());

        row.setField("served_at", OffsetDateTime.of(2026, 1, 1, 23, 59, 59, 999_999_000, ZoneOffset.UTC));
        assertThat(evaluator.eval(wrap.wrap(row))).as("last microsecond of the day before").isTrue();
        row.setField("served_at", OffsetDateTime.of(2026, 1, 2, 0, 0, 0, 0, ZoneOffset.UTC));
        assertThat(evaluator.eval(wrap.wrap(row))).as("midnight of the cutoff day").isFalse();
        // 00:30 at +01:00 is 23:30Z of the day before: the UTC day counts, as in the partition.
        row.setField("served_at", OffsetDateTime.of(2026, 1, 2, 0, 30, 0, 0, ZoneOffset.ofHours(1)));
        assertThat(evaluator.eval(wrap.wrap(row))).isTrue();
    }

    @Test
    void dayOfReadsThePartitionTupleForBothKindsOfDayPartition() {
        for (String table : new String[] {TableDefinitions.LINEAGE_HISTORY, TableDefinitions.EXPERIMENT_UNIT_DAILY}) {
            TableDefinition def = TableDefinitions.load(table);
            RetentionRule rule = RetentionRule.of(def.schema(), def.spec()).orElseThrow();
            GenericRecord row = GenericRecord.create(def.schema());
            if (rule.isTimestamp()) {
                row.setField(rule.column(), OffsetDateTime.of(2026, 3, 4, 12, 0, 0, 0, ZoneOffset.UTC));
            } else {
                row.setField(rule.column(), LocalDate.of(2026, 3, 4));
            }
            PartitionKey key = new PartitionKey(def.spec(), def.schema());
            key.partition(new InternalRecordWrapper(def.schema().asStruct()).wrap(row));
            assertThat(rule.dayOf(key)).as(table).isEqualTo(LocalDate.of(2026, 3, 4));
            Evaluator evaluator = new Evaluator(def.schema().asStruct(), rule.before(LocalDate.of(2026, 3, 5)));
            assertThat(evaluator.eval(new InternalRecordWrapper(def.schema().asStruct()).wrap(row))).as(table).isTrue();
            evaluator = new Evaluator(def.schema().asStruct(), rule.before(LocalDate.of(2026, 3, 4)));
            assertThat(evaluator.eval(new InternalRecordWrapper(def.schema().asStruct()).wrap(row))).as(table).isFalse();
        }
    }

    @Test
    void everyTableTheJobWritesAndTheLogHaveADayPartitionAndARetention() {
        for (String table : TableDefinitions.JOB_TABLES) {
            TableDefinition def = TableDefinitions.load(table);
            assertThat(RetentionRule.of(def.schema(), def.spec())).as(table).isPresent();
        }
        TableDefinition log = TableDefinitions.load(TableDefinitions.MAINTENANCE_LOG);
        assertThat(RetentionRule.of(log.schema(), log.spec())).isPresent();
        assertThat(log.retentionDays()).isGreaterThanOrEqualTo(365 * 5);
        TableDefinition drift = TableDefinitions.load(TableDefinitions.DRIFT_FINDINGS);
        assertThat(RetentionRule.of(drift.schema(), drift.spec())).isPresent();
        assertThat(drift.retentionDays()).isEqualTo(400);
    }
}
