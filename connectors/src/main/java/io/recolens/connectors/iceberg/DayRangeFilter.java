package io.recolens.connectors.iceberg;

import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.TimestampData;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Keeps the rows whose day partition lies in [{@code fromDay}, {@code toDay}): an overwriting backfill then
 * replaces only the days its Kafka time range covers whole, never a neighbouring day it saw a few late or
 * early records of.
 */
public final class DayRangeFilter implements FilterFunction<RowData> {
    private static final long serialVersionUID = 1L;
    private static final long DAY_MS = 86_400_000L;

    private final int position;
    private final boolean date;
    private final long fromDay;
    private final long toDay;

    private DayRangeFilter(int position, boolean date, long fromDay, long toDay) {
        this.position = position;
        this.date = date;
        this.fromDay = fromDay;
        this.toDay = toDay;
    }

    /**
     * A filter for {@code definition}'s day partition column, or null when the table has no day-partition column
     * of a type this understands (then nothing is filtered).
     *
     * @param fromDay first day kept, in days since the epoch (Long.MIN_VALUE: no lower bound)
     * @param toDay first day no longer kept (Long.MAX_VALUE: no upper bound)
     */
    public static DayRangeFilter of(TableDefinition definition, long fromDay, long toDay) {
        if (definition.spec().fields().isEmpty()) return null;
        PartitionField field = definition.spec().fields().get(0);
        Types.NestedField column = definition.schema().findField(field.sourceId());
        int position = definition.schema().columns().indexOf(column);
        if (position < 0) return null;
        Type.TypeID type = column.type().typeId();
        if (type != Type.TypeID.DATE && type != Type.TypeID.TIMESTAMP) return null;
        return new DayRangeFilter(position, type == Type.TypeID.DATE, fromDay, toDay);
    }

    @Override
    public boolean filter(RowData row) {
        if (row.isNullAt(position)) return false;
        long day;
        if (date) {
            day = row.getInt(position);
        } else {
            TimestampData ts = row.getTimestamp(position, 6);
            day = Math.floorDiv(ts.getMillisecond(), DAY_MS);
        }
        return day >= fromDay && day < toDay;
    }
}
