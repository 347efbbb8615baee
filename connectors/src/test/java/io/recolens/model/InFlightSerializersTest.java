package io.recolens.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.recolens.testkit.SerializerChecks;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hand-written serializers of records in flight keep every field (null or not) as the POJO serializers they
 * replace, copy deeply, and restore from their snapshots; a field added to a record class makes these tests fail
 * until the serializer writes it.
 */
class InFlightSerializersTest {

    static Stream<Arguments> serializers() {
        return Stream.of(
                Arguments.of(SpanRecord.class, SpanRecordSerializer.INSTANCE, SpanRecordSerializer.TYPE),
                Arguments.of(Impression.class, ImpressionSerializer.INSTANCE, ImpressionSerializer.TYPE),
                Arguments.of(LineageRow.class, LineageRowSerializer.INSTANCE, LineageRowSerializer.TYPE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serializers")
    <T> void roundTripAndCopyKeepEveryFieldAsThePojoSerializerDoes(Class<T> type, InFlightSerializer<T> serializer) throws Exception {
        List<T> records = new ArrayList<>(SerializerChecks.randomRecords(type, 11, 500));
        records.add(SerializerChecks.allNull(type));
        records.add(serializer.createInstance());
        assertThat(SerializerChecks.problems(serializer, type, records)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serializers")
    <T> void snapshotRestoresTheSingletonAndTheTypeHandsItOut(Class<T> type, InFlightSerializer<T> serializer, TypeInformation<T> info)
            throws Exception {
        assertThat(SerializerChecks.snapshotProblems(serializer)).isEmpty();
        assertThat(serializer.snapshotConfiguration().restoreSerializer()).isSameAs(serializer);

        assertThat(info.createSerializer(new SerializerConfigImpl())).isSameAs(serializer);
        assertThat(info.getTypeClass()).isEqualTo(type);
        assertThat(info).isEqualTo(InFlightSerializer.typeOf(type, serializer)).hasSameHashCodeAs(InFlightSerializer.typeOf(type, serializer));
        assertThat(info).isNotEqualTo(TypeInformation.of(type));
        assertThat(serializers().map(a -> a.get()[2]).filter(info::equals)).hasSize(1);
        assertThat(serializer.isImmutableType()).isFalse();
        assertThat(serializer.duplicate()).isSameAs(serializer);
    }

    @Test
    void nullElementsKeysAndValuesRoundTrip() throws Exception {
        // The archive reads null slate items and features back as null elements; the POJO path keeps them.
        Impression i = new Impression();
        i.features = new ArrayList<>(Arrays.asList(null, new FeatureRef("emb", "v1", null), new FeatureRef("emb", null, "h")));
        i.features.get(2).producedAt = 0L;
        i.items = new ArrayList<>(Arrays.asList(new SlateItem(null, -1, Double.NaN), null));
        i.experiments = new HashMap<>();
        i.experiments.put(null, "treatment");
        i.experiments.put("exp_1", null);
        i.baggageExperiments = null;
        LineageRow r = new LineageRow();
        r.trace.serviceTimeMicros.put("ranker", null);
        r.clicks = new ArrayList<>(Arrays.asList(null, new ClickRef(null, "item", 3, -5L)));
        LineageRow noTrace = new LineageRow();
        noTrace.trace = null;
        noTrace.clicks = null;

        assertThat(SerializerChecks.problems(ImpressionSerializer.INSTANCE, Impression.class, List.of(i))).isEmpty();
        assertThat(SerializerChecks.problems(LineageRowSerializer.INSTANCE, LineageRow.class, List.of(r, noTrace))).isEmpty();
        Impression back = roundTrip(ImpressionSerializer.INSTANCE, i);
        assertThat(back.features).containsExactly(null, new FeatureRef("emb", "v1", null), i.features.get(2));
        assertThat(back.features.get(1).producedAt).isNull();
        assertThat(back.features.get(2).producedAt).isZero();
        assertThat(back.items).hasSize(2).last().isNull();
        assertThat(back.experiments).containsEntry(null, "treatment").containsEntry("exp_1", null);
        assertThat(back.baggageExperiments).isNull();
        assertThat(roundTrip(LineageRowSerializer.INSTANCE, noTrace).trace).isNull();
    }

    @Test
    void theChecksCatchADroppedFieldAndASharedList() throws Exception {
        // The guard itself: a serializer that forgets a field or shares a list with its copy must not pass.
        List<Impression> records = SerializerChecks.randomRecords(Impression.class, 3, 50);
        assertThat(SerializerChecks.problems(new Forgetful(false), Impression.class, records)).anyMatch(p -> p.contains("round trip: Impression.trimmed"));
        assertThat(SerializerChecks.problems(new Forgetful(true), Impression.class, records)).anyMatch(p -> p.contains("shares Impression.items"));
    }

    @Test
    void theSerializersKnowEveryDeclaredField() {
        // A field added to one of these classes must be written by its serializer (and ModelSerialization), then added here.
        assertThat(fields(Impression.class)).containsExactlyInAnyOrder("impressionId", "traceId", "lineageId", "unitKey", "sessionId",
                "surface", "segment", "servedAt", "experiments", "baggageExperiments", "modelName", "modelVersion", "features", "items",
                "trimmed");
        assertThat(fields(LineageRow.class)).containsExactlyInAnyOrder("impressionId", "traceId", "lineageId", "unitKey", "sessionId",
                "surface", "segment", "servedAt", "experiments", "variantSources", "modelName", "modelVersion", "features", "items",
                "trace", "clicks");
        assertThat(fields(FeatureRef.class)).containsExactlyInAnyOrder("name", "version", "hash", "source", "pipelineTraceId", "producedAt");
        assertThat(fields(SlateItem.class)).containsExactlyInAnyOrder("itemId", "position", "score");
        assertThat(fields(ClickRef.class)).containsExactlyInAnyOrder("clickId", "itemId", "position", "clickedAt");
        assertThat(fields(TraceSummary.class)).containsExactlyInAnyOrder("spanCount", "errorCount", "rootDurationMicros", "dbTimeMicros",
                "cacheHits", "cacheMisses", "serviceTimeMicros");
    }

    private static List<String> fields(Class<?> type) {
        List<String> names = new ArrayList<>();
        for (Class<?> c = type; c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers())) names.add(f.getName());
            }
        }
        return names;
    }

    private static <T> T roundTrip(InFlightSerializer<T> serializer, T record) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(record, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    /** A broken impression serializer: forgets {@code trimmed}, or (sharing) hands out copies that share the slate. */
    private static final class Forgetful extends InFlightSerializer<Impression> {
        private static final long serialVersionUID = 1L;
        private final boolean sharing;

        Forgetful(boolean sharing) {
            this.sharing = sharing;
        }

        @Override
        public Impression createInstance() {
            return new Impression();
        }

        @Override
        public Impression copy(Impression from) {
            Impression to = ImpressionSerializer.INSTANCE.copy(from);
            if (sharing) to.items = from.items;
            return to;
        }

        @Override
        public void serialize(Impression record, DataOutputView out) throws IOException {
            ImpressionSerializer.INSTANCE.serialize(record, out);
        }

        @Override
        public Impression deserialize(DataInputView in) throws IOException {
            Impression i = ImpressionSerializer.INSTANCE.deserialize(in);
            if (!sharing) i.trimmed = null;
            return i;
        }

        @Override
        public TypeSerializerSnapshot<Impression> snapshotConfiguration() {
            throw new UnsupportedOperationException("test only");
        }
    }
}
