package io.recolens.connectors.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recolens.model.Click;
import io.recolens.model.DeadLetter;
import io.recolens.model.RawRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

class DecodingFunctionTest {

    private static RawRecord raw(long offset, String json) {
        return new RawRecord("reco.clicks", 0, offset, null, json == null ? null : json.getBytes(StandardCharsets.UTF_8), 0L);
    }

    @Test
    void goodRecordsGoToTheMainOutputAndBadOnesToTheSideOutput() throws Exception {
        DecodingFunction<Click> fn = new DecodingFunction<>(new ClickJsonDecoder(TestRecords.settings()),
                TypeInformation.of(Click.class), "clicks");
        try (OneInputStreamOperatorTestHarness<RawRecord, Click> h = ProcessFunctionTestHarnesses.forProcessFunction(fn)) {
            h.processElement(raw(0, "{\"click_id\":\"c1\",\"impression_id\":\"i\",\"item_id\":\"x\",\"timestamp\":1795260000000}"), 10L);
            h.processElement(raw(1, "{not json"), 11L);
            h.processElement(raw(2, null), 12L);
            h.processElement(raw(3, "{\"click_id\":\"c2\",\"impression_id\":\"i\",\"item_id\":\"y\",\"timestamp\":1795260000001}"), 13L);

            assertThat(h.extractOutputValues()).extracting(c -> c.clickId).containsExactly("c1", "c2");
            List<DeadLetter> dead = h.getSideOutput(DecodingFunction.DEAD_LETTERS).stream()
                    .map(StreamRecord::getValue).collect(Collectors.toList());
            assertThat(dead).extracting(d -> d.offset).containsExactly(1L, 2L);
            assertThat(dead).extracting(d -> d.kind).containsOnly("click");
            assertThat(fn.getProducedType()).isEqualTo(TypeInformation.of(Click.class));
        }
    }

    @Test
    void aDecoderThatThrowsStillYieldsADeadLetter() throws Exception {
        RecordDecoder<String> broken = (RecordDecoder<String>) (record, out, deadLetters) -> {
            throw new IllegalStateException("bug");
        };
        DecodingFunction<String> fn = new DecodingFunction<>(broken, TypeInformation.of(String.class), "broken");
        try (OneInputStreamOperatorTestHarness<RawRecord, String> h = ProcessFunctionTestHarnesses.forProcessFunction(fn)) {
            h.processElement(raw(7, "{}"), 1L);
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(h.getSideOutput(DecodingFunction.DEAD_LETTERS)).singleElement()
                    .satisfies(r -> assertThat(r.getValue().error).contains("decoder failed").contains("bug"));
        }
    }

    @Test
    void downstreamFailuresAreNotTakenForBadInput() throws Exception {
        RecordDecoder<String> decoder = (record, out, deadLetters) -> out.accept("ok");
        DecodingFunction<String> fn = new DecodingFunction<>(decoder, TypeInformation.of(String.class), "pass");
        try (OneInputStreamOperatorTestHarness<RawRecord, String> h = ProcessFunctionTestHarnesses.forProcessFunction(fn)) {
            h.processElement(raw(1, "{}"), 1L);
            assertThat(h.extractOutputValues()).containsExactly("ok");
            // The harness opened fn; a collector that throws stands for a failing chained operator.
            Collector<String> failing = new Collector<>() {
                @Override
                public void collect(String record) {
                    throw new IllegalArgumentException("downstream");
                }

                @Override
                public void close() {}
            };
            assertThatThrownBy(() -> fn.processElement(raw(2, "{}"), null, failing))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("downstream");
        }
    }
}
