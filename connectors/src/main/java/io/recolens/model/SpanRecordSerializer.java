package io.recolens.model;

import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Hand-written serializer of {@link SpanRecord} for the span stream between tasks and through batch sorts: fields
 * in a fixed order, no reflection, no per-field null flags (strings carry their own null marker). Keyed state keeps
 * the POJO serializer it was written with, so savepoints are unaffected; only records in flight use this one.
 */
public final class SpanRecordSerializer extends InFlightSerializer<SpanRecord> {
    private static final long serialVersionUID = 1L;

    public static final SpanRecordSerializer INSTANCE = new SpanRecordSerializer();

    /** The span stream's type: its records travel with {@link #INSTANCE}. */
    public static final TypeInformation<SpanRecord> TYPE = typeOf(SpanRecord.class, INSTANCE);

    private static final int ERROR = 1;
    private static final int DATABASE = 2;

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
        to.attributeVariants = ModelSerialization.copyStringMap(from.attributeVariants);
        to.flagVariants = ModelSerialization.copyStringMap(from.flagVariants);
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
    public void serialize(SpanRecord s, DataOutputView out) throws IOException {
        StringCodec.write(s.traceId, out);
        StringCodec.write(s.spanId, out);
        StringCodec.write(s.parentSpanId, out);
        StringCodec.write(s.service, out);
        StringCodec.write(s.name, out);
        out.writeInt(s.kind);
        out.writeLong(s.startMs);
        out.writeLong(s.durationMicros);
        out.writeByte((s.error ? ERROR : 0) | (s.database ? DATABASE : 0));
        out.writeInt(s.cacheHit);
        ModelSerialization.writeStringMap(s.attributeVariants, out);
        ModelSerialization.writeStringMap(s.flagVariants, out);
        StringCodec.write(s.lineageId, out);
        StringCodec.write(s.featureName, out);
        StringCodec.write(s.featureVersion, out);
        StringCodec.write(s.featureSource, out);
        StringCodec.write(s.modelName, out);
        StringCodec.write(s.modelVersion, out);
        StringCodec.write(s.trimmed, out);
    }

    @Override
    public SpanRecord deserialize(DataInputView in) throws IOException {
        SpanRecord s = new SpanRecord();
        s.traceId = StringCodec.read(in);
        s.spanId = StringCodec.read(in);
        s.parentSpanId = StringCodec.read(in);
        s.service = StringCodec.read(in);
        s.name = StringCodec.read(in);
        s.kind = in.readInt();
        s.startMs = in.readLong();
        s.durationMicros = in.readLong();
        int flags = in.readByte();
        s.error = (flags & ERROR) != 0;
        s.database = (flags & DATABASE) != 0;
        s.cacheHit = in.readInt();
        s.attributeVariants = ModelSerialization.readStringMap(in);
        s.flagVariants = ModelSerialization.readStringMap(in);
        s.lineageId = StringCodec.read(in);
        s.featureName = StringCodec.read(in);
        s.featureVersion = StringCodec.read(in);
        s.featureSource = StringCodec.read(in);
        s.modelName = StringCodec.read(in);
        s.modelVersion = StringCodec.read(in);
        s.trimmed = StringCodec.read(in);
        return s;
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
}
