package io.recolens.bench.jmh;

import io.recolens.jobs.functions.AttributionInput;
import io.recolens.jobs.functions.AttributionInputSerializer;
import io.recolens.model.ClickRef;
import io.recolens.model.FeatureRef;
import io.recolens.model.Impression;
import io.recolens.model.ImpressionSerializer;
import io.recolens.model.LineageRow;
import io.recolens.model.LineageRowSerializer;
import io.recolens.model.SlateItem;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
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
 * One record serialized and read back, as between tasks and in batch sorts, and one deep copy, as between chained
 * operators: the POJO serializer against the hand-written one, for an impression, a lineage row and an attribution
 * input of a typical size (a 10-item slate, 3 features, 2 experiments, 4 services, 1 click).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
// More iterations than the other benchmarks: the round trips vary by +-50% from one iteration to the next on a busy machine.
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 6, time = 1)
@Fork(1)
public class InFlightSerializerBenchmark {
    @Param({"pojo", "hand-written"})
    public String serializer;

    private final DataOutputSerializer out = new DataOutputSerializer(4096);
    private final DataInputDeserializer in = new DataInputDeserializer();
    private TypeSerializer<Impression> impressions;
    private TypeSerializer<LineageRow> rows;
    private TypeSerializer<AttributionInput> inputs;
    private Impression impression;
    private LineageRow row;
    private AttributionInput input;

    @Setup
    public void setUp() {
        boolean pojo = "pojo".equals(serializer);
        ExecutionConfig config = new ExecutionConfig();
        impressions = pojo ? TypeInformation.of(Impression.class).createSerializer(config.getSerializerConfig()) : ImpressionSerializer.INSTANCE;
        rows = pojo ? TypeInformation.of(LineageRow.class).createSerializer(config.getSerializerConfig()) : LineageRowSerializer.INSTANCE;
        inputs = pojo ? TypeInformation.of(AttributionInput.class).createSerializer(config.getSerializerConfig()) : AttributionInputSerializer.INSTANCE;

        impression = new Impression();
        row = new LineageRow();
        impression.impressionId = row.impressionId = "imp-6c1f0e2a-4d7b-4a51-9f3e-2b8c7d1e0a94";
        impression.traceId = row.traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        impression.lineageId = row.lineageId = "lin-ranker-2026-11-30";
        impression.unitKey = row.unitKey = "u:9f86d081884c7d659a2feaa0c55ad015";
        impression.sessionId = row.sessionId = "s-31337";
        impression.surface = row.surface = "home_feed";
        impression.segment = row.segment = "returning";
        impression.servedAt = row.servedAt = 1_764_460_800_000L;
        impression.modelName = row.modelName = "ranker";
        impression.modelVersion = row.modelVersion = "2026.11.1";
        for (String experiment : new String[] {"rec_algorithm_v3", "slate_size"}) {
            impression.experiments.put(experiment, "treatment");
            row.experiments.put(experiment, "treatment");
            row.variantSources.put(experiment, "impression");
        }
        impression.baggageExperiments.put("rec_algorithm_v3", "treatment");
        for (int f = 0; f < 3; f++) {
            FeatureRef feature = new FeatureRef("feature_" + f, "v" + f, "sha256:" + Integer.toHexString(31 * f + 7));
            impression.features.add(feature);
            FeatureRef joined = feature.copy();
            joined.source = "s3://features/feature_" + f;
            joined.pipelineTraceId = "0af7651916cd43dd8448eb211c80319c";
            joined.producedAt = 1_764_457_200_000L;
            row.features.add(joined);
        }
        for (int i = 0; i < 10; i++) {
            impression.items.add(new SlateItem("item-" + (1000 + i), i, 1.0 / (i + 1)));
            row.items.add(new SlateItem("item-" + (1000 + i), i, 1.0 / (i + 1)));
        }
        row.trace.spanCount = 9;
        row.trace.rootDurationMicros = 48_000;
        for (String service : new String[] {"gateway", "ranker", "feature-store", "postgres"}) row.trace.serviceTimeMicros.put(service, 12_000L);
        row.clicks.add(new ClickRef("click-1", "item-1003", 3, 1_764_460_805_000L));
        input = AttributionInput.row(row);
    }

    @Benchmark
    public Impression impressionRoundTrip() throws Exception {
        return roundTrip(impressions, impression);
    }

    @Benchmark
    public LineageRow lineageRowRoundTrip() throws Exception {
        return roundTrip(rows, row);
    }

    @Benchmark
    public AttributionInput attributionInputRoundTrip() throws Exception {
        return roundTrip(inputs, input);
    }

    @Benchmark
    public LineageRow lineageRowCopy() {
        return rows.copy(row);
    }

    private <T> T roundTrip(TypeSerializer<T> s, T record) throws Exception {
        out.clear();
        s.serialize(record, out);
        in.setBuffer(out.getSharedBuffer(), 0, out.length());
        return s.deserialize(in);
    }
}
