package io.recolens.jobs.pipeline;

import io.recolens.model.DeadLetter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Either;

/**
 * Where the three input streams come from (Kafka, files, or a test's own), decoded with the given
 * {@link DecodedInput} and carrying event-time timestamps and watermarks from its strategy. Kafka inputs decode
 * and generate watermarks inside the source reader, per partition.
 */
public interface PipelineInputs {
    <T> DataStream<Either<DeadLetter, T>> read(StreamExecutionEnvironment env, DecodedInput<T> input);
}
