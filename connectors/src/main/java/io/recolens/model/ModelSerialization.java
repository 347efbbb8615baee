package io.recolens.model;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The parts the hand-written serializers of records in flight share: string maps, feature, slate-item and click
 * lists, trace summaries — written, read and deep-copied. Everything the POJO serializer accepts round-trips: null
 * strings (their own marker), null maps and lists (size -1), null keys and values, null list elements (a flag each).
 */
public final class ModelSerialization {
    private static final int PRODUCED_AT = 1;

    private ModelSerialization() {}

    public static void writeStringMap(Map<String, String> map, DataOutputView out) throws IOException {
        if (map == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(map.size());
        for (Map.Entry<String, String> e : map.entrySet()) {
            StringCodec.write(e.getKey(), out);
            StringCodec.write(e.getValue(), out);
        }
    }

    public static Map<String, String> readStringMap(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) return null;
        Map<String, String> map = newMap(n);
        for (int i = 0; i < n; i++) map.put(StringCodec.read(in), StringCodec.read(in));
        return map;
    }

    /** Strings are immutable: a new map of the same entries is a deep copy. */
    public static Map<String, String> copyStringMap(Map<String, String> map) {
        return map == null ? null : new HashMap<>(map);
    }

    public static void writeFeatures(List<FeatureRef> features, DataOutputView out) throws IOException {
        writeList(features, out, ModelSerialization::writeFeature);
    }

    public static List<FeatureRef> readFeatures(DataInputView in) throws IOException {
        return readList(in, ModelSerialization::readFeature);
    }

    public static List<FeatureRef> copyFeatures(List<FeatureRef> features) {
        return copyList(features, FeatureRef::copy);
    }

    public static void writeItems(List<SlateItem> items, DataOutputView out) throws IOException {
        writeList(items, out, (s, o) -> {
            StringCodec.write(s.itemId, o);
            o.writeInt(s.position);
            o.writeDouble(s.score);
        });
    }

    public static List<SlateItem> readItems(DataInputView in) throws IOException {
        return readList(in, i -> new SlateItem(StringCodec.read(i), i.readInt(), i.readDouble()));
    }

    public static List<SlateItem> copyItems(List<SlateItem> items) {
        return copyList(items, s -> new SlateItem(s.itemId, s.position, s.score));
    }

    public static void writeClicks(List<ClickRef> clicks, DataOutputView out) throws IOException {
        writeList(clicks, out, (c, o) -> {
            StringCodec.write(c.clickId, o);
            StringCodec.write(c.itemId, o);
            o.writeInt(c.position);
            o.writeLong(c.clickedAt);
        });
    }

    public static List<ClickRef> readClicks(DataInputView in) throws IOException {
        return readList(in, i -> new ClickRef(StringCodec.read(i), StringCodec.read(i), i.readInt(), i.readLong()));
    }

    public static List<ClickRef> copyClicks(List<ClickRef> clicks) {
        return copyList(clicks, c -> new ClickRef(c.clickId, c.itemId, c.position, c.clickedAt));
    }

    public static void writeSummary(TraceSummary t, DataOutputView out) throws IOException {
        out.writeBoolean(t != null);
        if (t == null) return;
        out.writeInt(t.spanCount);
        out.writeInt(t.errorCount);
        out.writeLong(t.rootDurationMicros);
        out.writeLong(t.dbTimeMicros);
        out.writeInt(t.cacheHits);
        out.writeInt(t.cacheMisses);
        Map<String, Long> times = t.serviceTimeMicros;
        out.writeInt(times == null ? -1 : times.size());
        if (times == null) return;
        for (Map.Entry<String, Long> e : times.entrySet()) {
            StringCodec.write(e.getKey(), out);
            out.writeBoolean(e.getValue() != null);
            if (e.getValue() != null) out.writeLong(e.getValue());
        }
    }

    public static TraceSummary readSummary(DataInputView in) throws IOException {
        if (!in.readBoolean()) return null;
        TraceSummary t = new TraceSummary();
        t.spanCount = in.readInt();
        t.errorCount = in.readInt();
        t.rootDurationMicros = in.readLong();
        t.dbTimeMicros = in.readLong();
        t.cacheHits = in.readInt();
        t.cacheMisses = in.readInt();
        int n = in.readInt();
        t.serviceTimeMicros = n < 0 ? null : newMap(n);
        for (int i = 0; i < n; i++) {
            String service = StringCodec.read(in);
            t.serviceTimeMicros.put(service, in.readBoolean() ? in.readLong() : null);
        }
        return t;
    }

    public static TraceSummary copySummary(TraceSummary from) {
        if (from == null) return null;
        TraceSummary t = new TraceSummary();
        t.spanCount = from.spanCount;
        t.errorCount = from.errorCount;
        t.rootDurationMicros = from.rootDurationMicros;
        t.dbTimeMicros = from.dbTimeMicros;
        t.cacheHits = from.cacheHits;
        t.cacheMisses = from.cacheMisses;
        t.serviceTimeMicros = from.serviceTimeMicros == null ? null : new HashMap<>(from.serviceTimeMicros);
        return t;
    }

    private static void writeFeature(FeatureRef f, DataOutputView out) throws IOException {
        StringCodec.write(f.name, out);
        StringCodec.write(f.version, out);
        StringCodec.write(f.hash, out);
        StringCodec.write(f.source, out);
        StringCodec.write(f.pipelineTraceId, out);
        out.writeByte(f.producedAt == null ? 0 : PRODUCED_AT);
        if (f.producedAt != null) out.writeLong(f.producedAt);
    }

    private static FeatureRef readFeature(DataInputView in) throws IOException {
        FeatureRef f = new FeatureRef(StringCodec.read(in), StringCodec.read(in), StringCodec.read(in));
        f.source = StringCodec.read(in);
        f.pipelineTraceId = StringCodec.read(in);
        if ((in.readByte() & PRODUCED_AT) != 0) f.producedAt = in.readLong();
        return f;
    }

    private static <T> void writeList(List<T> list, DataOutputView out, Writer<T> writer) throws IOException {
        if (list == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(list.size());
        for (T element : list) {
            out.writeBoolean(element != null);
            if (element != null) writer.write(element, out);
        }
    }

    private static <T> List<T> readList(DataInputView in, Reader<T> reader) throws IOException {
        int n = in.readInt();
        if (n < 0) return null;
        // One spare slot: a click or a provenance copy is often added to a list just read.
        List<T> list = new ArrayList<>(n + 1);
        for (int i = 0; i < n; i++) list.add(in.readBoolean() ? reader.read(in) : null);
        return list;
    }

    private static <T> List<T> copyList(List<T> list, UnaryOperator<T> copier) {
        if (list == null) return null;
        List<T> copy = new ArrayList<>(list.size());
        for (T element : list) copy.add(element == null ? null : copier.apply(element));
        return copy;
    }

    private static <V> Map<String, V> newMap(int n) {
        return n <= 12 ? new HashMap<>() : new HashMap<>((int) (n / 0.75f) + 1);
    }

    /** Writes one non-null list element. */
    @FunctionalInterface
    private interface Writer<T> {
        void write(T value, DataOutputView out) throws IOException;
    }

    /** Reads one non-null list element. */
    @FunctionalInterface
    private interface Reader<T> {
        T read(DataInputView in) throws IOException;
    }
}
