package io.recolens.connectors.decode;

import static io.recolens.connectors.decode.TestRecords.raw;
import static io.recolens.connectors.decode.TestRecords.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.recolens.model.Click;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClickJsonDecoderTest {
    private ClickJsonDecoder decoder;

    @BeforeEach
    void setUp() {
        decoder = new ClickJsonDecoder(TestRecords.settings());
        decoder.open();
    }

    @Test
    void decodesAllFields() {
        Click c = run(decoder, raw("{\"click_id\":\"c-9\",\"impression_id\":\"imp-1\",\"trace_id\":\"4BF92F3577B34DA6A3CE929D0E0E4736\","
                + "\"item_id\":\"c-1\",\"position\":2,\"user_id\":\"u-123\",\"timestamp\":\"2026-11-21T10:00:05Z\","
                + "\"experiments\":{\"rec_algorithm_v3\":\"hybrid\"},\"unknown\":[1,2]}")).single();
        assertThat(c.clickId).isEqualTo("c-9");
        assertThat(c.impressionId).isEqualTo("imp-1");
        assertThat(c.traceId).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(c.itemId).isEqualTo("c-1");
        assertThat(c.position).isEqualTo(2);
        assertThat(c.unitKey).isEqualTo(new UnitKeys(TestRecords.SECRET).unitKey("u-123"));
        assertThat(c.clickedAt).isEqualTo(Instant.parse("2026-11-21T10:00:05Z").toEpochMilli());
        assertThat(c.experiments).containsExactlyEntriesOf(Map.of("rec_algorithm_v3", "hybrid"));
    }

    @Test
    void optionalFieldsMayBeAbsent() {
        Click c = run(decoder, raw("{\"click_id\":\"c\",\"impression_id\":\"i\",\"item_id\":\"x\",\"timestamp\":1795260000000}"))
                .single();
        assertThat(c.unitKey).isNull();
        assertThat(c.traceId).isNull();
        assertThat(c.position).isEqualTo(-1);
        assertThat(c.experiments).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"click_id", "impression_id", "item_id", "timestamp"})
    void missingRequiredFieldIsADeadLetter(String field) {
        String json = "{\"click_id\":\"c\",\"impression_id\":\"i\",\"item_id\":\"x\",\"timestamp\":1795260000000}";
        String without = json.replaceFirst("\"" + field + "\":(\"[^\"]*\"|\\d+),?", "").replace(",}", "}");
        assertThat(run(decoder, raw(without)).singleDeadLetter().error).isEqualTo("required field '" + field + "' is missing");
    }

    @Test
    void badTraceIdAndAbsurdTimeAreDeadLetters() {
        assertThat(run(decoder, raw("{\"click_id\":\"c\",\"impression_id\":\"i\",\"item_id\":\"x\",\"timestamp\":1795260000000,"
                + "\"trace_id\":\"nope\"}")).singleDeadLetter().error).contains("trace_id");
        assertThat(run(decoder, raw("{\"click_id\":\"c\",\"impression_id\":\"i\",\"item_id\":\"x\",\"timestamp\":-1}"))
                .singleDeadLetter().error).contains("timestamp");
        assertThat(run(decoder, raw("{\"click_id\":\"c\",\"impression_id\":\"i\",\"item_id\":\"x\",\"timestamp\":\"9999-01-01T00:00:00Z\"}"))
                .singleDeadLetter().error).contains("in the future");
    }

    @Test
    void truncatedJsonIsADeadLetter() {
        assertThat(run(decoder, raw("{\"click_id\":\"c\",\"impression_id\":")).singleDeadLetter().error)
                .startsWith("malformed JSON");
    }
}
