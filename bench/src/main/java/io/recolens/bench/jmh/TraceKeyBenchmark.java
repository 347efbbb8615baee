package io.recolens.bench.jmh;

import io.recolens.jobs.functions.Aggregates;
import io.recolens.jobs.functions.TraceKeys;
import io.recolens.model.SideEffectRow;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Key costs on the hot path: building a trace key, serializing it as batch sorting does (fixed 16 bytes against
 * the 32-character string it replaced), and the composite string key of a side-effect row.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class TraceKeyBenchmark {
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private final DataOutputSerializer buffer = new DataOutputSerializer(64);
    private TypeSerializer<Tuple2<Long, Long>> keySerializer;
    private final Aggregates.SideEffects sideEffects = new Aggregates.SideEffects(30_000);
    private final SideEffectRow row = new SideEffectRow();

    @Setup
    public void setUp() {
        keySerializer = TraceKeys.TYPE.createSerializer(new ExecutionConfig().getSerializerConfig());
        row.windowStart = 1_700_000_000_000L;
        row.experiment = "rec_algorithm_v3";
        row.variant = "hybrid";
        row.service = "feature-store";
        row.operation = "POST /features";
    }

    @Benchmark
    public Tuple2<Long, Long> traceKey() {
        return TraceKeys.of(TRACE_ID);
    }

    @Benchmark
    public int serializeTraceKey() throws Exception {
        buffer.clear();
        keySerializer.serialize(TraceKeys.of(TRACE_ID), buffer);
        return buffer.length();
    }

    @Benchmark
    public int serializeStringKey() throws Exception {
        buffer.clear();
        StringSerializer.INSTANCE.serialize(TRACE_ID, buffer);
        return buffer.length();
    }

    @Benchmark
    public String sideEffectKey() {
        return sideEffects.getKey(row);
    }
}
