package io.recolens.connectors.source;

import io.recolens.connectors.decode.DeadLetters;
import io.recolens.connectors.decode.RecordDecoder;
import io.recolens.connectors.decode.RecordDecoding;
import io.recolens.model.DeadLetter;
import io.recolens.model.RawRecord;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes Kafka records inside the source reader, so event time is known where the per-partition (per-split)
 * watermark generators run: a record's timestamp is its own event time, not the broker's. Rejections travel as
 * {@code Either.Left} dead letters; nothing here throws on bad input.
 */
public class DecodingKafkaDeserializer<T> implements KafkaRecordDeserializationSchema<Either<DeadLetter, T>> {
    private static final long serialVersionUID = 1L;

    private final RecordDecoding<T> decoding;
    private final TypeInformation<Either<DeadLetter, T>> producedType;

    public DecodingKafkaDeserializer(RecordDecoder<T> decoder, TypeInformation<T> type, String name) {
        this.decoding = new RecordDecoding<>(decoder, name);
        this.producedType = DeadLetters.eitherType(type);
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        decoding.open(context.getMetricGroup());
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Either<DeadLetter, T>> out) {
        decoding.decode(new RawRecord(record.topic(), record.partition(), record.offset(), record.key(),
                record.value(), record.timestamp()), out);
    }

    @Override
    public TypeInformation<Either<DeadLetter, T>> getProducedType() {
        return producedType;
    }
}
