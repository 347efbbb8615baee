package io.recolens.jobs.functions;

import io.recolens.model.InFlightSerializer;
import io.recolens.model.LineageRowSerializer;
import io.recolens.model.ModelSerialization;
import io.recolens.model.StringCodec;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Hand-written serializer of {@link AttributionInput} for the {@link TraceAssembler#TO_ATTRIBUTION} stream: the
 * lineage row through {@link LineageRowSerializer}, the summary update through {@link ModelSerialization}. Only
 * records in flight use it (see {@link InFlightSerializer}).
 */
public final class AttributionInputSerializer extends InFlightSerializer<AttributionInput> {
    private static final long serialVersionUID = 1L;

    public static final AttributionInputSerializer INSTANCE = new AttributionInputSerializer();

    /** The type of the stream into click attribution: its records travel with {@link #INSTANCE}. */
    public static final TypeInformation<AttributionInput> TYPE = typeOf(AttributionInput.class, INSTANCE);

    @Override
    public AttributionInput createInstance() {
        return new AttributionInput();
    }

    @Override
    public AttributionInput copy(AttributionInput from) {
        AttributionInput to = new AttributionInput();
        to.impressionId = from.impressionId;
        to.row = from.row == null ? null : LineageRowSerializer.INSTANCE.copy(from.row);
        to.summary = ModelSerialization.copySummary(from.summary);
        to.traceId = from.traceId;
        to.eventTime = from.eventTime;
        return to;
    }

    @Override
    public void serialize(AttributionInput a, DataOutputView out) throws IOException {
        StringCodec.write(a.impressionId, out);
        out.writeBoolean(a.row != null);
        if (a.row != null) LineageRowSerializer.INSTANCE.serialize(a.row, out);
        ModelSerialization.writeSummary(a.summary, out);
        StringCodec.write(a.traceId, out);
        out.writeLong(a.eventTime);
    }

    @Override
    public AttributionInput deserialize(DataInputView in) throws IOException {
        AttributionInput a = new AttributionInput();
        a.impressionId = StringCodec.read(in);
        a.row = in.readBoolean() ? LineageRowSerializer.INSTANCE.deserialize(in) : null;
        a.summary = ModelSerialization.readSummary(in);
        a.traceId = StringCodec.read(in);
        a.eventTime = in.readLong();
        return a;
    }

    @Override
    public TypeSerializerSnapshot<AttributionInput> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Snapshot of the stateless serializer (Flink restores it by its no-argument constructor). */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<AttributionInput> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
