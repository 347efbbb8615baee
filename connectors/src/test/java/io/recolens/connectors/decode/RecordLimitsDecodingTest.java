package io.recolens.connectors.decode;

import static io.recolens.connectors.decode.TestRecords.raw;
import static io.recolens.connectors.decode.TestRecords.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.recolens.model.DeadLetter;
import io.recolens.model.Impression;
import io.recolens.model.SpanRecord;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-record limits at decode time: hard ones make a dead letter naming the limit, soft ones trim and say so. */
class RecordLimitsDecodingTest {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    private static String impression(String experiments, String extraFields) {
        return "{\"impression_id\":\"imp-1\",\"trace_id\":\"" + TRACE + "\",\"user_id\":\"u-1\","
                + "\"timestamp\":\"2026-11-21T10:00:00Z\",\"experiments\":{" + experiments + "}" + extraFields + "}";
    }

    private static ImpressionJsonDecoder decoder() {
        ImpressionJsonDecoder d = new ImpressionJsonDecoder(TestRecords.settings());
        d.open();
        return d;
    }

    @Test
    void anImpressionNamingMoreExperimentsThanTheLimitIsADeadLetterNamingTheLimit() {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 5000; i++) many.append(i == 0 ? "" : ",").append("\"e").append(i).append("\":\"v\"");
        DeadLetter dl = run(decoder(), raw(impression(many.toString(), ""))).singleDeadLetter();
        assertThat(dl.error).contains("5000 experiments").contains("limits.record.experiments");
    }

    @Test
    void exactlyTheLimitOfExperimentsIsAccepted() {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 64; i++) many.append(i == 0 ? "" : ",").append("\"e").append(i).append("\":\"v\"");
        assertThat(run(decoder(), raw(impression(many.toString(), ""))).single().experiments).hasSize(64);
    }

    @Test
    void aSlateOverTheLimitIsTrimmedToItsFirstItemsAndReported() {
        StringBuilder items = new StringBuilder(",\"items\":[");
        for (int i = 0; i < 20_000; i++) items.append(i == 0 ? "" : ",").append("{\"item_id\":\"c-").append(i).append("\"}");
        Impression imp = run(decoder(), raw(impression("\"x\":\"a\"", items.append("]").toString()))).single();
        assertThat(imp.items).hasSize(200);
        assertThat(imp.items.get(199).itemId).isEqualTo("c-199");
        assertThat(imp.trimmed).isEqualTo("items: 19800 past 200 dropped (limits.record.slate-items)");
    }

    @Test
    void aRepeatedItemsFieldCannotGetPastTheSlateLimit() {
        // Found by HostileInputITCase: a second "items" field restarted the count.
        StringBuilder items = new StringBuilder(",\"items\":[");
        for (int i = 0; i < 250; i++) items.append(i == 0 ? "" : ",").append("{\"item_id\":\"c-").append(i).append("\"}");
        items.append("],\"items\":[{\"item_id\":\"again\"}]");
        Impression imp = run(decoder(), raw(impression("\"x\":\"a\"", items.toString()))).single();
        assertThat(imp.items).hasSize(200);
        assertThat(imp.trimmed).contains("items: 50 past 200 dropped").contains("items: 1 past 200 dropped");
    }

    @Test
    void featuresOverTheLimitAreTrimmedAndReported() {
        StringBuilder features = new StringBuilder(",\"features\":{");
        for (int i = 0; i < 130; i++) features.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":{\"version\":\"v1\"}");
        Impression imp = run(decoder(), raw(impression("\"x\":\"a\"", features.append("}").toString()))).single();
        assertThat(imp.features).hasSize(128);
        assertThat(imp.trimmed).contains("features: 2 past 128 dropped");
    }

    @Test
    void anOverlongIdOrLabelIsADeadLetterNamingTheFieldAndTheLimit() {
        DeadLetter session = run(decoder(), raw(impression("\"x\":\"a\"", ",\"session_id\":\"" + "s".repeat(100_000) + "\""))).singleDeadLetter();
        assertThat(session.error).contains("session_id").contains("100000 characters").contains("limits.record.string-chars");
        DeadLetter variant = run(decoder(), raw(impression("\"x\":\"" + "v".repeat(600) + "\"", ""))).singleDeadLetter();
        assertThat(variant.error).contains("experiments.x").contains("limits.record.string-chars");
    }

    @Test
    void deepNestingAndHugeNumbersStopAtTheParserLimits() {
        String deep = impression("\"x\":\"a\"", ",\"extra\":" + "[".repeat(100_000) + "]".repeat(100_000));
        assertThat(run(decoder(), raw(deep)).singleDeadLetter().error).contains("limits.record.json-depth");
        String number = impression("\"x\":\"a\"", ",\"extra\":" + "9".repeat(5000));
        assertThat(run(decoder(), raw(number)).singleDeadLetter().error).contains("limits.record.number-chars");
    }

    @Test
    void clicksNamingTooManyExperimentsAreDeadLetters() {
        ClickJsonDecoder clicks = new ClickJsonDecoder(TestRecords.settings());
        clicks.open();
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 65; i++) many.append(i == 0 ? "" : ",").append("\"e").append(i).append("\":\"v\"");
        String click = "{\"click_id\":\"c\",\"impression_id\":\"i\",\"item_id\":\"x\",\"timestamp\":\"2026-11-21T10:00:00Z\",\"experiments\":{" + many + "}}";
        assertThat(run(clicks, raw(click)).singleDeadLetter().error).contains("limits.record.experiments");
    }

    @Test
    void anOtlpMessageOverTheSpanLimitKeepsItsFirstSpansAndTheFirstCarriesTheNote() {
        DecoderSettings settings = DecoderSettings.builder(TestRecords.SECRET).clock(Clock.fixed(TestRecords.NOW, ZoneOffset.UTC))
                .recordLimits(new RecordLimits(64, 200, 128, 512, 3, 2, 32, 64, RecordLimits.DEFAULT_MAX_SPAN_DURATION_MS)).build();
        OtlpSpanDecoder spans = new OtlpSpanDecoder(OtlpEncoding.OTLP_PROTO, settings);
        spans.open();
        Span base = OtlpTestData.servingSpan();
        Span[] five = new Span[5];
        for (int i = 0; i < 5; i++) {
            five[i] = base.toBuilder().setSpanId(OtlpTestData.id("00000000000000a" + i)).build();
        }
        TracesData data = TracesData.newBuilder().addResourceSpans(OtlpTestData.resourceSpans("svc", five)).build();
        List<SpanRecord> out = run(spans, raw(data.toByteArray())).records;
        assertThat(out).hasSize(3);
        assertThat(out.get(0).trimmed).contains("2 spans past 3 dropped (limits.record.spans-per-message)");
        assertThat(base.getAttributesCount()).as("the test span has more attributes than the limit of 2").isGreaterThan(2);
        assertThat(out.get(1).trimmed).contains("past 2 ignored (limits.record.attributes-per-span)");
    }

    @Test
    void theDefaultsAreThoseDocumented() {
        assertThat(RecordLimits.DEFAULTS).isEqualTo(new RecordLimits(64, 200, 128, 512, 10_000, 128, 32, 64, 86_400_000L));
    }

    @Test
    void aSpanLongerThanTheDurationLimitIsADeadLetterNamingItAndItsNeighboursAreKept() {
        OtlpSpanDecoder spans = new OtlpSpanDecoder(OtlpEncoding.OTLP_PROTO, TestRecords.settings());
        spans.open();
        Span ok = OtlpTestData.servingSpan();
        // A flipped high bit of the start time: the 40 ms span now lasts about 100 days.
        long hundredDaysNanos = 100L * 86_400_000L * 1_000_000L;
        Span flipped = ok.toBuilder().setSpanId(OtlpTestData.id("00000000000000b1"))
                .setStartTimeUnixNano(ok.getEndTimeUnixNano() - hundredDaysNanos).build();
        Span atTheLimit = ok.toBuilder().setSpanId(OtlpTestData.id("00000000000000b2"))
                .setStartTimeUnixNano(ok.getEndTimeUnixNano() - RecordLimits.DEFAULT_MAX_SPAN_DURATION_MS * 1_000_000L).build();
        TracesData data = TracesData.newBuilder().addResourceSpans(OtlpTestData.resourceSpans("svc", ok, flipped, atTheLimit)).build();
        TestRecords.Result<SpanRecord> out = run(spans, raw(data.toByteArray()));
        assertThat(out.records).extracting(r -> r.spanId).containsExactly("00f067aa0ba902b7", "00000000000000b2");
        assertThat(out.deadLetters).singleElement().satisfies(d -> assertThat(d.error).contains("span lasts PT2400H")
                .contains("over the limit of PT24H").contains("limits.record.span-duration"));
    }
}
