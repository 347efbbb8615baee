package io.recolens.connectors.decode;

import io.recolens.model.DeadLetter;
import io.recolens.model.RawRecord;
import java.util.function.Consumer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Runs a {@link RecordDecoder} inside Flink: decoded records go to the main output, rejections to
 * the {@link #DEAD_LETTERS} side output, both counted ({@code decoded}, {@code deadLetters} under
 * the metric group {@code decoder=<name>}). Bad input never fails the task.
 */
public class DecodingFunction<T> extends ProcessFunction<RawRecord, T> implements ResultTypeQueryable<T> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    private final RecordDecoder<T> decoder;
    private final TypeInformation<T> producedType;
    private final String name;

    private transient Counter decodedCounter;
    private transient Counter deadLetterCounter;
    // The consumers are built once in open() and read the current collector and context from
    // these fields, so processElement allocates no lambda per record.
    private transient Collector<T> currentOut;
    private transient Context currentCtx;
    private transient Consumer<T> emit;
    private transient Consumer<DeadLetter> reject;

    public DecodingFunction(RecordDecoder<T> decoder, TypeInformation<T> producedType, String name) {
        if (decoder == null || producedType == null || name == null || name.isEmpty()) {
            throw new IllegalArgumentException("decoder, produced type and name are required");
        }
        this.decoder = decoder;
        this.producedType = producedType;
        this.name = name;
    }

    public String name() {
        return name;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        decoder.open();
        MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("decoder", name);
        decodedCounter = group.counter("decoded");
        deadLetterCounter = group.counter("deadLetters");
        emit = record -> {
            decodedCounter.inc();
            try {
                currentOut.collect(record);
            } catch (RuntimeException e) {
                throw new DownstreamFailure(e);
            }
        };
        reject = deadLetter -> {
            deadLetterCounter.inc();
            try {
                currentCtx.output(DEAD_LETTERS, deadLetter);
            } catch (RuntimeException e) {
                throw new DownstreamFailure(e);
            }
        };
    }

    @Override
    public void processElement(RawRecord value, Context ctx, Collector<T> out) {
        currentOut = out;
        currentCtx = ctx;
        if (value == null) return;
        try {
            decoder.decode(value, emit, reject);
        } catch (DownstreamFailure e) {
            // A chained operator failed: that is not bad input, so it must fail the task as usual.
            throw e.downstream;
        } catch (RuntimeException e) {
            // Decoders promise not to throw; this guards the job against a decoder bug all the same.
            reject.accept(decoder.deadLetter(value, name, "decoder failed: " + e));
        }
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return producedType;
    }

    /** Marks an exception thrown by the operators after this one, so it is not taken for bad input. */
    private static final class DownstreamFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final RuntimeException downstream;

        DownstreamFailure(RuntimeException cause) {
            super(null, null, false, false);
            this.downstream = cause;
        }
    }
}
