package io.recolens.connectors.iceberg;

import io.recolens.model.Click;
import io.recolens.model.FeatureRef;
import io.recolens.model.Impression;
import io.recolens.model.SlateItem;
import io.recolens.model.SpanRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.TimestampData;

/**
 * The raw archive's rows ({@code raw_impressions}, {@code raw_clicks}, {@code raw_spans}) to and from the decoded
 * records, field by field in the column order of {@code iceberg-schemas/raw_*.json}. A record written and read back
 * equals the decoded one in every field the job reads, so a batch run over the archive sees what the job saw.
 */
public final class ArchiveRows {
    private ArchiveRows() {}

    /** {@code raw_impressions}: the decoded impression, unit key only. */
    public static RowData impression(Impression i) {
        return GenericRowData.of(
                TableRows.str(i.impressionId),
                TableRows.str(i.traceId),
                TableRows.str(i.lineageId),
                TableRows.str(i.unitKey),
                TableRows.str(i.sessionId),
                TableRows.str(i.surface),
                TableRows.str(i.segment),
                TimestampData.fromEpochMillis(i.servedAt),
                TableRows.stringMap(i.experiments),
                TableRows.stringMap(i.baggageExperiments),
                TableRows.str(i.modelName),
                TableRows.str(i.modelVersion),
                TableRows.list(i.features, f -> GenericRowData.of(TableRows.str(f.name), TableRows.str(f.version), TableRows.str(f.hash))),
                TableRows.list(i.items, s -> GenericRowData.of(TableRows.str(s.itemId), s.position, s.score)),
                TableRows.str(i.trimmed));
    }

    /** {@code raw_clicks}. */
    public static RowData click(Click c) {
        return GenericRowData.of(
                TableRows.str(c.clickId),
                TableRows.str(c.impressionId),
                TableRows.str(c.traceId),
                TableRows.str(c.itemId),
                c.position,
                TableRows.str(c.unitKey),
                TimestampData.fromEpochMillis(c.clickedAt),
                TableRows.stringMap(c.experiments));
    }

    /** {@code raw_spans}. */
    public static RowData span(SpanRecord s) {
        return GenericRowData.of(
                TableRows.str(s.traceId),
                TableRows.str(s.spanId),
                TableRows.str(s.parentSpanId),
                TableRows.str(s.service),
                TableRows.str(s.name),
                s.kind,
                TimestampData.fromEpochMillis(s.startMs),
                s.durationMicros,
                s.error,
                s.database,
                s.cacheHit,
                TableRows.stringMap(s.attributeVariants),
                TableRows.stringMap(s.flagVariants),
                TableRows.str(s.lineageId),
                TableRows.str(s.featureName),
                TableRows.str(s.featureVersion),
                TableRows.str(s.featureSource),
                TableRows.str(s.modelName),
                TableRows.str(s.modelVersion),
                TableRows.str(s.trimmed));
    }

    /** A {@code raw_impressions} row back to the decoded impression. */
    public static Impression toImpression(RowData r) {
        Impression i = new Impression();
        i.impressionId = string(r, 0);
        i.traceId = string(r, 1);
        i.lineageId = string(r, 2);
        i.unitKey = string(r, 3);
        i.sessionId = string(r, 4);
        i.surface = string(r, 5);
        i.segment = string(r, 6);
        i.servedAt = r.getTimestamp(7, 6).getMillisecond();
        i.experiments = map(r, 8);
        i.baggageExperiments = map(r, 9);
        i.modelName = string(r, 10);
        i.modelVersion = string(r, 11);
        i.features = new ArrayList<>();
        for (RowData f : structs(r, 12, 3)) {
            i.features.add(f == null ? null : new FeatureRef(string(f, 0), string(f, 1), string(f, 2)));
        }
        i.items = new ArrayList<>();
        for (RowData s : structs(r, 13, 3)) {
            i.items.add(s == null ? null : new SlateItem(string(s, 0), s.isNullAt(1) ? 0 : s.getInt(1), s.isNullAt(2) ? 0.0 : s.getDouble(2)));
        }
        i.trimmed = string(r, 14);
        return i;
    }

    /** A {@code raw_clicks} row back to the decoded click. */
    public static Click toClick(RowData r) {
        Click c = new Click();
        c.clickId = string(r, 0);
        c.impressionId = string(r, 1);
        c.traceId = string(r, 2);
        c.itemId = string(r, 3);
        c.position = r.isNullAt(4) ? 0 : r.getInt(4);
        c.unitKey = string(r, 5);
        c.clickedAt = r.getTimestamp(6, 6).getMillisecond();
        c.experiments = map(r, 7);
        return c;
    }

    /** A {@code raw_spans} row back to the decoded span. */
    public static SpanRecord toSpan(RowData r) {
        SpanRecord s = new SpanRecord();
        s.traceId = string(r, 0);
        s.spanId = string(r, 1);
        s.parentSpanId = string(r, 2);
        s.service = string(r, 3);
        s.name = string(r, 4);
        s.kind = r.isNullAt(5) ? 0 : r.getInt(5);
        s.startMs = r.getTimestamp(6, 6).getMillisecond();
        s.durationMicros = r.isNullAt(7) ? 0 : r.getLong(7);
        s.error = !r.isNullAt(8) && r.getBoolean(8);
        s.database = !r.isNullAt(9) && r.getBoolean(9);
        s.cacheHit = r.isNullAt(10) ? -1 : r.getInt(10);
        s.attributeVariants = map(r, 11);
        s.flagVariants = map(r, 12);
        s.lineageId = string(r, 13);
        s.featureName = string(r, 14);
        s.featureVersion = string(r, 15);
        s.featureSource = string(r, 16);
        s.modelName = string(r, 17);
        s.modelVersion = string(r, 18);
        s.trimmed = string(r, 19);
        return s;
    }

    private static String string(RowData r, int pos) {
        return r.isNullAt(pos) ? null : r.getString(pos).toString();
    }

    private static Map<String, String> map(RowData r, int pos) {
        Map<String, String> out = new HashMap<>();
        if (r.isNullAt(pos)) {
            return out;
        }
        MapData m = r.getMap(pos);
        ArrayData keys = m.keyArray();
        ArrayData values = m.valueArray();
        for (int k = 0; k < m.size(); k++) {
            out.put(keys.getString(k).toString(), values.isNullAt(k) ? null : values.getString(k).toString());
        }
        return out;
    }

    private static List<RowData> structs(RowData r, int pos, int fields) {
        List<RowData> out = new ArrayList<>();
        if (r.isNullAt(pos)) {
            return out;
        }
        ArrayData a = r.getArray(pos);
        for (int k = 0; k < a.size(); k++) {
            out.add(a.isNullAt(k) ? null : a.getRow(k, fields));
        }
        return out;
    }

    /** The sink's map function for one archive table: a stateless reference to the converter above. */
    public static MapFunction<Impression, RowData> impressionRows() {
        return ArchiveRows::impression;
    }

    public static MapFunction<Click, RowData> clickRows() {
        return ArchiveRows::click;
    }

    public static MapFunction<SpanRecord, RowData> spanRows() {
        return ArchiveRows::span;
    }
}
