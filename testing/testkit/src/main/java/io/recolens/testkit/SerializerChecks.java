package io.recolens.testkit;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Test only: checks a hand-written {@link TypeSerializer} of a public-field record class against Flink's POJO
 * serializer, by reflection — records filled at random (every instance field, nested records, lists and maps, nulls
 * wherever the POJO serializer takes them), compared field by field. A field the hand-written serializer does not
 * know is filled here all the same, so it shows up as a difference.
 */
public final class SerializerChecks {
    private static final String[] WORDS = {"", "ranker", "user_embedding", "SELECT item_stats é ✓", "0af7651916cd43dd8448eb211c80319c", "exp_"};

    private SerializerChecks() {}

    /** {@code n} records of {@code type} with every field set at random (null one time in five where null is possible). */
    public static <T> List<T> randomRecords(Class<T> type, long seed, int n) {
        SplittableRandom random = new SplittableRandom(seed);
        List<T> records = new ArrayList<>(n);
        for (int i = 0; i < n; i++) records.add(randomRecord(type, random));
        return records;
    }

    /** A record of {@code type} whose every non-primitive field (declared or inherited) is null. */
    public static <T> T allNull(Class<T> type) {
        T record = newInstance(type);
        try {
            for (Field f : instanceFields(type)) {
                if (!f.getType().isPrimitive()) f.set(record, null);
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        return record;
    }

    /**
     * What differs for each record: its fields after a round trip through {@code serializer} (all records through one
     * buffer, so a serializer that reads too much or too little shows), after a round trip through the POJO serializer,
     * after {@code serializer.copy} and after copying the serialized form between views; and every list, map or nested
     * record a copy shares with its original. Empty when the serializer keeps everything.
     */
    public static <T> List<String> problems(TypeSerializer<T> serializer, Class<T> type, List<T> records) throws IOException {
        TypeSerializer<T> pojo = TypeInformation.of(type).createSerializer(new SerializerConfigImpl());
        List<String> problems = new ArrayList<>();
        DataOutputSerializer out = new DataOutputSerializer(1 << 16);
        for (T record : records) serializer.serialize(record, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        for (int i = 0; i < records.size(); i++) {
            T record = records.get(i);
            String name = type.getSimpleName();
            Object expected = canonical(roundTrip(pojo, record));
            compare(problems, "#" + i + " POJO serializer (the reference)", name, canonical(record), expected);
            compare(problems, "#" + i + " round trip", name, expected, canonical(serializer.deserialize(in)));
            T copy = serializer.copy(record);
            compare(problems, "#" + i + " copy", name, expected, canonical(copy));
            for (String path : shared(record, copy, name)) problems.add("#" + i + " copy shares " + path);
            compare(problems, "#" + i + " copy between views", name, expected, canonical(copyBetweenViews(serializer, record)));
        }
        if (in.available() != 0) problems.add(in.available() + " bytes left unread after the last record");
        return problems;
    }

    /** What goes wrong when the serializer's snapshot is written, read back and restored; empty when nothing does. */
    public static <T> List<String> snapshotProblems(TypeSerializer<T> serializer) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, serializer.snapshotConfiguration());
        TypeSerializerSnapshot<T> restored = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), serializer.getClass().getClassLoader());
        List<String> problems = new ArrayList<>();
        if (!serializer.equals(restored.restoreSerializer())) problems.add("restores " + restored.restoreSerializer() + ", not " + serializer);
        if (!serializer.snapshotConfiguration().resolveSchemaCompatibility(restored).isCompatibleAsIs()) {
            problems.add("the restored snapshot is not compatible as is");
        }
        return problems;
    }

    /**
     * The record as nested maps and lists (field name → value; maps sorted by key, since their iteration order is no
     * part of the value), for comparison with equals.
     */
    public static Object canonical(Object value) {
        if (value == null || isImmutable(value)) return value;
        if (value instanceof List<?> list) {
            List<Object> c = new ArrayList<>(list.size());
            for (Object element : list) c.add(canonical(element));
            return c;
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> c = new TreeMap<>(Comparator.nullsFirst(Comparator.<Object, String>comparing(Object::toString)));
            map.forEach((k, v) -> c.put(canonical(k), canonical(v)));
            return c;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("class", value.getClass().getSimpleName());
        try {
            for (Field f : instanceFields(value.getClass())) fields.put(f.getName(), canonical(f.get(value)));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        return fields;
    }

    /** Paths of the lists, maps and nested records {@code a} and {@code b} have in common (the same instance). */
    public static List<String> shared(Object a, Object b, String path) {
        List<String> out = new ArrayList<>();
        collectShared(a, b, path, out);
        return out;
    }

    private static void collectShared(Object a, Object b, String path, List<String> out) {
        if (a == null || b == null || isImmutable(a)) return;
        if (a == b) {
            out.add(path);
            return;
        }
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            for (int i = 0; i < Math.min(la.size(), lb.size()); i++) collectShared(la.get(i), lb.get(i), path + "[" + i + "]", out);
        } else if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            ma.forEach((k, v) -> collectShared(v, mb.get(k), path + "[" + k + "]", out));
        } else if (a.getClass() == b.getClass()) {
            try {
                for (Field f : instanceFields(a.getClass())) collectShared(f.get(a), f.get(b), path + "." + f.getName(), out);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static void compare(List<String> problems, String what, String type, Object expected, Object actual) {
        String difference = firstDifference(expected, actual, type);
        if (difference != null) problems.add(what + ": " + difference);
    }

    /** Where two canonical values first differ ({@code path: expected … but was …}), or null when they are equal. */
    private static String firstDifference(Object expected, Object actual, String path) {
        if (Objects.equals(expected, actual)) return null;
        if (expected instanceof Map<?, ?> e && actual instanceof Map<?, ?> a && e.keySet().equals(a.keySet())) {
            for (Object key : e.keySet()) {
                String d = firstDifference(e.get(key), a.get(key), path + (e.containsKey("class") ? "." + key : "[" + key + "]"));
                if (d != null) return d;
            }
        }
        if (expected instanceof List<?> e && actual instanceof List<?> a && e.size() == a.size()) {
            for (int i = 0; i < e.size(); i++) {
                String d = firstDifference(e.get(i), a.get(i), path + "[" + i + "]");
                if (d != null) return d;
            }
        }
        return path + ": expected " + expected + " but was " + actual;
    }

    private static <T> T roundTrip(TypeSerializer<T> serializer, T record) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(1024);
        serializer.serialize(record, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    private static <T> T copyBetweenViews(TypeSerializer<T> serializer, T record) throws IOException {
        DataOutputSerializer first = new DataOutputSerializer(1024);
        serializer.serialize(record, first);
        DataOutputSerializer second = new DataOutputSerializer(1024);
        serializer.copy(new DataInputDeserializer(first.getCopyOfBuffer()), second);
        return serializer.deserialize(new DataInputDeserializer(second.getCopyOfBuffer()));
    }

    private static <T> T randomRecord(Class<T> type, SplittableRandom random) {
        T record = newInstance(type);
        try {
            for (Field f : instanceFields(type)) {
                f.set(record, randomValue(f.getGenericType(), random, type.getSimpleName() + "." + f.getName()));
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        return record;
    }

    private static Object randomValue(Type type, SplittableRandom random, String where) {
        Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
        if (raw == int.class) return random.nextInt(-3, 1000);
        if (raw == long.class) return random.nextLong();
        if (raw == double.class) return random.nextDouble() * 100 - 10;
        if (raw == boolean.class) return random.nextBoolean();
        if (random.nextInt(5) == 0) return null;
        if (raw == String.class) return WORDS[random.nextInt(WORDS.length)] + (random.nextBoolean() ? "" : random.nextInt(100));
        if (raw == Integer.class) return randomValue(int.class, random, where);
        if (raw == Long.class) return randomValue(long.class, random, where);
        if (raw == Double.class) return randomValue(double.class, random, where);
        if (raw == Boolean.class) return randomValue(boolean.class, random, where);
        if (raw == List.class) {
            Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
            List<Object> list = new ArrayList<>();
            for (int i = random.nextInt(5); i > 0; i--) list.add(randomValue(element, random, where + "[]"));
            return list;
        }
        if (raw == Map.class) {
            Type[] kv = ((ParameterizedType) type).getActualTypeArguments();
            Map<Object, Object> map = new HashMap<>();
            for (int i = random.nextInt(5); i > 0; i--) map.put(randomValue(kv[0], random, where + ".key"), randomValue(kv[1], random, where + ".value"));
            return map;
        }
        if (!raw.isPrimitive() && !raw.isInterface() && !raw.getName().startsWith("java.")) return randomRecord(raw, random);
        throw new IllegalArgumentException("no random value for " + where + " of type " + type + ": teach SerializerChecks");
    }

    private static boolean isImmutable(Object value) {
        return value instanceof String || value instanceof Number || value instanceof Boolean || value instanceof Character
                || value instanceof Enum<?>;
    }

    private static <T> T newInstance(Class<T> type) {
        try {
            return type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(type + " needs a no-argument constructor", e);
        }
    }

    /** Every non-static, non-transient field of the class and its superclasses (what the POJO serializer writes). */
    private static List<Field> instanceFields(Class<?> type) {
        List<Field> fields = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || Modifier.isTransient(f.getModifiers())) continue;
                f.setAccessible(true);
                fields.add(f);
            }
        }
        return fields;
    }
}
