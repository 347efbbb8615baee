package io.recolens.jobs.pipeline;

import io.recolens.connectors.decode.DecodingFlatMap;
import io.recolens.connectors.source.DecodingKafkaDeserializer;
import io.recolens.connectors.source.KafkaRawSources;
import io.recolens.connectors.source.RawFileSources;
import io.recolens.jobs.config.JobSettings;
import io.recolens.jobs.config.RecolensOptions.InputKind;
import io.recolens.model.DeadLetter;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Either;

/**
 * Production inputs: three Kafka topics, decoded inside the source reader so that watermarks are generated per
 * partition; or (batch) three folders of files in the same encodings, decoded after the file source; or (batch) the
 * raw archive ({@link ArchiveInputs}).
 */
public final class SourceInputs implements PipelineInputs {
    private final JobSettings settings;

    private SourceInputs(JobSettings settings) {
        this.settings = settings;
    }

    public static SourceInputs from(JobSettings settings) {
        return new SourceInputs(settings);
    }

    @Override
    public <T> DataStream<Either<DeadLetter, T>> read(StreamExecutionEnvironment env, DecodedInput<T> input) {
        DecodedInput.Stream stream = input.stream();
        if (settings.input == InputKind.ARCHIVE) {
            return ArchiveInputs.of(settings).read(env, input);
        }
        if (settings.input == InputKind.FILES) {
            // Batch only: event time matters for keys and windows, not for watermarks, which batch does not use.
            Path dir = new Path(settings.inputPath, stream.label);
            return env.fromSource(RawFileSources.forDirectory(dir), WatermarkStrategy.noWatermarks(), "files " + dir)
                    .uid(stream.sourceUid).name("read " + stream.label + " files")
                    .flatMap(new DecodingFlatMap<>(input.decoder(), input.type(), stream.label))
                    .uid(stream.decodeUid).name("decode " + stream.label)
                    .assignTimestampsAndWatermarks(input.watermarks())
                    .uid(stream.watermarksUid).name(stream.label + " event time");
        }
        String topic = topic(stream);
        KafkaRawSources.Builder kafka = KafkaRawSources.builder()
                .bootstrapServers(settings.kafkaBootstrap)
                .topic(topic)
                .groupId(settings.kafkaGroupId)
                .properties(kafkaProperties());
        startFrom(kafka, settings.startingOffsets);
        stopAt(kafka, settings.stoppingOffsets);
        return env.fromSource(kafka.build(new DecodingKafkaDeserializer<>(input.decoder(), input.type(), stream.label)),
                        input.watermarks(), "kafka " + topic)
                .uid(stream.sourceUid).name("read and decode " + topic);
    }

    private String topic(DecodedInput.Stream stream) {
        return switch (stream) {
            case IMPRESSIONS -> settings.topicImpressions;
            case CLICKS -> settings.topicClicks;
            case SPANS -> settings.topicSpans;
        };
    }

    private Properties kafkaProperties() {
        Properties p = new Properties();
        p.putAll(settings.kafkaProperties);
        return p;
    }

    private static void startFrom(KafkaRawSources.Builder kafka, String spec) {
        switch (spec) {
            case "earliest" -> kafka.startFrom(KafkaRawSources.StartFrom.EARLIEST);
            case "latest" -> kafka.startFrom(KafkaRawSources.StartFrom.LATEST);
            case "committed-or-earliest" -> kafka.startFrom(KafkaRawSources.StartFrom.COMMITTED);
            default -> kafka.startFromTimestamp(Long.parseLong(spec.substring("timestamp:".length())));
        }
    }

    private static void stopAt(KafkaRawSources.Builder kafka, String spec) {
        switch (spec) {
            case "none" -> kafka.unbounded();
            case "latest" -> kafka.boundedByLatest();
            default -> kafka.boundedByTimestamp(Long.parseLong(spec.substring("timestamp:".length())));
        }
    }
}
