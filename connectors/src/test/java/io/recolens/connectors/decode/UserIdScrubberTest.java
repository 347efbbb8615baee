package io.recolens.connectors.decode;

import static io.recolens.connectors.decode.TestRecords.raw;
import static io.recolens.connectors.decode.TestRecords.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.recolens.model.DeadLetter;
import io.recolens.model.SpanRecord;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UserIdScrubberTest {
    private final UnitKeys keys = new UnitKeys(TestRecords.SECRET);
    private final UserIdScrubber scrubber = new UserIdScrubber(keys);

    private String json(String in) {
        return new String(scrubber.json(in.getBytes(StandardCharsets.UTF_8)).bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void userIdValueBecomesItsUnitKeyAndTheJsonStaysValid() throws Exception {
        String out = json("{\"impression_id\":\"i-1\",\"user_id\":\"u-secret-1\",\"x\":1}");
        assertThat(out).doesNotContain("u-secret-1")
                .isEqualTo("{\"impression_id\":\"i-1\",\"user_id\":\"" + keys.unitKey("u-secret-1") + "\",\"x\":1}");
        try (JsonParser p = new JsonFactory().createParser(out)) {
            while (p.nextToken() != null) {
                // reading every token throws if the rewrite broke the JSON
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"user_id\":\"u-secret-1\"",                  // cut after the value
            "{\"user_id\":\"u-secret-1",                     // cut inside the value (a prefix of it is still an ID)
            "{\"userId\" :\n\t\"u-secret-1\" , \"trace_id\": ",
            "{\"USER_ID\": u-secret-1 }",                    // bare token, not JSON
            "{\"user.id\":\"u-secret-1\"}} trailing",
            "{\"enduser.id\":\"u-secret-1\"",
            "{\"user_id\" \"u-secret-1\"}",                  // colon missing
            "{\"user_id\":{\"id\":\"u-secret-1\",\"n\":[\"u-secret-1\"]},\"impression_id\":\"keep-me\"}",
            "{\"baggage\":\"experiment.a=b,user.id=u-secret-1;p=1\"}",
            "{\"baggage\":\"enduser.id = u-secret-1",
            "user.id=u-secret-1 not json at all",
            "{\"key\":\"enduser.id\",\"value\":{\"stringValue\":\"u-secret-1\"}}",
    })
    void brokenOrOddInputKeepsNoRawId(String in) {
        UserIdScrubber.Result r = scrubber.json(in.getBytes(StandardCharsets.UTF_8));
        String out = new String(r.bytes(), StandardCharsets.UTF_8);
        assertThat(out).doesNotContain("secret");
        assertThat(r.userIds()).isNotEmpty();
    }

    @Test
    void escapedIdIsHashedAsItsDecodedText() {
        String out = json("{\"user_id\":\"u-\\u0073ecret\"}");
        assertThat(out).contains(keys.unitKey("u-secret")).doesNotContain("ecret");
    }

    @Test
    void numberIdsAndIdsInNestedValuesAreScrubbedButOtherFieldsKept() {
        String out = json("{\"userId\": 123456789, \"impression_id\":\"i-9\", \"user_id\":{\"a\":\"u-nested\",\"b\":true}}");
        assertThat(out).doesNotContain("123456789").doesNotContain("u-nested")
                .contains(keys.unitKey("123456789")).contains("\"impression_id\":\"i-9\"").contains("true");
    }

    @Test
    void baggageInsideAJsonStringIsRewrittenAndOtherEntriesKept() {
        String out = json("{\"baggage\":\"experiment.a=b,user.id=u-bag%2Dx;p=1,user.cohort=c\"}");
        assertThat(out).isEqualTo("{\"baggage\":\"experiment.a=b,user.id=" + keys.unitKey("u-bag-x") + ";p=1,user.cohort=c\"}");
    }

    @Test
    void recordWithoutUserIdsIsUnchanged() {
        String in = "{\"impression_id\":\"i-1\",\"session\":\"user\",\"note\":\"user_id is missing\"}";
        assertThat(json(in)).isEqualTo(in);
    }

    @Test
    void errorTextMentioningTheIdIsScrubbedToo() {
        UserIdScrubber.Result r = scrubber.json("{\"user_id\": u-secret-77}".getBytes(StandardCharsets.UTF_8));
        assertThat(r.scrub("Unrecognized token 'u-secret-77': was expecting", keys))
                .isEqualTo("Unrecognized token '" + keys.unitKey("u-secret-77") + "': was expecting");
    }

    @Test
    void protobufAttributeIsMaskedInPlaceSoTheMessageStillParses() throws Exception {
        Span span = OtlpTestData.servingSpan().toBuilder()
                .addAttributes(OtlpTestData.str("enduser.id", "u-proto-secret-42"))
                .addAttributes(OtlpTestData.integer("user.id", 987654321L))
                .build();
        byte[] in = span.toByteArray();
        UserIdScrubber.Result r = scrubber.proto(in);
        assertThat(r.bytes()).hasSameSizeAs(in);
        String out = new String(r.bytes(), StandardCharsets.ISO_8859_1);
        assertThat(out).doesNotContain("u-proto-secret-42");
        Span parsed = Span.parseFrom(r.bytes());
        assertThat(parsed.getAttributesList()).anySatisfy(kv -> {
            assertThat(kv.getKey()).isEqualTo("enduser.id");
            assertThat(kv.getValue().getStringValue()).isEqualTo(keys.unitKey("u-proto-secret-42").substring(0, 17));
        });
        assertThat(parsed.getAttributesList()).anySatisfy(kv -> {
            assertThat(kv.getKey()).isEqualTo("user.id");
            assertThat(kv.getValue().getIntValue()).isZero();
        });
        assertThat(r.userIds()).contains("u-proto-secret-42", "987654321");
    }

    @Test
    void protobufCutInsideTheValueIsMaskedToTheEnd() {
        byte[] full = OtlpTestData.servingSpan().toBuilder()
                .addAttributes(OtlpTestData.str("enduser.id", "u-proto-secret-42")).build().toByteArray();
        byte[] cut = Arrays.copyOf(full, full.length - 5);
        UserIdScrubber.Result r = scrubber.proto(cut);
        assertThat(new String(r.bytes(), StandardCharsets.ISO_8859_1)).doesNotContain("u-proto-sec");
    }

    @Test
    void protobufWithTheKeyOutOfItsFramingIsDropped() {
        byte[] odd = "\u0001\u0002enduser.id\u0003u-proto-secret".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(scrubber.proto(odd).bytes()).isNull();
    }

    @Test
    void decodersScrubTheirDeadLetters() {
        String json = "{\"impression_id\":\"i-1\",\"trace_id\":\"not-hex\",\"user_id\":\"u-decoder-secret\",\"timestamp\":1}";
        DeadLetter dl = run(new ImpressionJsonDecoder(TestRecords.settings()), raw(json)).singleDeadLetter();
        assertThat(new String(dl.raw, StandardCharsets.UTF_8)).doesNotContain("u-decoder-secret")
                .contains(keys.unitKey("u-decoder-secret"));
        assertThat(dl.rawSize).isEqualTo(json.getBytes(StandardCharsets.UTF_8).length);

        DeadLetter broken = run(new ClickJsonDecoder(TestRecords.settings()), raw("{\"click_id\":\"c\",\"user_id\": u-decoder-secret"))
                .singleDeadLetter();
        assertThat(new String(broken.raw, StandardCharsets.UTF_8)).doesNotContain("u-decoder-secret");
        assertThat(broken.error).doesNotContain("u-decoder-secret");

        Span bad = OtlpTestData.servingSpan().toBuilder().setTraceId(OtlpTestData.id("0102030405060708"))
                .addAttributes(OtlpTestData.str("enduser.id", "u-span-secret")).build();
        TracesData data = TracesData.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .addScopeSpans(ScopeSpans.newBuilder().addSpans(bad))).build();
        TestRecords.Result<SpanRecord> spans = run(new OtlpSpanDecoder(OtlpEncoding.OTLP_PROTO, TestRecords.settings()), raw(data.toByteArray()));
        assertThat(new String(spans.singleDeadLetter().raw, StandardCharsets.ISO_8859_1)).doesNotContain("u-span-secret");
        byte[] cutMessage = Arrays.copyOf(data.toByteArray(), data.toByteArray().length - 3);
        DeadLetter unparsed = run(new OtlpSpanDecoder(OtlpEncoding.OTLP_PROTO, TestRecords.settings()), raw(cutMessage)).singleDeadLetter();
        assertThat(new String(unparsed.raw, StandardCharsets.ISO_8859_1)).doesNotContain("u-span-sec");
    }
}
