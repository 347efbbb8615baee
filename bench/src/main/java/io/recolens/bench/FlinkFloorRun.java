package io.recolens.bench;

import io.recolens.connectors.decode.ClickJsonDecoder;
import io.recolens.connectors.decode.DecoderSettings;
import io.recolens.connectors.decode.ImpressionJsonDecoder;
import io.recolens.connectors.decode.OtlpEncoding;
import io.recolens.connectors.decode.OtlpSpanDecoder;
import io.recolens.jobs.config.JobSettings;
import io.recolens.jobs.functions.TraceKeys;
import io.recolens.jobs.pipeline.DecodedInput;
import io.recolens.jobs.pipeline.DecoderSettingsFactory;
import io.recolens.jobs.pipeline.SourceInputs;
import io.recolens.model.Click;
import io.recolens.model.DeadLetter;
import io.recolens.model.Impression;
import io.recolens.model.SpanRecord;
import io.recolens.model.SpanRecordSerializer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.flink.util.CloseableIterator;

/**
 * The Flink floor: what any Flink job that joins these inputs must at least do — the pipeline's own Kafka sources and
 * decoders, then every decoded record shuffled by its join key (trace ID for impressions and spans, impression ID for
 * clicks) and grouped with its key (one count per key), nothing else. It writes no table and keeps no state beyond a
 * count; where the pipeline stands between this floor and the decode-only ceiling says how much of its cost is the
 * keyed shuffle itself rather than its logic and outputs.
 */
final class FlinkFloorRun {
    private FlinkFloorRun() {}

    static Map<String, Object> run(Map<String, String> spec, Map<String, Object> result) throws Exception {
        JobSettings settings = PipelineRun.settings(spec, "batch");
        DecoderSettings decoding = DecoderSettingsFactory.from(settings);
        OtlpEncoding encoding = PipelineRun.spanEncoding(spec);
        StreamExecutionEnvironment env = PipelineRun.environment(spec);
        env.setRuntimeMode(org.apache.flink.api.common.RuntimeExecutionMode.BATCH);
        SourceInputs inputs = SourceInputs.from(settings);

        DataStream<Impression> impressions = decoded(env, inputs, new DecodedInput<>(DecodedInput.Stream.IMPRESSIONS,
                new ImpressionJsonDecoder(decoding), TypeInformation.of(Impression.class), WatermarkStrategy.noWatermarks()));
        DataStream<Click> clicks = decoded(env, inputs, new DecodedInput<>(DecodedInput.Stream.CLICKS,
                new ClickJsonDecoder(decoding), TypeInformation.of(Click.class), WatermarkStrategy.noWatermarks()));
        DataStream<SpanRecord> spans = decoded(env, inputs, new DecodedInput<>(DecodedInput.Stream.SPANS,
                new OtlpSpanDecoder(encoding, decoding), SpanRecordSerializer.TYPE, WatermarkStrategy.noWatermarks()));

        DataStream<Tuple2<String, Long>> counts = grouped(impressions, new TraceKeys.OfImpression(), "impressions")
                .union(grouped(spans, new TraceKeys.OfSpan(), "spans"),
                        grouped(clicks, new ClickKey(), "clicks"));
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Long> records = new TreeMap<>();
        long started = System.nanoTime();
        try (CloseableIterator<Tuple2<String, Long>> totals = counts.keyBy(t -> t.f0).sum(1).executeAndCollect("recolens bench: Flink floor")) {
            totals.forEachRemaining(t -> records.merge(t.f0, t.f1, Math::max));
        }
        result.put("measuredMs", (System.nanoTime() - started) / 1_000_000);
        out.put("decoded", records);
        return out;
    }

    private static <T> DataStream<T> decoded(StreamExecutionEnvironment env, SourceInputs inputs, DecodedInput<T> input) {
        return inputs.read(env, input).flatMap(new Decoded<T>()).returns(input.type()).name("drop dead letters " + input.stream().label);
    }

    private static <T, K> DataStream<Tuple2<String, Long>> grouped(DataStream<T> records, KeySelector<T, K> key, String stream) {
        return records.keyBy(key).process(new CountPerKey<K, T>(stream)).returns(Types.TUPLE(Types.STRING, Types.LONG))
                .name("group " + stream + " by key");
    }

    /** Decoded records on; dead letters dropped (the simulated bench traffic has none). */
    private static final class Decoded<T> implements FlatMapFunction<Either<DeadLetter, T>, T> {
        private static final long serialVersionUID = 1L;

        @Override
        public void flatMap(Either<DeadLetter, T> value, Collector<T> out) {
            if (value.isRight()) out.collect(value.right());
        }
    }

    /** Clicks by the impression they clicked. */
    private static final class ClickKey implements KeySelector<Click, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(Click click) {
            return click.impressionId;
        }
    }

    /** Counts a key's records in keyed state and emits the count once, when batch mode ends the key. */
    private static final class CountPerKey<K, T> extends KeyedProcessFunction<K, T, Tuple2<String, Long>> {
        private static final long serialVersionUID = 1L;
        private final String stream;
        private transient ValueState<Long> count;

        CountPerKey(String stream) {
            this.stream = stream;
        }

        @Override
        public void open(OpenContext openContext) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
        }

        @Override
        public void processElement(T record, Context ctx, Collector<Tuple2<String, Long>> out) throws Exception {
            Long c = count.value();
            if (c == null) ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
            count.update(c == null ? 1 : c + 1);
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<Tuple2<String, Long>> out) throws Exception {
            out.collect(Tuple2.of(stream, count.value()));
        }
    }
}
