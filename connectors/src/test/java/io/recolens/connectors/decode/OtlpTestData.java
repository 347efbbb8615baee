package io.recolens.connectors.decode;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import java.util.List;

/** Builds OTLP test spans with the protobuf builders, and writes them as OTLP/JSON the way the Collector does. */
final class OtlpTestData {
    static final String TRACE_A = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String TRACE_B = "0af7651916cd43dd8448eb211c80319c";
    /** 2026-11-21T10:00:00Z in nanoseconds. */
    static final long T0_NANOS = 1_795_255_200_000_000_000L;

    private OtlpTestData() {}

    static ByteString id(String hex) {
        return ByteString.copyFrom(HexFormat.of().parseHex(hex));
    }

    static KeyValue str(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    static KeyValue bool(String key, boolean value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setBoolValue(value)).build();
    }

    static KeyValue integer(String key, long value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }

    /** The serving span: experiment attributes, a feature-flag event, lineage, an error status. */
    static Span servingSpan() {
        return Span.newBuilder()
                .setTraceId(id(TRACE_A)).setSpanId(id("00f067aa0ba902b7")).setParentSpanId(id("b7ad6b7169203331"))
                .setName("GET /recommendations").setKind(Span.SpanKind.SPAN_KIND_SERVER)
                .setStartTimeUnixNano(T0_NANOS + 123_456_789L).setEndTimeUnixNano(T0_NANOS + 123_456_789L + 45_678_000L)
                .addAttributes(str("experiment.rec_algorithm_v3", "hybrid"))
                .addAttributes(integer("experiment.numeric_is_ignored", 3))
                .addAttributes(str("lineage.id", "lin-ranker-3.2.1-fs-v12"))
                .addAttributes(str("model.name", "ranker"))
                .addAttributes(integer("model.version", 3))
                .addAttributes(str("http.route", "/recommendations"))
                .addEvents(Span.Event.newBuilder().setName("feature_flag.evaluation").setTimeUnixNano(T0_NANOS + 200_000_000L)
                        .addAttributes(str("feature_flag.key", "ranking_boost_v2"))
                        .addAttributes(str("feature_flag.result.variant", "treatment")))
                .addEvents(Span.Event.newBuilder().setName("feature_flag")
                        .addAttributes(str("feature_flag.key", "old_flag"))
                        .addAttributes(str("feature_flag.variant", "on")))
                .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("boom"))
                .build();
    }

    /** A database span that hit the cache, root of nothing, with no status. */
    static Span dbSpan() {
        return Span.newBuilder()
                .setTraceId(id(TRACE_A)).setSpanId(id("1111111111111111")).setParentSpanId(id("00f067aa0ba902b7"))
                .setName("SELECT items").setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                .setStartTimeUnixNano(T0_NANOS + 130_000_000L).setEndTimeUnixNano(T0_NANOS + 132_500_000L)
                .addAttributes(str("db.system.name", "postgresql"))
                .addAttributes(bool("cache.hit", true))
                .build();
    }

    /** A root span of another trace with an exception event and a cache miss. */
    static Span rootSpanOfTraceB() {
        return Span.newBuilder()
                .setTraceId(id(TRACE_B)).setSpanId(id("2222222222222222"))
                .setName("feature-pipeline").setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
                .setStartTimeUnixNano(T0_NANOS).setEndTimeUnixNano(T0_NANOS + 1_000_000_000L)
                .addAttributes(bool("cache.hit", false))
                .addAttributes(str("feature.name", "user_embedding"))
                .addAttributes(str("feature.version", "v12"))
                .addAttributes(str("feature.source", "fs://features/user_embedding"))
                .addAttributes(str("lineage.id", "lin-ranker-3.2.1-fs-v12"))
                .addEvents(Span.Event.newBuilder().setName("exception").addAttributes(str("exception.type", "IOError")))
                .build();
    }

    static ResourceSpans resourceSpans(String service, Span... spans) {
        Resource.Builder resource = Resource.newBuilder();
        if (service != null) resource.addAttributes(str("service.name", service));
        resource.addAttributes(str("host.name", "h1"));
        return ResourceSpans.newBuilder()
                .setResource(resource)
                .addScopeSpans(ScopeSpans.newBuilder()
                        .setScope(InstrumentationScope.newBuilder().setName("recolens-test").setVersion("1.0"))
                        .addAllSpans(List.of(spans)))
                .build();
    }

    /** Two resources, two traces, three spans; one resource without service.name. */
    static TracesData multiTrace() {
        return TracesData.newBuilder()
                .addResourceSpans(resourceSpans("reco-api", servingSpan(), dbSpan()))
                .addResourceSpans(resourceSpans(null, rootSpanOfTraceB()))
                .build();
    }

    /** OTLP/JSON as the Collector writes it: hex IDs, integer enums, 64-bit integers as strings. */
    static byte[] toOtlpJson(TracesData data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("resourceSpans");
            for (ResourceSpans rs : data.getResourceSpansList()) {
                g.writeStartObject();
                g.writeObjectFieldStart("resource");
                writeAttributes(g, rs.getResource().getAttributesList());
                g.writeEndObject();
                g.writeArrayFieldStart("scopeSpans");
                for (ScopeSpans ss : rs.getScopeSpansList()) {
                    g.writeStartObject();
                    g.writeObjectFieldStart("scope");
                    g.writeStringField("name", ss.getScope().getName());
                    g.writeStringField("version", ss.getScope().getVersion());
                    g.writeEndObject();
                    g.writeArrayFieldStart("spans");
                    for (Span s : ss.getSpansList()) writeSpan(g, s);
                    g.writeEndArray();
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writeSpan(JsonGenerator g, Span s) throws IOException {
        HexFormat hex = HexFormat.of();
        g.writeStartObject();
        g.writeStringField("traceId", hex.formatHex(s.getTraceId().toByteArray()));
        g.writeStringField("spanId", hex.formatHex(s.getSpanId().toByteArray()));
        g.writeStringField("parentSpanId", hex.formatHex(s.getParentSpanId().toByteArray()));
        g.writeStringField("name", s.getName());
        g.writeNumberField("kind", s.getKindValue());
        g.writeStringField("startTimeUnixNano", Long.toUnsignedString(s.getStartTimeUnixNano()));
        g.writeStringField("endTimeUnixNano", Long.toUnsignedString(s.getEndTimeUnixNano()));
        writeAttributes(g, s.getAttributesList());
        g.writeArrayFieldStart("events");
        for (Span.Event e : s.getEventsList()) {
            g.writeStartObject();
            g.writeStringField("timeUnixNano", Long.toUnsignedString(e.getTimeUnixNano()));
            g.writeStringField("name", e.getName());
            writeAttributes(g, e.getAttributesList());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeObjectFieldStart("status");
        if (!s.getStatus().getMessage().isEmpty()) g.writeStringField("message", s.getStatus().getMessage());
        if (s.getStatus().getCodeValue() != 0) g.writeNumberField("code", s.getStatus().getCodeValue());
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void writeAttributes(JsonGenerator g, List<KeyValue> attributes) throws IOException {
        g.writeArrayFieldStart("attributes");
        for (KeyValue kv : attributes) {
            g.writeStartObject();
            g.writeStringField("key", kv.getKey());
            g.writeObjectFieldStart("value");
            AnyValue v = kv.getValue();
            switch (v.getValueCase()) {
                case STRING_VALUE: g.writeStringField("stringValue", v.getStringValue()); break;
                case BOOL_VALUE: g.writeBooleanField("boolValue", v.getBoolValue()); break;
                case INT_VALUE: g.writeStringField("intValue", Long.toString(v.getIntValue())); break;
                case DOUBLE_VALUE: g.writeNumberField("doubleValue", v.getDoubleValue()); break;
                default: throw new IllegalArgumentException("test writer does not handle " + v.getValueCase());
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
    }
}
