package io.recolens.jobs.pipeline;

import io.recolens.connectors.source.KafkaRawSources;
import io.recolens.connectors.source.RawFileSources;
import io.recolens.jobs.config.JobSettings;
import io.recolens.jobs.config.RecolensOptions.InputKind;
import io.recolens.model.RawRecord;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Production inputs: three Kafka topics, or (batch) three folders of files in the same encodings. */
public final class SourceInputs implements PipelineInputs {
    private final JobSettings settings;

    private SourceInputs(JobSettings settings) {
        this.settings = settings;
    }

    public static SourceInputs from(JobSettings settings) {
        return new SourceInputs(settings);
    }

    @Override
    public DataStream<RawRecord> impressions(StreamExecutionEnvironment env) {
        return source(env, settings.topicImpressions, "impressions", Uids.SOURCE_IMPRESSIONS);
    }

    @Override
    public DataStream<RawRecord> clicks(StreamExecutionEnvironment env) {
        return source(env, settings.topicClicks, "clicks", Uids.SOURCE_CLICKS);
    }

    @Override
    public DataStream<RawRecord> spans(StreamExecutionEnvironment env) {
        return source(env, settings.topicSpans, "spans", Uids.SOURCE_SPANS);
    }

    private DataStream<RawRecord> source(StreamExecutionEnvironment env, String topic, String folder, String uid) {
        // Event time is only known after decoding, so watermarks are assigned downstream of the decoder.
        if (settings.input == InputKind.FILES) {
            Path dir = new Path(settings.inputPath, folder);
            return env.fromSource(RawFileSources.forDirectory(dir), WatermarkStrategy.noWatermarks(), "files " + dir)
                    .uid(uid).name("read " + folder + " files");
        }
        KafkaRawSources.Builder kafka = KafkaRawSources.builder()
                .bootstrapServers(settings.kafkaBootstrap)
                .topic(topic)
                .groupId(settings.kafkaGroupId)
                .properties(kafkaProperties());
        startFrom(kafka, settings.startingOffsets);
        stopAt(kafka, settings.stoppingOffsets);
        return env.fromSource(kafka.build(), WatermarkStrategy.noWatermarks(), "kafka " + topic)
                .uid(uid).name("read " + topic);
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
