package io.recolens.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The hand-written span serializer keeps every field (null or not), as the POJO serializer it replaces in flight. */
class SpanRecordSerializerTest {
    private static final TypeSerializer<SpanRecord> POJO = TypeInformation.of(SpanRecord.class).createSerializer(new SerializerConfigImpl());
    private final SpanRecordSerializer serializer = SpanRecordSerializer.INSTANCE;

    @Test
    void roundTripKeepsEveryFieldIncludingNulls() throws Exception {
        SplittableRandom random = new SplittableRandom(3);
        List<SpanRecord> spans = new ArrayList<>();
        for (int i = 0; i < 500; i++) spans.add(random(random));
        spans.add(new SpanRecord());
        SpanRecord nullMaps = random(random);
        nullMaps.attributeVariants = null;
        nullMaps.flagVariants = null;
        spans.add(nullMaps);

        DataOutputSerializer out = new DataOutputSerializer(1 << 16);
        for (SpanRecord s : spans) serializer.serialize(s, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        for (SpanRecord s : spans) {
            SpanRecord back = serializer.deserialize(in);
            assertThat(fields(back)).as("%s", s).isEqualTo(fields(s));
            assertThat(fields(serializer.copy(s))).isEqualTo(fields(s));
        }
        assertThat(in.available()).isZero();
    }

    @Test
    void copyBetweenViewsAndSnapshotRestore() throws Exception {
        SpanRecord s = random(new SplittableRandom(5));
        DataOutputSerializer first = new DataOutputSerializer(256);
        serializer.serialize(s, first);
        DataOutputSerializer second = new DataOutputSerializer(256);
        serializer.copy(new DataInputDeserializer(first.getCopyOfBuffer()), second);
        SpanRecord copied = serializer.deserialize(new DataInputDeserializer(second.getCopyOfBuffer()));
        assertThat(fields(copied)).isEqualTo(fields(s));

        DataOutputSerializer snapshot = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(snapshot, serializer.snapshotConfiguration());
        TypeSerializerSnapshot<SpanRecord> restored = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(snapshot.getCopyOfBuffer()), getClass().getClassLoader());
        assertThat(restored.restoreSerializer()).isSameAs(SpanRecordSerializer.INSTANCE);
        assertThat(serializer.snapshotConfiguration().resolveSchemaCompatibility(restored).isCompatibleAsIs()).isTrue();
        assertThat(SpanRecordSerializer.TYPE.createSerializer(new SerializerConfigImpl())).isSameAs(SpanRecordSerializer.INSTANCE);
    }

    @Test
    void everyFieldOfSpanRecordIsCovered() {
        // A field added to SpanRecord must be added to SpanRecordSerializer and to fields() below.
        long instanceFields = java.util.Arrays.stream(SpanRecord.class.getFields())
                .filter(f -> !java.lang.reflect.Modifier.isStatic(f.getModifiers())).count();
        assertThat(instanceFields).isEqualTo(20);
    }

    /** Every field, read back through the POJO serializer, with the maps sorted: their iteration order is no part of the value. */
    private static List<Object> fields(SpanRecord s) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(512);
        POJO.serialize(s, out);
        SpanRecord p = POJO.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        return java.util.Arrays.asList(p.traceId, p.spanId, p.parentSpanId, p.service, p.name, p.kind, p.startMs, p.durationMicros,
                p.error, p.database, p.cacheHit, sorted(p.attributeVariants), sorted(p.flagVariants), p.lineageId, p.featureName,
                p.featureVersion, p.featureSource, p.modelName, p.modelVersion, p.trimmed);
    }

    private static Map<String, String> sorted(Map<String, String> m) {
        return m == null ? null : new java.util.TreeMap<>(m);
    }

    private static SpanRecord random(SplittableRandom r) {
        SpanRecord s = new SpanRecord();
        s.traceId = maybe(r, "0af7651916cd43dd8448eb211c80319c");
        s.spanId = maybe(r, "b7ad6b7169203331");
        s.parentSpanId = maybe(r, r.nextBoolean() ? "" : "00f067aa0ba902b7");
        s.service = maybe(r, "ranker");
        s.name = maybe(r, "SELECT item_stats é ✓");
        s.kind = r.nextInt(6);
        s.startMs = r.nextLong();
        s.durationMicros = r.nextLong(1_000_000);
        s.error = r.nextBoolean();
        s.database = r.nextBoolean();
        s.cacheHit = r.nextInt(3) - 1;
        s.attributeVariants = variants(r);
        s.flagVariants = variants(r);
        s.lineageId = maybe(r, "lin-stable-7");
        s.featureName = maybe(r, "user_embedding");
        s.featureVersion = maybe(r, "v12");
        s.featureSource = maybe(r, "s3://features/x");
        s.modelName = maybe(r, "ranker");
        s.modelVersion = maybe(r, "2026.11.1");
        s.trimmed = maybe(r, "attributes: 300 > 128, kept 128");
        return s;
    }

    private static Map<String, String> variants(SplittableRandom r) {
        Map<String, String> m = new HashMap<>();
        for (int i = r.nextInt(4); i > 0; i--) m.put("exp_" + i, r.nextBoolean() ? "control" : "treatment");
        return m;
    }

    private static String maybe(SplittableRandom r, String value) {
        return r.nextInt(4) == 0 ? null : value + r.nextInt(100);
    }
}
