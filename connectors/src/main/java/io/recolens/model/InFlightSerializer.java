package io.recolens.model;

import java.io.IOException;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Base of the hand-written, stateless serializers of records in flight (between tasks and through batch sorts).
 * Keyed state keeps the POJO serializer its descriptors name, so checkpoints and savepoints never hold this format;
 * a subclass writes its fields in a fixed order and copies deeply (no list, map or nested record shared with the
 * original, so a chained operator may change what it received). Strings go through {@link StringCodec}, in bulk.
 */
public abstract class InFlightSerializer<T> extends TypeSerializerSingleton<T> {
    private static final long serialVersionUID = 1L;

    @Override
    public final boolean isImmutableType() {
        return false;
    }

    @Override
    public final int getLength() {
        return -1;
    }

    @Override
    public final T copy(T from, T reuse) {
        return copy(from);
    }

    @Override
    public final T deserialize(T reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public final void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    /** The type of a stream of {@code type} whose records travel with {@code serializer}. */
    public static <T> TypeInformation<T> typeOf(Class<T> type, InFlightSerializer<T> serializer) {
        return new Info<>(type, serializer);
    }

    /** Type information that hands out one serializer singleton; equal for the same class and serializer class. */
    private static final class Info<T> extends TypeInformation<T> {
        private static final long serialVersionUID = 1L;

        private final Class<T> type;
        private final InFlightSerializer<T> serializer;

        Info(Class<T> type, InFlightSerializer<T> serializer) {
            this.type = type;
            this.serializer = serializer;
        }

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
        public Class<T> getTypeClass() {
            return type;
        }

        @Override
        public boolean isKeyType() {
            return false;
        }

        @Override
        public TypeSerializer<T> createSerializer(SerializerConfig config) {
            return serializer;
        }

        @Override
        public String toString() {
            return type.getSimpleName() + "(hand-written serializer)";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Info<?> other && other.type == type && other.serializer.getClass() == serializer.getClass();
        }

        @Override
        public int hashCode() {
            return 31 * type.hashCode() + serializer.getClass().hashCode();
        }

        @Override
        public boolean canEqual(Object o) {
            return o instanceof Info;
        }
    }
}
