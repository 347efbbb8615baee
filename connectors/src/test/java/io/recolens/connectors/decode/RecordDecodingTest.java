package io.recolens.connectors.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recolens.model.Click;
import io.recolens.model.DeadLetter;
import io.recolens.model.RawRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

class RecordDecodingTest {

    private static RawRecord raw(long offset, String json) {
        return new RawRecord("reco.clicks", 0, offset, null, json == null ? null : json.getBytes(StandardCharsets.UTF_8), 0L);
    }

    private static <T> List<Either<DeadLetter, T>> decodeAll(RecordDecoding<T> decoding, RawRecord... records) {
        decoding.open(new UnregisteredMetricsGroup());
        List<Either<DeadLetter, T>> out = new ArrayList<>();
        for (RawRecord r : records) decoding.decode(r, new ListCollector<>(out));
        return out;
    }

    @Test
    void goodRecordsAreRightAndBadOnesAreDeadLettersThatTheSplitterSendsToTheSideOutput() throws Exception {
        List<Either<DeadLetter, Click>> decoded = decodeAll(new RecordDecoding<>(new ClickJsonDecoder(TestRecords.settings()), "clicks"),
                raw(0, "{\"click_id\":\"c1\",\"impression_id\":\"i\",\"item_id\":\"x\",\"timestamp\":1795260000000}"),
                raw(1, "{not json"),
                raw(2, null),
                raw(3, "{\"click_id\":\"c2\",\"impression_id\":\"i\",\"item_id\":\"y\",\"timestamp\":1795260000001}"));

        DeadLetters<Click> splitter = new DeadLetters<>(TypeInformation.of(Click.class));
        try (OneInputStreamOperatorTestHarness<Either<DeadLetter, Click>, Click> h = ProcessFunctionTestHarnesses.forProcessFunction(splitter)) {
            long ts = 10;
            for (Either<DeadLetter, Click> e : decoded) h.processElement(e, ts++);
            assertThat(h.extractOutputValues()).extracting(c -> c.clickId).containsExactly("c1", "c2");
            List<DeadLetter> dead = h.getSideOutput(DeadLetters.TAG).stream().map(StreamRecord::getValue).collect(Collectors.toList());
            assertThat(dead).extracting(d -> d.offset).containsExactly(1L, 2L);
            assertThat(dead).extracting(d -> d.kind).containsOnly("click");
            assertThat(splitter.getProducedType()).isEqualTo(TypeInformation.of(Click.class));
        }
    }

    @Test
    void aDecoderThatThrowsStillYieldsADeadLetter() {
        RecordDecoder<String> broken = (record, out, deadLetters) -> {
            throw new IllegalStateException("bug");
        };
        List<Either<DeadLetter, String>> out = decodeAll(new RecordDecoding<>(broken, "broken"), raw(7, "{}"));
        assertThat(out).singleElement().satisfies(e -> {
            assertThat(e.isLeft()).isTrue();
            assertThat(e.left().error).contains("decoder failed").contains("bug");
        });
    }

    @Test
    void downstreamFailuresAreNotTakenForBadInput() {
        RecordDecoding<String> decoding = new RecordDecoding<>((record, out, deadLetters) -> out.accept("ok"), "pass");
        assertThat(decodeAll(decoding, raw(1, "{}"))).singleElement().satisfies(e -> assertThat(e.right()).isEqualTo("ok"));
        // A collector that throws stands for a failing chained operator.
        Collector<Either<DeadLetter, String>> failing = new Collector<>() {
            @Override
            public void collect(Either<DeadLetter, String> record) {
                throw new IllegalArgumentException("downstream");
            }

            @Override
            public void close() {}
        };
        assertThatThrownBy(() -> decoding.decode(raw(2, "{}"), failing))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("downstream");
    }
}
