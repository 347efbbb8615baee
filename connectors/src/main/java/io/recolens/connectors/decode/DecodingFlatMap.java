package io.recolens.connectors.decode;

import io.recolens.model.DeadLetter;
import io.recolens.model.RawRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;

/** Decodes raw records that a source could not decode itself (files): the same {@link RecordDecoding} as the Kafka path. */
public class DecodingFlatMap<T> extends RichFlatMapFunction<RawRecord, Either<DeadLetter, T>>
        implements ResultTypeQueryable<Either<DeadLetter, T>> {
    private static final long serialVersionUID = 1L;

    private final RecordDecoding<T> decoding;
    private final TypeInformation<Either<DeadLetter, T>> producedType;

    public DecodingFlatMap(RecordDecoder<T> decoder, TypeInformation<T> type, String name) {
        this.decoding = new RecordDecoding<>(decoder, name);
        this.producedType = DeadLetters.eitherType(type);
    }

    @Override
    public void open(OpenContext openContext) {
        decoding.open(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void flatMap(RawRecord value, Collector<Either<DeadLetter, T>> out) {
        decoding.decode(value, out);
    }

    @Override
    public TypeInformation<Either<DeadLetter, T>> getProducedType() {
        return producedType;
    }
}
