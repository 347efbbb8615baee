package io.recolens.connectors.decode;

import io.recolens.model.DeadLetter;
import io.recolens.model.RawRecord;
import java.io.Serializable;
import java.util.function.Consumer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;

/**
 * Runs a {@link RecordDecoder} wherever records are decoded (inside the Kafka source, or after a file source):
 * decoded records become {@code Either.Right}, rejections {@code Either.Left} dead letters, both counted
 * ({@code decoded}, {@code deadLetters} under the metric group {@code decoder=<name>}). Bad input never throws.
 */
public final class RecordDecoding<T> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final RecordDecoder<T> decoder;
    private final String name;

    private transient Counter recordsCounter;
    private transient Counter decodedCounter;
    private transient Counter deadLetterCounter;
    // Built once in open(); they read the current collector from this field, so decode allocates no lambda per record.
    private transient Collector<Either<DeadLetter, T>> current;
    private transient Consumer<T> emit;
    private transient Consumer<DeadLetter> reject;

    public RecordDecoding(RecordDecoder<T> decoder, String name) {
        if (decoder == null || name == null || name.isEmpty()) {
            throw new IllegalArgumentException("decoder and name are required");
        }
        this.decoder = decoder;
        this.name = name;
    }

    public String name() {
        return name;
    }

    public void open(MetricGroup metrics) {
        decoder.open();
        MetricGroup group = metrics.addGroup("decoder", name);
        // Input records, one per Kafka record or file record: what progress is measured in (an OTLP message decodes
        // into many spans, so the source's numRecordsOut counts spans, not messages).
        recordsCounter = group.counter("records");
        decodedCounter = group.counter("decoded");
        deadLetterCounter = group.counter("deadLetters");
        emit = record -> {
            decodedCounter.inc();
            try {
                current.collect(Either.Right(record));
            } catch (RuntimeException e) {
                throw new DownstreamFailure(e);
            }
        };
        reject = deadLetter -> {
            deadLetterCounter.inc();
            try {
                current.collect(Either.Left(deadLetter));
            } catch (RuntimeException e) {
                throw new DownstreamFailure(e);
            }
        };
    }

    /** Decodes one record into {@code out}; only a failure of an operator chained after this one propagates. */
    public void decode(RawRecord record, Collector<Either<DeadLetter, T>> out) {
        if (record == null) return;
        recordsCounter.inc();
        current = out;
        try {
            decoder.decode(record, emit, reject);
        } catch (DownstreamFailure e) {
            // A chained operator failed: that is not bad input, so it must fail the task as usual.
            throw e.downstream;
        } catch (RuntimeException e) {
            // Decoders promise not to throw; this guards the job against a decoder bug all the same.
            reject.accept(decoder.deadLetter(record, name, "decoder failed: " + e));
        }
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
