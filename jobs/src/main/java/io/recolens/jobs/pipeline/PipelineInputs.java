package io.recolens.jobs.pipeline;

import io.recolens.model.RawRecord;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Where the three raw input streams come from: Kafka, files, or a test's in-memory data. */
public interface PipelineInputs {
    DataStream<RawRecord> impressions(StreamExecutionEnvironment env);

    DataStream<RawRecord> clicks(StreamExecutionEnvironment env);

    DataStream<RawRecord> spans(StreamExecutionEnvironment env);
}
