package io.recolens.catalogtestkit;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Reads and writes Iceberg REST messages with the very ObjectMapper Iceberg's REST client uses, so both
 * ends agree on every field name and serializer.
 *
 * <p>That mapper ({@code org.apache.iceberg.rest.RESTObjectMapper}) is package-private, and its Jackson
 * type is relocated differently per runtime jar (iceberg-flink-runtime, iceberg-spark-runtime, or plain
 * iceberg-core). Reaching it by reflection keeps this class free of any Jackson type, so the same
 * testkit jar works with whichever Iceberg the consumer brings.
 */
final class RestJson {

    private static final String MAPPER_CLASS = "org.apache.iceberg.rest.RESTObjectMapper";

    private final Object mapper;
    private final Method readValue;
    private final Method writeValueAsString;

    RestJson() {
        try {
            Method factory = Class.forName(MAPPER_CLASS).getDeclaredMethod("mapper");
            factory.setAccessible(true);
            this.mapper = factory.invoke(null);
            this.readValue = mapper.getClass().getMethod("readValue", String.class, Class.class);
            this.writeValueAsString = mapper.getClass().getMethod("writeValueAsString", Object.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot reach " + MAPPER_CLASS + ": is an Iceberg 1.11 runtime (iceberg-flink-runtime or "
                    + "iceberg-spark-runtime) on the classpath?", e);
        }
    }

    /** Parses a request body; malformed JSON surfaces as IllegalArgumentException (a 400). */
    <T> T read(String json, Class<T> type) {
        try {
            return type.cast(readValue.invoke(mapper, json, type));
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("malformed " + type.getSimpleName() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    String write(Object value) {
        try {
            return (String) writeValueAsString.invoke(mapper, value);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
