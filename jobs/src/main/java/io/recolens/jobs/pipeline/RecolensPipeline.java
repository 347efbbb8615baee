package io.recolens.jobs.pipeline;

import io.recolens.connectors.decode.ClickJsonDecoder;
import io.recolens.connectors.decode.DecoderSettings;
import io.recolens.connectors.decode.DeadLetters;
import io.recolens.connectors.decode.ImpressionJsonDecoder;
import io.recolens.connectors.decode.OtlpEncoding;
import io.recolens.connectors.decode.OtlpSpanDecoder;
import io.recolens.jobs.config.JobSettings;
import io.recolens.jobs.functions.AdditiveAggregator;
import io.recolens.jobs.functions.Aggregates;
import io.recolens.jobs.functions.CardinalityLimit;
import io.recolens.jobs.functions.LimitedDimensions;
import io.recolens.jobs.functions.ClickAttributor;
import io.recolens.jobs.functions.CombineBeforeShuffle;
import io.recolens.jobs.functions.EngagementContributions;
import io.recolens.jobs.functions.ExposureCandidates;
import io.recolens.jobs.functions.FinalWatermark;
import io.recolens.jobs.functions.FirstExposure;
import io.recolens.jobs.functions.NeverIdle;
import io.recolens.jobs.functions.AttributionInput;
import io.recolens.jobs.functions.SplitWatermarks;
import io.recolens.jobs.functions.TraceAssembler;
import io.recolens.jobs.functions.TraceKeys;
import io.recolens.jobs.functions.UnitDailyContributions;
import io.recolens.jobs.functions.CompletenessContributions;
import io.recolens.jobs.functions.FeatureHashCheck;
import io.recolens.jobs.functions.LineageKeys;
import io.recolens.jobs.functions.ModelVersionCheck;
import io.recolens.jobs.functions.ProvenanceJoin;
import io.recolens.jobs.functions.ProvenanceSpans;
import io.recolens.model.AnomalyRow;
import io.recolens.model.CompletenessRow;
import io.recolens.model.Click;
import io.recolens.model.DeadLetter;
import io.recolens.model.EngagementRow;
import io.recolens.model.ExposureRow;
import io.recolens.model.Impression;
import io.recolens.model.ImpressionSerializer;
import io.recolens.model.LineageRow;
import io.recolens.model.LineageRowSerializer;
import io.recolens.model.SideEffectRow;
import io.recolens.model.SpanRecord;
import io.recolens.model.SpanRecordSerializer;
import io.recolens.model.UnitDailyRow;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Either;

/**
 * The recolens job graph, identical in streaming and batch: read and decode (event time per Kafka partition,
 * generated in the source reader) → trace assembly (by trace ID)
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

        SingleOutputStreamOperator<Impression> impressions = decoded(env, new DecodedInput<>(DecodedInput.Stream.IMPRESSIONS,
                new ImpressionJsonDecoder(decoding), ImpressionSerializer.TYPE,
                watermarks((Impression i, long ts) -> i.servedAt, SplitWatermarks.Idleness.UNTIL_FIRST_RECORD)));
        SingleOutputStreamOperator<Click> clicks = decoded(env, new DecodedInput<>(DecodedInput.Stream.CLICKS,
                new ClickJsonDecoder(decoding), TypeInformation.of(Click.class),
                watermarks((Click c, long ts) -> c.clickedAt, SplitWatermarks.Idleness.AFTER_QUIET_PERIOD)));
        SingleOutputStreamOperator<SpanRecord> spans = decoded(env, new DecodedInput<>(DecodedInput.Stream.SPANS,
                new OtlpSpanDecoder(spanEncoding(), decoding), SpanRecordSerializer.TYPE,
                watermarks((SpanRecord s, long ts) -> s.startMs, SplitWatermarks.Idleness.AFTER_QUIET_PERIOD)));

        DataStream<DeadLetter> deadLetters = impressions.getSideOutput(DeadLetters.TAG)
                .union(clicks.getSideOutput(DeadLetters.TAG), spans.getSideOutput(DeadLetters.TAG));

        SingleOutputStreamOperator<LineageRow> assembled = impressions.keyBy(new TraceKeys.OfImpression())
                .connect(spans.keyBy(new TraceKeys.OfSpan()))
                .process(new TraceAssembler(settings)).returns(LineageRowSerializer.TYPE)
                .uid(Uids.TRACE_ASSEMBLY).name("assemble traces (by trace ID)");
        // Consumers of trace assembly must wait for every subtask of it, also after a restore left it idle.
        DataStream<LineageRow> served = neverIdle(assembled, Uids.NEVER_IDLE_TRACES);
        DataStream<AttributionInput> toAttribution = neverIdle(assembled.getSideOutput(TraceAssembler.TO_ATTRIBUTION), Uids.NEVER_IDLE_TO_ATTRIBUTION);
        DataStream<SideEffectRow> spanEffects = neverIdle(assembled.getSideOutput(TraceAssembler.SIDE_EFFECTS), Uids.NEVER_IDLE_SIDE_EFFECTS);

        // Lineage rows and trace-summary updates (late spans) reach attribution through one side output.
        SingleOutputStreamOperator<LineageRow> attributed = toAttribution.keyBy(r -> r.impressionId)
                .connect(clicks.keyBy(c -> c.impressionId))
                .process(new ClickAttributor(settings)).returns(LineageRowSerializer.TYPE)
                .uid(Uids.CLICK_ATTRIBUTION).name("attribute clicks (by impression ID)");

        long window = settings.aggregateWindowMs;
        long engagementDelay = settings.traceGapMs + settings.attributionWindowMs;

        Aggregates.Engagement engagementKey = new Aggregates.Engagement(engagementDelay);
        DataStream<EngagementRow> engagement = attributed
                .flatMap(new EngagementContributions(window))
                .uid(Uids.ENGAGEMENT_CONTRIBUTIONS).name("engagement contributions")
                .transform("combine engagement", TypeInformation.of(EngagementRow.class), new CombineBeforeShuffle<>(engagementKey))
                .uid(Uids.ENGAGEMENT_COMBINE)
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
                .transform("combine unit contributions", TypeInformation.of(UnitDailyRow.class), new CombineBeforeShuffle<>(unitKey))
                .uid(Uids.UNIT_DAILY_COMBINE)
                .keyBy(unitKey)
                .process(new AdditiveAggregator<>(unitKey, TypeInformation.of(UnitDailyRow.class)))
                .uid(Uids.UNIT_DAILY_AGGREGATE).name("sum experiment_unit_daily")
                .keyBy(CardinalityLimit.<UnitDailyRow>byTable(IcebergOutputs.EXPERIMENT_UNIT_DAILY))
                .process(new CardinalityLimit<>(new LimitedDimensions.UnitDaily(), settings.limits, settings.knownExperiments,
                        TypeInformation.of(UnitDailyRow.class)))
                .uid(Uids.UNIT_DAILY_LIMITS).name("cardinality limits experiment_unit_daily");

        Aggregates.SideEffects sideEffectKey = new Aggregates.SideEffects(settings.traceGapMs);
        DataStream<SideEffectRow> sideEffects = spanEffects
                .transform("combine side effects", TypeInformation.of(SideEffectRow.class), new CombineBeforeShuffle<>(sideEffectKey))
                .uid(Uids.SIDE_EFFECT_COMBINE)
                .keyBy(sideEffectKey)
                .process(new AdditiveAggregator<>(sideEffectKey, TypeInformation.of(SideEffectRow.class)))
                .uid(Uids.SIDE_EFFECT_AGGREGATE).name("sum variant_side_effects")
                .keyBy(CardinalityLimit.<SideEffectRow>byTable(IcebergOutputs.VARIANT_SIDE_EFFECTS))
                .process(new CardinalityLimit<>(new LimitedDimensions.SideEffects(), settings.limits, settings.knownExperiments,
                        TypeInformation.of(SideEffectRow.class)))
                .uid(Uids.SIDE_EFFECT_LIMITS).name("cardinality limits variant_side_effects");

        // Limited after deduplication, where the rows are few: one per unit and experiment variant, not per impression.
        SingleOutputStreamOperator<ExposureRow> limitedExposures = served
                .flatMap(new ExposureCandidates())
                .uid(Uids.EXPOSURE_CANDIDATES).name("exposure candidates")
                .keyBy(ExposureCandidates::key)
                .process(new FirstExposure(2 * settings.traceGapMs, settings.exposureRetentionMs))
                .uid(Uids.FIRST_EXPOSURE).name("first exposure per unit")
                .keyBy(CardinalityLimit.<ExposureRow>byTable(IcebergOutputs.EXPERIMENT_EXPOSURES))
                .process(new CardinalityLimit<>(new LimitedDimensions.Exposures(), settings.limits, settings.knownExperiments,
                        TypeInformation.of(ExposureRow.class)))
                .uid(Uids.EXPOSURE_LIMITS).name("cardinality limits experiment_exposures");
        // A unit exposed to several experiments past the limit would get one __overflow__ row for each: keep the first.
        DataStream<ExposureRow> exposures = limitedExposures.filter(ExposureCandidates::admitted)
                .uid(Uids.ADMITTED_EXPOSURES).name("admitted exposures")
                .union(limitedExposures.filter(x -> !ExposureCandidates.admitted(x))
                        .uid(Uids.OVERFLOW_EXPOSURES).name("overflow exposures")
                        .keyBy(ExposureCandidates::key)
                        .process(new FirstExposure(2 * settings.traceGapMs, settings.exposureRetentionMs))
                        .uid(Uids.FIRST_OVERFLOW_EXPOSURE).name("first overflow exposure per unit"));

        // Join 3, by lineage ID (salted: a few lineages serve most impressions): each final lineage row gets its features'
        // provenance before the sink. The aggregates above do not wait for it.
        SingleOutputStreamOperator<LineageRow> lineage = attributed.keyBy(new LineageKeys.OfRow(settings.lineageSalts))
                .connect(spans.flatMap(new ProvenanceSpans(settings.lineageSalts))
                        .uid(Uids.PROVENANCE_SPANS).name("provenance spans (copied per salt)")
                        .keyBy(new LineageKeys.OfProvenance()))
                .process(new ProvenanceJoin(settings)).returns(LineageRowSerializer.TYPE)
                .uid(Uids.PROVENANCE_JOIN).name("join provenance (by lineage ID and salt)");
        DataStream<AnomalyRow> hashFindings = lineage.flatMap(new FeatureHashCheck.WhatTheCheckReads()).returns(lineage.getType())
                .uid(Uids.FEATURE_HASH_INPUT).name("rows with features (slim)")
                .keyBy(new FeatureHashCheck.ByUnit())
                .process(new FeatureHashCheck(settings))
                .uid(Uids.FEATURE_HASH_CHECK).name("feature hash check (by unit)");
        DataStream<AnomalyRow> modelFindings = impressions.flatMap(new ModelVersionCheck.ImpressionsNamingAModel()).returns(impressions.getType())
                .uid(Uids.MODEL_IMPRESSIONS).name("impressions naming a model").keyBy(i -> i.traceId)
                .connect(spans.flatMap(new ModelVersionCheck.SpansNamingAModel()).returns(spans.getType())
                        .uid(Uids.MODEL_SPANS).name("spans naming a model").keyBy(s -> s.traceId))
                .process(new ModelVersionCheck(settings))
                .uid(Uids.MODEL_VERSION_CHECK).name("model version check (by trace ID)");
        CompletenessContributions.Sums completenessKey = new CompletenessContributions.Sums(unitBucket,
                engagementDelay + settings.provenanceWaitMs);
        DataStream<CompletenessRow> completeness = lineage
                .flatMap(new CompletenessContributions(unitBucket, settings.staleAfterMs))
                .uid(Uids.COMPLETENESS_CONTRIBUTIONS).name("completeness contributions")
                .keyBy(completenessKey)
                .process(new AdditiveAggregator<>(completenessKey, TypeInformation.of(CompletenessRow.class)))
                .uid(Uids.COMPLETENESS_AGGREGATE).name("sum lineage_completeness")
                .keyBy(CardinalityLimit.<CompletenessRow>byTable(IcebergOutputs.LINEAGE_COMPLETENESS))
                .process(new CardinalityLimit<>(new LimitedDimensions.Completeness(), settings.limits, settings.knownExperiments,
                        TypeInformation.of(CompletenessRow.class)))
                .uid(Uids.COMPLETENESS_LIMITS).name("cardinality limits lineage_completeness");

        DataStream<AnomalyRow> anomalies = assembled.getSideOutput(TraceAssembler.ANOMALIES)
                .union(attributed.getSideOutput(ClickAttributor.ANOMALIES), impressions.getSideOutput(DeadLetters.TRIMMED),
                        spans.getSideOutput(DeadLetters.TRIMMED), lineage.getSideOutput(ProvenanceJoin.ANOMALIES), hashFindings,
                        modelFindings);

        outputs.engagement(engagement);
        outputs.unitDaily(unitDaily);
        outputs.sideEffects(sideEffects);
        outputs.exposures(exposures);
        outputs.lineage(lineage);
        outputs.completeness(completeness);
        outputs.anomalies(anomalies);
        outputs.deadLetters(deadLetters);
        if (settings.archive) {
            outputs.rawImpressions(impressions);
            outputs.rawClicks(clicks);
            outputs.rawSpans(spans);
        }
    }

    private OtlpEncoding spanEncoding() {
        return "otlp_json".equals(settings.spansEncoding) ? OtlpEncoding.OTLP_JSON : OtlpEncoding.OTLP_PROTO;
    }

    private <T> SingleOutputStreamOperator<T> decoded(StreamExecutionEnvironment env, DecodedInput<T> input) {
        DataStream<Either<DeadLetter, T>> read = inputs.read(env, input);
        if (input.stream() == DecodedInput.Stream.IMPRESSIONS) {
            // The end of event time must flow through the impression path even after a restore left it idle.
            read = read.transform("final watermark (impressions)", read.getType(), new FinalWatermark<Either<DeadLetter, T>>())
                    .uid(Uids.FINAL_WATERMARK_IMPRESSIONS);
        }
        return read
                .process(new DeadLetters<>(input.type()))
                .uid(input.stream().splitUid).name("split " + input.stream().label + " dead letters");
    }

    private static <T> DataStream<T> neverIdle(DataStream<T> stream, String uid) {
        return stream.transform("keep active", stream.getType(), new NeverIdle<T>()).uid(uid);
    }

    /** Event time per Kafka partition, generated in the source reader; see {@link SplitWatermarks} for idleness. */
    private <T> WatermarkStrategy<Either<DeadLetter, T>> watermarks(SerializableTimestampAssigner<T> eventTime, SplitWatermarks.Idleness idleness) {
        return SplitWatermarks.strategy(eventTime, Duration.ofMillis(settings.outOfOrdernessMs), Duration.ofMillis(settings.idlenessMs), idleness);
    }
}
