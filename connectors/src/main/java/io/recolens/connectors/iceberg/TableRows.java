package io.recolens.connectors.iceberg;

import io.recolens.model.AnomalyRow;
import io.recolens.model.ClickRef;
import io.recolens.model.CompletenessRow;
import io.recolens.model.DeadLetter;
import io.recolens.model.EngagementRow;
import io.recolens.model.ExponentialHistogram;
import io.recolens.model.ExposureRow;
import io.recolens.model.FeatureRef;
import io.recolens.model.LineageRow;
import io.recolens.model.SideEffectRow;
import io.recolens.model.SlateItem;
import io.recolens.model.TraceSummary;
import io.recolens.model.UnitDailyRow;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.iceberg.flink.FlinkSchemaUtil;

/**
 * Hand-written converters from the model rows to Flink {@link RowData} in the exact column order of
 * {@code iceberg-schemas/*.json}, plus one {@link MapFunction} per table for the job graph.
 *
 * <p>Written out field by field instead of by reflection: this runs once per output row, and a
 * column added to a JSON file must fail a test here rather than silently write nulls. A null in a
 * required column is an upstream bug and fails loudly, except in {@code dead_letters}, whose writer
 * must never stop the job: there a missing source or kind becomes {@value #UNKNOWN}.
 */
public final class TableRows {

    /** Stand-in for a missing source or kind of a dead letter. */
    public static final String UNKNOWN = "unknown";

    private TableRows() {}

    /** The Flink type of a table's rows, for {@code map(..., typeInfo)}: avoids Kryo for RowData. */
    public static InternalTypeInfo<RowData> typeInfo(TableDefinition definition) {
        return InternalTypeInfo.of(FlinkSchemaUtil.convert(definition.schema()));
    }

    /** {@code variant_engagement}. */
    public static RowData engagement(EngagementRow r) {
        return GenericRowData.of(
                TimestampData.fromEpochMillis(r.windowStart),
                TimestampData.fromEpochMillis(r.windowEnd),
                required(r.experiment, "variant_engagement.experiment"),
                required(r.variant, "variant_engagement.variant"),
                str(r.surface),
                str(r.segment),
                r.impressions,
                r.itemImpressions,
                r.clicks,
                r.clickedImpressions);
    }

    /** {@code experiment_unit_daily}; {@code day} is days since the epoch, as Flink's DATE is. */
    public static RowData unitDaily(UnitDailyRow r) {
        return GenericRowData.of(
                r.day,
                required(r.experiment, "experiment_unit_daily.experiment"),
                required(r.variant, "experiment_unit_daily.variant"),
                required(r.unitKey, "experiment_unit_daily.unit_key"),
                r.impressions,
                r.itemImpressions,
                r.clicks,
                r.clickedImpressions);
    }

    /** {@code variant_side_effects}; the histogram array is wrapped, not copied. */
    public static RowData sideEffect(SideEffectRow r) {
        return GenericRowData.of(
                TimestampData.fromEpochMillis(r.windowStart),
                TimestampData.fromEpochMillis(r.windowEnd),
                required(r.experiment, "variant_side_effects.experiment"),
                required(r.variant, "variant_side_effects.variant"),
                required(r.service, "variant_side_effects.service"),
                required(r.operation, "variant_side_effects.operation"),
                r.spanCount,
                r.errorCount,
                r.durationSumMicros,
                r.latencyHistogram == null ? null : new GenericArrayData(r.latencyHistogram),
                r.dbCalls,
                r.dbTimeMicros,
                r.cacheHits,
                r.cacheMisses,
                expHistogram(r.latencyExpHistogram));
    }

    private static GenericMapData expHistogram(ExponentialHistogram h) {
        if (h == null) {
            return null;
        }
        ExponentialHistogram.Buckets b = h.buckets();
        Map<Object, Object> m = new HashMap<>(b.indexes().length * 2);
        for (int k = 0; k < b.indexes().length; k++) {
            m.put(b.indexes()[k], b.counts()[k]);
        }
        return new GenericMapData(m);
    }

    /** {@code experiment_exposures}. */
    public static RowData exposure(ExposureRow r) {
        return GenericRowData.of(
                required(r.experiment, "experiment_exposures.experiment"),
                required(r.variant, "experiment_exposures.variant"),
                required(r.unitKey, "experiment_exposures.unit_key"),
                TimestampData.fromEpochMillis(r.firstExposureAt),
                str(r.impressionId),
                str(r.surface),
                str(r.segment));
    }

    /** {@code lineage_history}, nested lists, maps and the trace struct included. */
    public static RowData lineage(LineageRow r) {
        return GenericRowData.of(
                required(r.impressionId, "lineage_history.impression_id"),
                str(r.traceId),
                str(r.lineageId),
                str(r.unitKey),
                str(r.sessionId),
                str(r.surface),
                str(r.segment),
                TimestampData.fromEpochMillis(r.servedAt),
                stringMap(r.experiments),
                stringMap(r.variantSources),
                str(r.modelName),
                str(r.modelVersion),
                list(r.features, TableRows::feature),
                list(r.items, TableRows::slateItem),
                trace(r.trace),
                list(r.clicks, TableRows::click));
    }

    /** {@code lineage_anomalies}. */
    public static RowData anomaly(AnomalyRow r) {
        return GenericRowData.of(
                required(r.kind, "lineage_anomalies.kind"),
                TimestampData.fromEpochMillis(r.eventTime),
                str(r.traceId),
                str(r.impressionId),
                str(r.clickId),
                str(r.lineageId),
                str(r.experiment),
                str(r.variant),
                str(r.detail));
    }

    /** {@code lineage_completeness}. */
    public static RowData completeness(CompletenessRow r) {
        return GenericRowData.of(
                r.day,
                required(r.experiment, "lineage_completeness.experiment"),
                required(r.variant, "lineage_completeness.variant"),
                r.impressions,
                r.completeImpressions,
                r.features,
                r.featuresWithAncestry,
                r.staleFeatures);
    }

    /** {@code dead_letters}, with {@code recorded_at} from the record's timestamp or the current time. */
    public static RowData deadLetter(DeadLetter d) {
        return deadLetter(d, System.currentTimeMillis());
    }

    /**
     * {@code dead_letters}. A record timestamp of 0 or less means the source had none (Kafka uses -1):
     * then {@code nowMillis}, the conversion time, stands in, so the row still lands in a day partition
     * near the time it was rejected and retention removes it on schedule.
     */
    public static RowData deadLetter(DeadLetter d, long nowMillis) {
        return GenericRowData.of(
                TimestampData.fromEpochMillis(d.recordTimestamp > 0 ? d.recordTimestamp : nowMillis),
                StringData.fromString(d.source == null ? UNKNOWN : d.source),
                d.partition,
                d.offset,
                StringData.fromString(d.kind == null ? UNKNOWN : d.kind),
                str(d.error),
                d.raw,
                d.rawSize);
    }

    private static RowData feature(FeatureRef f) {
        return GenericRowData.of(str(f.name), str(f.version), str(f.hash), str(f.source), str(f.pipelineTraceId),
                f.producedAt == null ? null : TimestampData.fromEpochMillis(f.producedAt));
    }

    private static RowData slateItem(SlateItem i) {
        return GenericRowData.of(str(i.itemId), i.position, i.score);
    }

    private static RowData click(ClickRef c) {
        return GenericRowData.of(str(c.clickId), str(c.itemId), c.position, TimestampData.fromEpochMillis(c.clickedAt));
    }

    private static RowData trace(TraceSummary t) {
        if (t == null) {
            return null;
        }
        Map<Object, Object> serviceTime = null;
        if (t.serviceTimeMicros != null) {
            serviceTime = new HashMap<>();
            for (Map.Entry<String, Long> e : t.serviceTimeMicros.entrySet()) {
                if (e.getKey() != null) {
                    serviceTime.put(StringData.fromString(e.getKey()), e.getValue());
                }
            }
        }
        return GenericRowData.of(
                t.spanCount,
                t.errorCount,
                t.rootDurationMicros,
                t.dbTimeMicros,
                t.cacheHits,
                t.cacheMisses,
                serviceTime == null ? null : new GenericMapData(serviceTime));
    }

    static GenericMapData stringMap(Map<String, String> map) {
        if (map == null) {
            return null;
        }
        Map<Object, Object> converted = new HashMap<>();
        for (Map.Entry<String, String> e : map.entrySet()) {
            // Iceberg map keys are required; a null key cannot be stored.
            if (e.getKey() != null) {
                converted.put(StringData.fromString(e.getKey()), StringData.fromString(e.getValue()));
            }
        }
        return new GenericMapData(converted);
    }

    static <T> GenericArrayData list(List<T> values, Function<T, RowData> element) {
        if (values == null) {
            return null;
        }
        Object[] out = new Object[values.size()];
        for (int i = 0; i < out.length; i++) {
            T value = values.get(i);
            out[i] = value == null ? null : element.apply(value);
        }
        return new GenericArrayData(out);
    }

    static StringData str(String value) {
        return StringData.fromString(value);
    }

    private static StringData required(String value, String column) {
        if (value == null) {
            throw new NullPointerException(column + " is a required column but the row has null: fix the operator that built it");
        }
        return StringData.fromString(value);
    }

    /** Map function writing {@code variant_engagement} rows. */
    public static final class EngagementConverter implements MapFunction<EngagementRow, RowData> {
        private static final long serialVersionUID = 1L;

        @Override
        public RowData map(EngagementRow value) {
            return engagement(value);
        }
    }

    /** Map function writing {@code experiment_unit_daily} rows. */
    public static final class UnitDailyConverter implements MapFunction<UnitDailyRow, RowData> {
        private static final long serialVersionUID = 1L;

        @Override
        public RowData map(UnitDailyRow value) {
            return unitDaily(value);
        }
    }

    /** Map function writing {@code variant_side_effects} rows. */
    public static final class SideEffectConverter implements MapFunction<SideEffectRow, RowData> {
        private static final long serialVersionUID = 1L;

        @Override
        public RowData map(SideEffectRow value) {
            return sideEffect(value);
        }
    }

    /** Map function writing {@code experiment_exposures} rows. */
    public static final class ExposureConverter implements MapFunction<ExposureRow, RowData> {
        private static final long serialVersionUID = 1L;

        @Override
        public RowData map(ExposureRow value) {
            return exposure(value);
        }
    }

    /** Map function writing {@code lineage_history} rows. */
    public static final class LineageConverter implements MapFunction<LineageRow, RowData> {
        private static final long serialVersionUID = 1L;

        @Override
        public RowData map(LineageRow value) {
            return lineage(value);
        }
    }

    /**
     * Map function writing {@code lineage_anomalies} rows; counts them by kind (metric {@code anomalies} in the group
     * {@code kind=<kind>}, a Prometheus label), the one place every anomaly passes.
     */
    public static final class AnomalyConverter extends RichMapFunction<AnomalyRow, RowData> {
        private static final long serialVersionUID = 1L;
        private transient Map<String, Counter> byKind;

        @Override
        public void open(OpenContext openContext) {
            byKind = new HashMap<>();
        }

        @Override
        public RowData map(AnomalyRow value) {
            if (byKind != null) {
                // Kinds are a small fixed set (AnomalyRow constants): one counter each, created when first seen.
                byKind.computeIfAbsent(String.valueOf(value.kind), k -> getRuntimeContext().getMetricGroup().addGroup("kind", k).counter("anomalies")).inc();
            }
            return anomaly(value);
        }
    }

    /** Map function writing {@code lineage_completeness} rows. */
    public static final class CompletenessConverter implements MapFunction<CompletenessRow, RowData> {
        private static final long serialVersionUID = 1L;

        @Override
        public RowData map(CompletenessRow value) {
            return completeness(value);
        }
    }

    /** Map function writing {@code dead_letters} rows. */
    public static final class DeadLetterConverter implements MapFunction<DeadLetter, RowData> {
        private static final long serialVersionUID = 1L;

        @Override
        public RowData map(DeadLetter value) {
            return deadLetter(value);
        }
    }
}
