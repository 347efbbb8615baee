package io.recolens.model;

import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Hand-written serializer of {@link LineageRow} for lineage rows between tasks and through batch sorts (see
 * {@link InFlightSerializer}); the rows held in keyed state keep the POJO serializer.
 */
public final class LineageRowSerializer extends InFlightSerializer<LineageRow> {
    private static final long serialVersionUID = 1L;

    public static final LineageRowSerializer INSTANCE = new LineageRowSerializer();

    /** The type of lineage-row streams: their records travel with {@link #INSTANCE}. */
    public static final TypeInformation<LineageRow> TYPE = typeOf(LineageRow.class, INSTANCE);

    @Override
    public LineageRow createInstance() {
        return new LineageRow();
    }

    @Override
    public LineageRow copy(LineageRow from) {
        LineageRow to = new LineageRow();
        to.impressionId = from.impressionId;
        to.traceId = from.traceId;
        to.lineageId = from.lineageId;
        to.unitKey = from.unitKey;
        to.sessionId = from.sessionId;
        to.surface = from.surface;
        to.segment = from.segment;
        to.servedAt = from.servedAt;
        to.experiments = ModelSerialization.copyStringMap(from.experiments);
        to.variantSources = ModelSerialization.copyStringMap(from.variantSources);
        to.modelName = from.modelName;
        to.modelVersion = from.modelVersion;
        to.features = ModelSerialization.copyFeatures(from.features);
        to.items = ModelSerialization.copyItems(from.items);
        to.trace = ModelSerialization.copySummary(from.trace);
        to.clicks = ModelSerialization.copyClicks(from.clicks);
        return to;
    }

    @Override
    public void serialize(LineageRow r, DataOutputView out) throws IOException {
        StringCodec.write(r.impressionId, out);
        StringCodec.write(r.traceId, out);
        StringCodec.write(r.lineageId, out);
        StringCodec.write(r.unitKey, out);
        StringCodec.write(r.sessionId, out);
        StringCodec.write(r.surface, out);
        StringCodec.write(r.segment, out);
        out.writeLong(r.servedAt);
        ModelSerialization.writeStringMap(r.experiments, out);
        ModelSerialization.writeStringMap(r.variantSources, out);
        StringCodec.write(r.modelName, out);
        StringCodec.write(r.modelVersion, out);
        ModelSerialization.writeFeatures(r.features, out);
        ModelSerialization.writeItems(r.items, out);
        ModelSerialization.writeSummary(r.trace, out);
        ModelSerialization.writeClicks(r.clicks, out);
    }

    @Override
    public LineageRow deserialize(DataInputView in) throws IOException {
        LineageRow r = new LineageRow();
        r.impressionId = StringCodec.read(in);
        r.traceId = StringCodec.read(in);
        r.lineageId = StringCodec.read(in);
        r.unitKey = StringCodec.read(in);
        r.sessionId = StringCodec.read(in);
        r.surface = StringCodec.read(in);
        r.segment = StringCodec.read(in);
        r.servedAt = in.readLong();
        r.experiments = ModelSerialization.readStringMap(in);
        r.variantSources = ModelSerialization.readStringMap(in);
        r.modelName = StringCodec.read(in);
        r.modelVersion = StringCodec.read(in);
        r.features = ModelSerialization.readFeatures(in);
        r.items = ModelSerialization.readItems(in);
        r.trace = ModelSerialization.readSummary(in);
        r.clicks = ModelSerialization.readClicks(in);
        return r;
    }

    @Override
    public TypeSerializerSnapshot<LineageRow> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Snapshot of the stateless serializer (Flink restores it by its no-argument constructor). */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<LineageRow> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
