package io.recolens.model;

import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

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
        StringCodec.write(i.impressionId, out);
        StringCodec.write(i.traceId, out);
        StringCodec.write(i.lineageId, out);
        StringCodec.write(i.unitKey, out);
        StringCodec.write(i.sessionId, out);
        StringCodec.write(i.surface, out);
        StringCodec.write(i.segment, out);
        out.writeLong(i.servedAt);
        ModelSerialization.writeStringMap(i.experiments, out);
        ModelSerialization.writeStringMap(i.baggageExperiments, out);
        StringCodec.write(i.modelName, out);
        StringCodec.write(i.modelVersion, out);
        ModelSerialization.writeFeatures(i.features, out);
        ModelSerialization.writeItems(i.items, out);
        StringCodec.write(i.trimmed, out);
    }

    @Override
    public Impression deserialize(DataInputView in) throws IOException {
        Impression i = new Impression();
        i.impressionId = StringCodec.read(in);
        i.traceId = StringCodec.read(in);
        i.lineageId = StringCodec.read(in);
        i.unitKey = StringCodec.read(in);
        i.sessionId = StringCodec.read(in);
        i.surface = StringCodec.read(in);
        i.segment = StringCodec.read(in);
        i.servedAt = in.readLong();
        i.experiments = ModelSerialization.readStringMap(in);
        i.baggageExperiments = ModelSerialization.readStringMap(in);
        i.modelName = StringCodec.read(in);
        i.modelVersion = StringCodec.read(in);
        i.features = ModelSerialization.readFeatures(in);
        i.items = ModelSerialization.readItems(in);
        i.trimmed = StringCodec.read(in);
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
