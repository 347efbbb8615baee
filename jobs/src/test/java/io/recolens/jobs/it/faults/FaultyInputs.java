package io.recolens.jobs.it.faults;

import io.recolens.jobs.pipeline.DecodedInput;
import io.recolens.jobs.pipeline.PipelineInputs;
import io.recolens.model.DeadLetter;
import java.util.Map;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Either;

/** Wraps the job's inputs and appends a {@link FaultInjector} to the streams that have a {@link Fault}. */
public final class FaultyInputs implements PipelineInputs {
    private final PipelineInputs delegate;
    private final Map<DecodedInput.Stream, Fault> faults;

    public FaultyInputs(PipelineInputs delegate, Map<DecodedInput.Stream, Fault> faults) {
        this.delegate = delegate;
        this.faults = faults;
    }

    @Override
    public <T> DataStream<Either<DeadLetter, T>> read(StreamExecutionEnvironment env, DecodedInput<T> input) {
        DataStream<Either<DeadLetter, T>> stream = delegate.read(env, input);
        Fault fault = faults.get(input.stream());
        if (fault == null) return stream;
        return stream.transform("inject " + fault.name(), stream.getType(), new FaultInjector<Either<DeadLetter, T>>(fault))
                .uid("fault-" + input.stream().label);
    }
}
