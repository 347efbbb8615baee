package io.recolens.bench.jmh;

import io.recolens.model.StringCodec;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.StringValue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The strings of one typical record (trace and span IDs, service and operation names, experiment labels, item IDs)
 * written and read back: Flink's {@code StringValue} against {@link StringCodec}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 6, time = 1)
@Fork(1)
public class StringCodecBenchmark {
    @Param({"StringValue", "StringCodec"})
    public String codec;

    private static final String[] STRINGS = {"4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", "feature-store",
        "GET /features/user_embedding", "rec_algorithm_v3", "hybrid", "item-004217", "item-118", "user_embedding", "v16",
        "power", "home_feed", "b7ad6b7169203331", "ranker", "3.2.1"};

    private final DataOutputSerializer out = new DataOutputSerializer(4096);
    private final DataInputDeserializer in = new DataInputDeserializer();
    private boolean flink;

    @Setup
    public void setUp() {
        flink = "StringValue".equals(codec);
    }

    @Benchmark
    public int roundTrip() throws IOException {
        out.clear();
        for (String s : STRINGS) {
            if (flink) StringValue.writeString(s, out);
            else StringCodec.write(s, out);
        }
        in.setBuffer(out.getSharedBuffer(), 0, out.length());
        int chars = 0;
        for (int i = 0; i < STRINGS.length; i++) chars += (flink ? StringValue.readString(in) : StringCodec.read(in)).length();
        return chars;
    }
}
