package io.recolens.model;

import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Hand-written serializer of {@link Impression} for the impression stream between tasks and through batch sorts
 * (see {@link InFlightSerializer}); keyed state of impressions keeps the POJO serializer.
 */
public final class ImpressionSerializer extends InFlightSerializer<Impression> {
    private static final long serialVersionUID = 1L;

    public static final ImpressionSerializer INSTANCE = new ImpressionSerializer();

    /** The impression stream's type: its records travel with {@link #INSTANCE}. */
    public static final TypeInformation<Impression> TYPE = typeOf(Impression.class, INSTANCE);

    @Override
    public Impression createInstance() {
        return new Impression();
    }

    @Override
    public Impression copy(Impression from) {
        Impression to = new Impression();
        to.impressionId = from.impressionId;
        to.traceId = from.traceId;
        to.lineageId = from.lineageId;
        to.unitKey = from.unitKey;
        to.sessionId = from.sessionId;
        to.surface = from.surface;
        to.segment = from.segment;
        to.servedAt = from.servedAt;
        to.experiments = ModelSerialization.copyStringMap(from.experiments);
        to.baggageExperiments = ModelSerialization.copyStringMap(from.baggageExperiments);
        to.modelName = from.modelName;
        to.modelVersion = from.modelVersion;
        to.features = ModelSerialization.copyFeatures(from.features);
        to.items = ModelSerialization.copyItems(from.items);
        to.trimmed = from.trimmed;
        return to;
    }

    @Override
    public void serialize(Impression i, DataOutputView out) throws IOException {
        StringValue.writeString(i.impressionId, out);
        StringValue.writeString(i.traceId, out);
        StringValue.writeString(i.lineageId, out);
        StringValue.writeString(i.unitKey, out);
        StringValue.writeString(i.sessionId, out);
        StringValue.writeString(i.surface, out);
        StringValue.writeString(i.segment, out);
        out.writeLong(i.servedAt);
        ModelSerialization.writeStringMap(i.experiments, out);
        ModelSerialization.writeStringMap(i.baggageExperiments, out);
        StringValue.writeString(i.modelName, out);
        StringValue.writeString(i.modelVersion, out);
        ModelSerialization.writeFeatures(i.features, out);
        ModelSerialization.writeItems(i.items, out);
        StringValue.writeString(i.trimmed, out);
    }

    @Override
    public Impression deserialize(DataInputView in) throws IOException {
        Impression i = new Impression();
        i.impressionId = StringValue.readString(in);
        i.traceId = StringValue.readString(in);
        i.lineageId = StringValue.readString(in);
        i.unitKey = StringValue.readString(in);
        i.sessionId = StringValue.readString(in);
        i.surface = StringValue.readString(in);
        i.segment = StringValue.readString(in);
        i.servedAt = in.readLong();
        i.experiments = ModelSerialization.readStringMap(in);
        i.baggageExperiments = ModelSerialization.readStringMap(in);
        i.modelName = StringValue.readString(in);
        i.modelVersion = StringValue.readString(in);
        i.features = ModelSerialization.readFeatures(in);
        i.items = ModelSerialization.readItems(in);
        i.trimmed = StringValue.readString(in);
        return i;
    }

    @Override
    public TypeSerializerSnapshot<Impression> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Snapshot of the stateless serializer (Flink restores it by its no-argument constructor). */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<Impression> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
