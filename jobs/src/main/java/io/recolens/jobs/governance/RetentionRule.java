package io.recolens.jobs.governance;

import java.time.LocalDate;
import java.util.Optional;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.types.Type;

/**
 * Which day partitions of a table are past its retention, and the row filter that selects exactly them. A day D is
 * dropped once {@code D < today - retentionDays} (UTC): the table always keeps its last {@code retentionDays} whole
 * days plus today. The filter is a bound on the partition's source column at 00:00Z of the cutoff day, so it
 * matches whole partitions and Iceberg can delete by metadata alone.
 *
 * @param column the partition source column (a timestamptz with a {@code day} transform, or a date with identity)
 * @param partitionPosition the position of the day field in the partition tuple
 */
public record RetentionRule(String column, int partitionPosition, boolean isTimestamp) {

    private static final long MICROS_PER_DAY = 86_400_000_000L;

    /** The day partition rule of {@code spec}, if the table is partitioned by day (all recolens tables are). */
    public static Optional<RetentionRule> of(Schema schema, PartitionSpec spec) {
        for (int i = 0; i < spec.fields().size(); i++) {
            PartitionField field = spec.fields().get(i);
            Type type = schema.findType(field.sourceId());
            String transform = field.transform().toString();
            if (type.typeId() == Type.TypeID.TIMESTAMP && "day".equals(transform)) {
                return Optional.of(new RetentionRule(schema.findColumnName(field.sourceId()), i, true));
            }
            if (type.typeId() == Type.TypeID.DATE && ("identity".equals(transform) || "day".equals(transform))) {
                return Optional.of(new RetentionRule(schema.findColumnName(field.sourceId()), i, false));
            }
        }
        return Optional.empty();
    }

    /** First day that is kept: {@code today - retentionDays}. */
    public static LocalDate cutoff(LocalDate today, int retentionDays) {
        if (retentionDays < 0) {
            throw new IllegalArgumentException("retention days must be >= 0, got " + retentionDays);
        }
        return today.minusDays(retentionDays);
    }

    /** Rows of every day before {@code cutoff}, and no other. */
    public Expression before(LocalDate cutoff) {
        long day = cutoff.toEpochDay();
        return isTimestamp ? Expressions.lessThan(column, day * MICROS_PER_DAY) : Expressions.lessThan(column, (int) day);
    }

    /** The day of a data file's partition tuple. */
    public LocalDate dayOf(StructLike partition) {
        Integer day = partition.get(partitionPosition, Integer.class);
        return LocalDate.ofEpochDay(day);
    }
}
