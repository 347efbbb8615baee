package io.recolens.jobs.pipeline;

import io.recolens.connectors.decode.ClickJsonDecoder;
import io.recolens.connectors.decode.DecoderSettings;
import io.recolens.connectors.decode.DecodingFunction;
import io.recolens.connectors.decode.ImpressionJsonDecoder;
import io.recolens.connectors.decode.OtlpEncoding;
import io.recolens.connectors.decode.OtlpSpanDecoder;
import io.recolens.jobs.config.JobSettings;
import io.recolens.jobs.functions.AdditiveAggregator;
import io.recolens.jobs.functions.Aggregates;
import io.recolens.jobs.functions.CardinalityLimit;
import io.recolens.jobs.functions.LimitedDimensions;
import io.recolens.jobs.functions.ClickAttributor;
import io.recolens.jobs.functions.EngagementContributions;
import io.recolens.jobs.functions.ExposureCandidates;
import io.recolens.jobs.functions.FirstExposure;
import io.recolens.jobs.functions.TraceAssembler;
import io.recolens.jobs.functions.UnitDailyContributions;
import io.recolens.model.AnomalyRow;
import io.recolens.model.Click;
import io.recolens.model.DeadLetter;
import io.recolens.model.EngagementRow;
import io.recolens.model.ExposureRow;
import io.recolens.model.Impression;
import io.recolens.model.LineageRow;
import io.recolens.model.SideEffectRow;
import io.recolens.model.SpanRecord;
import io.recolens.model.UnitDailyRow;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The recolens job graph, identical in streaming and batch: decode → watermarks → trace assembly (by trace ID)
 * → click attribution (by impression ID) → additive aggregates, first exposures, lineage, anomalies, dead
 * letters. It only wires; the logic lives in {@code io.recolens.jobs.functions}.
 */
public final class RecolensPipeline {
    private final JobSettings settings;
    private final PipelineInputs inputs;
    private final PipelineOutputs outputs;

    public RecolensPipeline(JobSettings settings, PipelineInputs inputs, PipelineOutputs outputs) {
        this.settings = settings;
        this.inputs = inputs;
        this.outputs = outputs;
    }

    public void build(StreamExecutionEnvironment env) {
        DecoderSettings decoding = DecoderSettingsFactory.from(settings);

        SingleOutputStreamOperator<Impression> decodedImpressions = inputs.impressions(env)
                .process(new DecodingFunction<>(new ImpressionJsonDecoder(decoding), TypeInformation.of(Impression.class), "impressions"))
                .uid(Uids.DECODE_IMPRESSIONS).name("decode impressions");
        SingleOutputStreamOperator<Click> decodedClicks = inputs.clicks(env)
                .process(new DecodingFunction<>(new ClickJsonDecoder(decoding), TypeInformation.of(Click.class), "clicks"))
                .uid(Uids.DECODE_CLICKS).name("decode clicks");
        SingleOutputStreamOperator<SpanRecord> decodedSpans = inputs.spans(env)
                .process(new DecodingFunction<>(new OtlpSpanDecoder(spanEncoding(), decoding), TypeInformation.of(SpanRecord.class), "spans"))
                .uid(Uids.DECODE_SPANS).name("decode spans (" + settings.spansEncoding + ")");

        DataStream<DeadLetter> deadLetters = decodedImpressions.getSideOutput(DecodingFunction.DEAD_LETTERS)
                .union(decodedClicks.getSideOutput(DecodingFunction.DEAD_LETTERS), decodedSpans.getSideOutput(DecodingFunction.DEAD_LETTERS));

        DataStream<Impression> impressions = decodedImpressions
                .assignTimestampsAndWatermarks(impressionWatermarks())
                .uid(Uids.WATERMARKS_IMPRESSIONS).name("impression event time");
        DataStream<Click> clicks = decodedClicks
                .assignTimestampsAndWatermarks(watermarks((Click c, long ts) -> c.clickedAt))
                .uid(Uids.WATERMARKS_CLICKS).name("click event time");
        DataStream<SpanRecord> spans = decodedSpans
                .assignTimestampsAndWatermarks(watermarks((SpanRecord s, long ts) -> s.startMs))
                .uid(Uids.WATERMARKS_SPANS).name("span event time");

        SingleOutputStreamOperator<LineageRow> served = impressions.keyBy(i -> i.traceId)
                .connect(spans.keyBy(s -> s.traceId))
                .process(new TraceAssembler(settings))
                .uid(Uids.TRACE_ASSEMBLY).name("assemble traces (by trace ID)");

        SingleOutputStreamOperator<LineageRow> attributed = served.keyBy(r -> r.impressionId)
                .connect(clicks.keyBy(c -> c.impressionId))
                .process(new ClickAttributor(settings))
                .uid(Uids.CLICK_ATTRIBUTION).name("attribute clicks (by impression ID)");

        long window = settings.aggregateWindowMs;
        long engagementDelay = settings.traceGapMs + settings.attributionWindowMs;

        Aggregates.Engagement engagementKey = new Aggregates.Engagement(engagementDelay);
        DataStream<EngagementRow> engagement = attributed
                .flatMap(new EngagementContributions(window))
                .uid(Uids.ENGAGEMENT_CONTRIBUTIONS).name("engagement contributions")
                .keyBy(engagementKey)
                .process(new AdditiveAggregator<>(engagementKey, TypeInformation.of(EngagementRow.class)))
                .uid(Uids.ENGAGEMENT_AGGREGATE).name("sum variant_engagement")
                .keyBy(CardinalityLimit.<EngagementRow>byTable(IcebergOutputs.VARIANT_ENGAGEMENT))
                .process(new CardinalityLimit<>(new LimitedDimensions.Engagement(), settings.limits, settings.knownExperiments,
                        TypeInformation.of(EngagementRow.class)))
                .uid(Uids.ENGAGEMENT_LIMITS).name("cardinality limits variant_engagement");

        // Batch sums a whole day per unit at once; streaming flushes partial sums so no state holds a day per unit.
        long unitBucket = settings.batch() ? Duration.ofDays(1).toMillis() : settings.unitDailyFlushMs;
        Aggregates.UnitDaily unitKey = new Aggregates.UnitDaily(unitBucket, engagementDelay);
        DataStream<UnitDailyRow> unitDaily = attributed
                .flatMap(new UnitDailyContributions(unitBucket))
                .uid(Uids.UNIT_DAILY_CONTRIBUTIONS).name("unit contributions")
                .keyBy(unitKey)
                .process(new AdditiveAggregator<>(unitKey, TypeInformation.of(UnitDailyRow.class)))
                .uid(Uids.UNIT_DAILY_AGGREGATE).name("sum experiment_unit_daily")
                .keyBy(CardinalityLimit.<UnitDailyRow>byTable(IcebergOutputs.EXPERIMENT_UNIT_DAILY))
                .process(new CardinalityLimit<>(new LimitedDimensions.UnitDaily(), settings.limits, settings.knownExperiments,
                        TypeInformation.of(UnitDailyRow.class)))
                .uid(Uids.UNIT_DAILY_LIMITS).name("cardinality limits experiment_unit_daily");

        Aggregates.SideEffects sideEffectKey = new Aggregates.SideEffects(settings.traceGapMs);
        DataStream<SideEffectRow> sideEffects = served.getSideOutput(TraceAssembler.SIDE_EFFECTS)
                .keyBy(sideEffectKey)
                .process(new AdditiveAggregator<>(sideEffectKey, TypeInformation.of(SideEffectRow.class)))
                .uid(Uids.SIDE_EFFECT_AGGREGATE).name("sum variant_side_effects")
                .keyBy(CardinalityLimit.<SideEffectRow>byTable(IcebergOutputs.VARIANT_SIDE_EFFECTS))
                .process(new CardinalityLimit<>(new LimitedDimensions.SideEffects(), settings.limits, settings.knownExperiments,
                        TypeInformation.of(SideEffectRow.class)))
                .uid(Uids.SIDE_EFFECT_LIMITS).name("cardinality limits variant_side_effects");

        DataStream<ExposureRow> exposures = served
                .flatMap(new ExposureCandidates())
                .uid(Uids.EXPOSURE_CANDIDATES).name("exposure candidates")
                .keyBy(ExposureCandidates::key)
                .process(new FirstExposure(2 * settings.traceGapMs, settings.exposureRetentionMs))
                .uid(Uids.FIRST_EXPOSURE).name("first exposure per unit");

        DataStream<AnomalyRow> anomalies = served.getSideOutput(TraceAssembler.ANOMALIES)
                .union(attributed.getSideOutput(ClickAttributor.ANOMALIES));

        outputs.engagement(engagement);
        outputs.unitDaily(unitDaily);
        outputs.sideEffects(sideEffects);
        outputs.exposures(exposures);
        outputs.lineage(attributed);
        outputs.anomalies(anomalies);
        outputs.deadLetters(deadLetters);
    }

    private OtlpEncoding spanEncoding() {
        return "otlp_json".equals(settings.spansEncoding) ? OtlpEncoding.OTLP_JSON : OtlpEncoding.OTLP_PROTO;
    }

    /**
     * Impressions drive event time and never go idle: were they idle while clicks sent the final watermark
     * (a drain), every waiting click would be declared an orphan before its impression arrived.
     */
    private WatermarkStrategy<Impression> impressionWatermarks() {
        return WatermarkStrategy.<Impression>forBoundedOutOfOrderness(Duration.ofMillis(settings.outOfOrdernessMs))
                .withTimestampAssigner((Impression i, long ts) -> i.servedAt);
    }

    /** Clicks and spans may pause (no clicks at night, a quiet service): idle inputs stop holding event time back. */
    private <T> WatermarkStrategy<T> watermarks(SerializableTimestampAssigner<T> eventTime) {
        return WatermarkStrategy.<T>forBoundedOutOfOrderness(Duration.ofMillis(settings.outOfOrdernessMs))
                .withTimestampAssigner(eventTime)
                .withIdleness(Duration.ofMillis(settings.idlenessMs));
    }
}
