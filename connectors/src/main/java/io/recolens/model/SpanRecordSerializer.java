package io.recolens.model;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Hand-written serializer of {@link SpanRecord} for the span stream between tasks and through batch sorts: fields
 * in a fixed order, no reflection, no per-field null flags (strings carry their own null marker). Keyed state keeps
 * the POJO serializer it was written with, so savepoints are unaffected; only records in flight use this one.
 */
public final class SpanRecordSerializer extends TypeSerializerSingleton<SpanRecord> {
    private static final long serialVersionUID = 1L;

    public static final SpanRecordSerializer INSTANCE = new SpanRecordSerializer();

    /** The span stream's type: its records travel with {@link #INSTANCE}. */
    public static final TypeInformation<SpanRecord> TYPE = new Info();

    private static final int ERROR = 1;
    private static final int DATABASE = 2;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public SpanRecord createInstance() {
        return new SpanRecord();
    }

    @Override
    public SpanRecord copy(SpanRecord from) {
        SpanRecord to = new SpanRecord();
        to.traceId = from.traceId;
        to.spanId = from.spanId;
        to.parentSpanId = from.parentSpanId;
        to.service = from.service;
        to.name = from.name;
        to.kind = from.kind;
        to.startMs = from.startMs;
        to.durationMicros = from.durationMicros;
        to.error = from.error;
        to.database = from.database;
        to.cacheHit = from.cacheHit;
        to.attributeVariants = from.attributeVariants == null ? null : new HashMap<>(from.attributeVariants);
        to.flagVariants = from.flagVariants == null ? null : new HashMap<>(from.flagVariants);
        to.lineageId = from.lineageId;
        to.featureName = from.featureName;
        to.featureVersion = from.featureVersion;
        to.featureSource = from.featureSource;
        to.modelName = from.modelName;
        to.modelVersion = from.modelVersion;
        to.trimmed = from.trimmed;
        return to;
    }

    @Override
    public SpanRecord copy(SpanRecord from, SpanRecord reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(SpanRecord s, DataOutputView out) throws IOException {
        StringValue.writeString(s.traceId, out);
        StringValue.writeString(s.spanId, out);
        StringValue.writeString(s.parentSpanId, out);
        StringValue.writeString(s.service, out);
        StringValue.writeString(s.name, out);
        out.writeInt(s.kind);
        out.writeLong(s.startMs);
        out.writeLong(s.durationMicros);
        out.writeByte((s.error ? ERROR : 0) | (s.database ? DATABASE : 0));
        out.writeInt(s.cacheHit);
        writeMap(s.attributeVariants, out);
        writeMap(s.flagVariants, out);
        StringValue.writeString(s.lineageId, out);
        StringValue.writeString(s.featureName, out);
        StringValue.writeString(s.featureVersion, out);
        StringValue.writeString(s.featureSource, out);
        StringValue.writeString(s.modelName, out);
        StringValue.writeString(s.modelVersion, out);
        StringValue.writeString(s.trimmed, out);
    }

    @Override
    public SpanRecord deserialize(DataInputView in) throws IOException {
        SpanRecord s = new SpanRecord();
        s.traceId = StringValue.readString(in);
        s.spanId = StringValue.readString(in);
        s.parentSpanId = StringValue.readString(in);
        s.service = StringValue.readString(in);
        s.name = StringValue.readString(in);
        s.kind = in.readInt();
        s.startMs = in.readLong();
        s.durationMicros = in.readLong();
        int flags = in.readByte();
        s.error = (flags & ERROR) != 0;
        s.database = (flags & DATABASE) != 0;
        s.cacheHit = in.readInt();
        s.attributeVariants = readMap(in);
        s.flagVariants = readMap(in);
        s.lineageId = StringValue.readString(in);
        s.featureName = StringValue.readString(in);
        s.featureVersion = StringValue.readString(in);
        s.featureSource = StringValue.readString(in);
        s.modelName = StringValue.readString(in);
        s.modelVersion = StringValue.readString(in);
        s.trimmed = StringValue.readString(in);
        return s;
    }

    @Override
    public SpanRecord deserialize(SpanRecord reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    static void writeMap(Map<String, String> map, DataOutputView out) throws IOException {
        if (map == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(map.size());
        for (Map.Entry<String, String> e : map.entrySet()) {
            StringValue.writeString(e.getKey(), out);
            StringValue.writeString(e.getValue(), out);
        }
    }

    static Map<String, String> readMap(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) return null;
        Map<String, String> map = n <= 12 ? new HashMap<>() : new HashMap<>((int) (n / 0.75f) + 1);
        for (int i = 0; i < n; i++) map.put(StringValue.readString(in), StringValue.readString(in));
        return map;
    }

    @Override
    public TypeSerializerSnapshot<SpanRecord> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Snapshot of the stateless serializer (Flink restores it by its no-argument constructor). */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<SpanRecord> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    /** The type information that hands out {@link #INSTANCE}. */
    private static final class Info extends TypeInformation<SpanRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean isBasicType() {
            return false;
        }

        @Override
        public boolean isTupleType() {
            return false;
        }

        @Override
        public int getArity() {
            return 1;
        }

        @Override
        public int getTotalFields() {
            return 1;
        }

        @Override
        public Class<SpanRecord> getTypeClass() {
            return SpanRecord.class;
        }

        @Override
        public boolean isKeyType() {
            return false;
        }

        @Override
        public TypeSerializer<SpanRecord> createSerializer(SerializerConfig config) {
            return INSTANCE;
        }

        @Override
        public String toString() {
            return "SpanRecord(hand-written serializer)";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Info;
        }

        @Override
        public int hashCode() {
            return Info.class.hashCode();
        }

        @Override
        public boolean canEqual(Object o) {
            return o instanceof Info;
        }
    }
}
