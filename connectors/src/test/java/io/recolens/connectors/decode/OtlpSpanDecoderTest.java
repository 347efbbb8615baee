package io.recolens.connectors.decode;

import static io.recolens.connectors.decode.OtlpTestData.T0_NANOS;
import static io.recolens.connectors.decode.OtlpTestData.TRACE_A;
import static io.recolens.connectors.decode.OtlpTestData.TRACE_B;
import static io.recolens.connectors.decode.OtlpTestData.id;
import static io.recolens.connectors.decode.TestRecords.raw;
import static io.recolens.connectors.decode.TestRecords.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.recolens.model.DeadLetter;
import io.recolens.model.SpanRecord;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OtlpSpanDecoderTest {
    private final OtlpSpanDecoder proto = open(new OtlpSpanDecoder(OtlpEncoding.OTLP_PROTO, TestRecords.settings()));
    private final OtlpSpanDecoder json = open(new OtlpSpanDecoder(OtlpEncoding.OTLP_JSON, TestRecords.settings()));

    private static OtlpSpanDecoder open(OtlpSpanDecoder d) {
        d.open();
        return d;
    }

    private byte[] encode(OtlpEncoding encoding, TracesData data) {
        return encoding == OtlpEncoding.OTLP_PROTO ? data.toByteArray() : OtlpTestData.toOtlpJson(data);
    }

    private OtlpSpanDecoder decoder(OtlpEncoding encoding) {
        return encoding == OtlpEncoding.OTLP_PROTO ? proto : json;
    }

    @Test
    void mapsEveryFieldOfAServingSpan() {
        List<SpanRecord> spans = run(proto, raw(OtlpTestData.multiTrace().toByteArray())).records;
        SpanRecord s = spans.get(0);
        assertThat(s.traceId).isEqualTo(TRACE_A);
        assertThat(s.spanId).isEqualTo("00f067aa0ba902b7");
        assertThat(s.parentSpanId).isEqualTo("b7ad6b7169203331");
        assertThat(s.service).isEqualTo("reco-api");
        assertThat(s.name).isEqualTo("GET /recommendations");
        assertThat(s.kind).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER_VALUE);
        assertThat(s.startMs).isEqualTo(T0_NANOS / 1_000_000 + 123);
        assertThat(s.durationMicros).isEqualTo(45_678);
        assertThat(s.error).isTrue();
        assertThat(s.database).isFalse();
        assertThat(s.cacheHit).isEqualTo(-1);
        assertThat(s.attributeVariants).containsExactlyEntriesOf(Map.of("rec_algorithm_v3", "hybrid"));
        assertThat(s.flagVariants).containsOnly(Map.entry("ranking_boost_v2", "treatment"), Map.entry("old_flag", "on"));
        assertThat(s.lineageId).isEqualTo("lin-ranker-3.2.1-fs-v12");
        assertThat(s.modelName).isEqualTo("ranker");
        assertThat(s.modelVersion).isEqualTo("3");
        assertThat(s.featureName).isEmpty();
        assertThat(s.isRoot()).isFalse();
    }

    @Test
    void mapsDatabaseCacheExceptionAndDefaultService() {
        List<SpanRecord> spans = run(proto, raw(OtlpTestData.multiTrace().toByteArray())).records;
        SpanRecord db = spans.get(1);
        assertThat(db.database).isTrue();
        assertThat(db.cacheHit).isEqualTo(1);
        assertThat(db.error).isFalse();
        assertThat(db.durationMicros).isEqualTo(2_500);
        SpanRecord b = spans.get(2);
        assertThat(b.traceId).isEqualTo(TRACE_B);
        assertThat(b.service).isEqualTo("unknown_service");
        assertThat(b.isRoot()).isTrue();
        assertThat(b.parentSpanId).isEmpty();
        assertThat(b.cacheHit).isZero();
        assertThat(b.error).isTrue();
        assertThat(b.featureName).isEqualTo("user_embedding");
        assertThat(b.featureVersion).isEqualTo("v12");
        assertThat(b.featureSource).isEqualTo("fs://features/user_embedding");
    }

    @ParameterizedTest
    @EnumSource(OtlpEncoding.class)
    void multiTraceMessageYieldsAllSpans(OtlpEncoding encoding) {
        TestRecords.Result<SpanRecord> r = run(decoder(encoding), raw(encode(encoding, OtlpTestData.multiTrace())));
        assertThat(r.deadLetters).isEmpty();
        assertThat(r.records).extracting(s -> s.traceId + "/" + s.spanId)
                .containsExactly(TRACE_A + "/00f067aa0ba902b7", TRACE_A + "/1111111111111111", TRACE_B + "/2222222222222222");
    }

    @Test
    void protoAndJsonGiveIdenticalRecords() {
        TracesData data = OtlpTestData.multiTrace();
        List<SpanRecord> fromProto = run(proto, raw(data.toByteArray())).records;
        List<SpanRecord> fromJson = run(json, raw(OtlpTestData.toOtlpJson(data))).records;
        assertThat(fromJson).hasSize(3);
        assertThat(fromJson).usingRecursiveFieldByFieldElementComparator().isEqualTo(fromProto);
    }

    @Test
    void exportTraceServiceRequestBytesDecodeAsTracesData() {
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addAllResourceSpans(OtlpTestData.multiTrace().getResourceSpansList()).build();
        assertThat(run(proto, raw(request.toByteArray())).records).hasSize(3);
    }

    @Test
    void handWrittenCollectorJsonDecodesHexIdsCorrectly() {
        // Shaped like the Collector's otlp_json output, independent of the test writer above.
        String collectorJson = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
                + "\"value\":{\"stringValue\":\"ranker\"}}]},\"scopeSpans\":[{\"scope\":{\"name\":\"x\"},\"spans\":[{"
                + "\"traceId\":\"5B8EFFF798038103D269B633813FC60C\",\"spanId\":\"EEE19B7EC3C1B174\",\"parentSpanId\":\"\","
                + "\"name\":\"rank\",\"kind\":2,\"startTimeUnixNano\":\"1795255200000000000\","
                + "\"endTimeUnixNano\":1795255200250000000,\"attributes\":[{\"key\":\"cache.hit\",\"value\":{\"boolValue\":false}},"
                + "{\"key\":\"experiment.x\",\"value\":{\"stringValue\":\"b\"}},{\"key\":\"n\",\"value\":{\"intValue\":\"12\"}}],"
                + "\"droppedAttributesCount\":0,\"events\":[],\"links\":[{\"traceId\":\"5b8efff798038103d269b633813fc60c\","
                + "\"spanId\":\"eee19b7ec3c1b174\"}],\"status\":{\"code\":2},\"futureField\":{\"a\":[1]}}]}],"
                + "\"schemaUrl\":\"https://opentelemetry.io/schemas/1.26.0\"}]}";
        SpanRecord s = run(json, raw(collectorJson)).single();
        assertThat(s.traceId).isEqualTo("5b8efff798038103d269b633813fc60c");
        assertThat(s.spanId).isEqualTo("eee19b7ec3c1b174");
        assertThat(s.service).isEqualTo("ranker");
        assertThat(s.kind).isEqualTo(2);
        assertThat(s.startMs).isEqualTo(1_795_255_200_000L);
        assertThat(s.durationMicros).isEqualTo(250_000);
        assertThat(s.cacheHit).isZero();
        assertThat(s.error).isTrue();
        assertThat(s.attributeVariants).containsExactlyEntriesOf(Map.of("x", "b"));
    }

    @Test
    void jsonAcceptsSnakeCaseKeysAndEnumNames() {
        String snake = "{\"resource_spans\":[{\"scope_spans\":[{\"spans\":[{\"trace_id\":\"" + TRACE_A + "\","
                + "\"span_id\":\"00f067aa0ba902b7\",\"name\":\"n\",\"kind\":\"SPAN_KIND_CLIENT\","
                + "\"start_time_unix_nano\":1795255200000000000,\"end_time_unix_nano\":\"1795255200000001000\","
                + "\"status\":{\"code\":\"STATUS_CODE_OK\"}}]}]}]}";
        SpanRecord s = run(json, raw(snake)).single();
        assertThat(s.kind).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT_VALUE);
        assertThat(s.durationMicros).isEqualTo(1);
        assertThat(s.error).isFalse();
    }

    @Test
    void truncatedProtobufIsOneDeadLetter() {
        byte[] full = OtlpTestData.multiTrace().toByteArray();
        DeadLetter dl = run(proto, raw(Arrays.copyOf(full, full.length - 7))).singleDeadLetter();
        assertThat(dl.error).startsWith("unparseable OTLP protobuf");
        assertThat(dl.kind).isEqualTo("otlp_proto");
        assertThat(dl.rawSize).isEqualTo(full.length - 7);
    }

    @Test
    void randomBytesNeverThrowAndNeverYieldSpans() {
        Random random = new Random(42);
        for (int i = 0; i < 500; i++) {
            byte[] bytes = new byte[1 + random.nextInt(300)];
            random.nextBytes(bytes);
            TestRecords.Result<SpanRecord> r = run(proto, raw(bytes));
            TestRecords.Result<SpanRecord> j = run(json, raw(bytes));
            assertThat(r.deadLetters).as("proto, case %d", i).isNotEmpty();
            assertThat(j.deadLetters).as("json, case %d", i).isNotEmpty();
            assertThat(j.records).isEmpty();
        }
    }

    @Test
    void bytesThatParseAsEmptyTracesDataAreANoSpansDeadLetter() {
        // Field 15, varint 1: an unknown field, so protobuf parses it as an empty TracesData.
        DeadLetter dl = run(proto, raw(new byte[] {0x78, 0x01})).singleDeadLetter();
        assertThat(dl.error).startsWith("no spans");
        assertThat(run(json, raw("{\"resourceSpans\":[]}")).singleDeadLetter().error).startsWith("no spans");
        assertThat(run(json, raw("{}")).singleDeadLetter().error).startsWith("no spans");
    }

    @Test
    void malformedJsonIsOneDeadLetter() {
        assertThat(run(json, raw("{\"resourceSpans\":[{\"scopeSpans\":")).singleDeadLetter().error)
                .startsWith("malformed OTLP/JSON");
        assertThat(run(json, raw("{\"resourceSpans\":{}}")).singleDeadLetter().error).startsWith("invalid OTLP/JSON");
        assertThat(run(json, raw("[1]")).singleDeadLetter().error).startsWith("invalid OTLP/JSON");
    }

    @ParameterizedTest
    @EnumSource(OtlpEncoding.class)
    void badSpansAreDeadLettersAndTheOthersStillDecode(OtlpEncoding encoding) {
        Span good = OtlpTestData.dbSpan();
        Span shortTrace = good.toBuilder().setTraceId(ByteString.copyFrom(new byte[8])).setName("short-trace").build();
        Span zeroTrace = good.toBuilder().setTraceId(ByteString.copyFrom(new byte[16])).build();
        Span longSpanId = good.toBuilder().setSpanId(id("00f067aa0ba902b7aa")).build();
        Span noSpanId = good.toBuilder().setSpanId(ByteString.EMPTY).build();
        Span in1970 = good.toBuilder().setStartTimeUnixNano(1_000L).setEndTimeUnixNano(2_000L).build();
        // fixed64 is unsigned: -1 is 2^64-1 ns, around the year 2554.
        Span endsAfterLongMax = good.toBuilder().setEndTimeUnixNano(-1L).build();
        Span year2200 = good.toBuilder().setStartTimeUnixNano(7_258_118_400_000_000_000L)
                .setEndTimeUnixNano(7_258_118_400_000_000_001L).build();
        Span endsBeforeStart = good.toBuilder().setEndTimeUnixNano(good.getStartTimeUnixNano() - 1).build();
        TracesData data = TracesData.newBuilder().addResourceSpans(OtlpTestData.resourceSpans("svc",
                shortTrace, good, zeroTrace, longSpanId, noSpanId, in1970, endsAfterLongMax, year2200, endsBeforeStart)).build();

        TestRecords.Result<SpanRecord> r = run(decoder(encoding), raw(encode(encoding, data)));

        assertThat(r.records).hasSize(1);
        assertThat(r.records.get(0).spanId).isEqualTo("1111111111111111");
        assertThat(r.deadLetters).hasSize(8);
        assertThat(r.deadLetters).extracting(d -> d.error).satisfiesExactly(
                e -> assertThat(e).contains("invalid trace id: 8 bytes").contains("short-trace"),
                e -> assertThat(e).contains("invalid trace id: all zeros"),
                e -> assertThat(e).contains("invalid span id: 9 bytes"),
                e -> assertThat(e).contains("invalid span id: 0 bytes"),
                e -> assertThat(e).contains("before 2000-01-01"),
                e -> assertThat(e).contains("absurd end time: 18446744073709551615"),
                e -> assertThat(e).contains("in the future"),
                e -> assertThat(e).contains("before start time"));
        DeadLetter first = r.deadLetters.get(0);
        assertThat(first.kind).isEqualTo(encoding.configName() + "_span");
        assertThat(first.raw).isEqualTo(shortTrace.toByteArray());
        assertThat(first.source).isEqualTo("topic-a");
        assertThat(first.offset).isEqualTo(42L);
    }

    @Test
    void nonHexJsonIdIsASpanDeadLetter() {
        String bad = new String(OtlpTestData.toOtlpJson(OtlpTestData.multiTrace()), StandardCharsets.UTF_8)
                .replace("\"traceId\":\"" + TRACE_B + "\"", "\"traceId\":\"CvdlGRbNQ92ESOshHIAxnA==\"");
        TestRecords.Result<SpanRecord> r = run(json, raw(bad));
        assertThat(r.records).hasSize(2);
        assertThat(r.deadLetters).singleElement().satisfies(d -> assertThat(d.error).contains("invalid trace id"));
    }

    @Test
    void sixteenCharacterNonHexJsonIdIsStillASpanDeadLetter() {
        // 16 characters of text would be 16 bytes: the reader must not let them pass as a trace ID.
        String bad = new String(OtlpTestData.toOtlpJson(OtlpTestData.multiTrace()), StandardCharsets.UTF_8)
                .replace("\"traceId\":\"" + TRACE_B + "\"", "\"traceId\":\"not-hex-at-all!!\"");
        TestRecords.Result<SpanRecord> r = run(json, raw(bad));
        assertThat(r.records).hasSize(2);
        assertThat(r.deadLetters).singleElement().satisfies(d -> assertThat(d.error).contains("invalid trace id"));
    }

    @Test
    void emptyAndOversizedMessagesAreDeadLetters() {
        assertThat(run(proto, raw(new byte[0])).singleDeadLetter().error).isEqualTo("empty record");
        OtlpSpanDecoder small = new OtlpSpanDecoder(OtlpEncoding.OTLP_PROTO,
                DecoderSettings.builder("s").maxRecordBytes(10).build());
        assertThat(run(small, raw(OtlpTestData.multiTrace().toByteArray())).singleDeadLetter().error)
                .contains("over the limit of 10");
    }
}
