package io.recolens.jobs.functions;

import io.recolens.model.Impression;
import io.recolens.model.SpanRecord;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;

/**
 * The key of trace assembly: a trace ID's 128 bits as two longs. A fixed-length key lets batch mode sort by
 * comparing 16 bytes instead of variable-length serialized strings (the largest single cost in a profile of the
 * batch job), and keyed state stores 16 bytes per key instead of a 32-character string.
 *
 * <p>The decoders only let through 32-hex-digit trace IDs, which map onto the two longs exactly. Any other string
 * (hand-made test records) is hashed into the same space; functions never turn a key back into an ID, they take
 * it from the records.
 */
public final class TraceKeys {
    private TraceKeys() {}

    public static final TypeInformation<Tuple2<Long, Long>> TYPE = Types.TUPLE(Types.LONG, Types.LONG);

    public static Tuple2<Long, Long> of(String traceId) {
        if (isHex32(traceId)) {
            return Tuple2.of(Long.parseUnsignedLong(traceId, 0, 16, 16), Long.parseUnsignedLong(traceId, 16, 32, 16));
        }
        return hashed(traceId);
    }

    private static boolean isHex32(String s) {
        if (s == null || s.length() != 32) return false;
        for (int i = 0; i < 32; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
        }
        return true;
    }

    /** Two independent 64-bit FNV-1a variants; only ever used for IDs the decoders would have refused. */
    private static Tuple2<Long, Long> hashed(String s) {
        byte[] bytes = String.valueOf(s).getBytes(StandardCharsets.UTF_8);
        long a = 0xcbf29ce484222325L;
        long b = 0x84222325cbf29ce4L;
        for (byte x : bytes) {
            a = (a ^ (x & 0xff)) * 0x100000001b3L;
            b = (b ^ (x & 0xff)) * 0x100000001b3L + 0x9e3779b97f4a7c15L;
        }
        return Tuple2.of(a, b);
    }

    /** Impressions by trace ID. */
    public static final class OfImpression implements KeySelector<Impression, Tuple2<Long, Long>>, ResultTypeQueryable<Tuple2<Long, Long>> {
        private static final long serialVersionUID = 1L;

        @Override
        public Tuple2<Long, Long> getKey(Impression impression) {
            return of(impression.traceId);
        }

        @Override
        public TypeInformation<Tuple2<Long, Long>> getProducedType() {
            return TYPE;
        }
    }

    /** Spans by trace ID. */
    public static final class OfSpan implements KeySelector<SpanRecord, Tuple2<Long, Long>>, ResultTypeQueryable<Tuple2<Long, Long>> {
        private static final long serialVersionUID = 1L;

        @Override
        public Tuple2<Long, Long> getKey(SpanRecord span) {
            return of(span.traceId);
        }

        @Override
        public TypeInformation<Tuple2<Long, Long>> getProducedType() {
            return TYPE;
        }
    }
}
