package io.recolens.connectors.decode;

import io.recolens.model.AnomalyRow;
import io.recolens.model.DeadLetter;
import io.recolens.model.Trimmable;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Splits decoded input into its records (main output) and its dead letters ({@link #TAG} side output); a record
 * that a soft limit trimmed also yields a {@code record_trimmed} anomaly ({@link #TRIMMED} side output).
 */
public class DeadLetters<T> extends ProcessFunction<Either<DeadLetter, T>, T>
        implements org.apache.flink.api.java.typeutils.ResultTypeQueryable<T> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> TAG = new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    public static final OutputTag<AnomalyRow> TRIMMED = new OutputTag<>("trimmed-records", TypeInformation.of(AnomalyRow.class));

    private final TypeInformation<T> type;

    public DeadLetters(TypeInformation<T> type) {
        this.type = type;
    }

    /** The type of a decoder's output: a record, or the dead letter it became. */
    public static <T> TypeInformation<Either<DeadLetter, T>> eitherType(TypeInformation<T> type) {
        return new EitherTypeInfo<>(TypeInformation.of(DeadLetter.class), type);
    }

    @Override
    public void processElement(Either<DeadLetter, T> value, Context ctx, Collector<T> out) {
        if (value.isRight()) {
            T record = value.right();
            if (record instanceof Trimmable t && t.trimmed() != null) {
                ctx.output(TRIMMED, AnomalyRow.of(AnomalyRow.RECORD_TRIMMED, t.eventTime(), t.traceId(), t.trimmed()));
            }
            out.collect(record);
        } else {
            ctx.output(TAG, value.left());
        }
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return type;
    }
}
