package io.recolens.connectors.decode;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Reads OTLP/JSON into the protobuf {@link TracesData} with the streaming parser, so both
 * encodings share one mapping to span records.
 *
 * <p>OTLP/JSON differs from generic proto3 JSON, which is why protobuf's {@code JsonFormat} is
 * not used: trace and span IDs are hex (not base64), enums are integers, and 64-bit integers may
 * be strings or numbers. Keys are accepted in lowerCamelCase and in the proto's snake_case, as
 * the OTLP specification asks of receivers; unknown keys are skipped. An ID that is not valid
 * hex becomes a 3-byte value that fails the ID-length check, so the span becomes a span-level
 * dead letter instead of the whole message failing.
 */
final class OtlpJsonReader {

    TracesData read(JsonParser p) throws IOException, DecodeException {
        if (p.nextToken() != JsonToken.START_OBJECT) throw new DecodeException("expected an OTLP/JSON object");
        TracesData.Builder data = TracesData.newBuilder();
        forEachField(p, key -> {
            if (key.equals("resourcespans")) {
                forEachElement(p, "resourceSpans", () -> data.addResourceSpans(readResourceSpans(p)));
                return true;
            }
            return false;
        });
        if (p.nextToken() != null) throw new DecodeException("unexpected content after the OTLP/JSON object");
        return data.build();
    }

    private ResourceSpans readResourceSpans(JsonParser p) throws IOException, DecodeException {
        ResourceSpans.Builder rs = ResourceSpans.newBuilder();
        forEachField(p, key -> {
            switch (key) {
                case "resource": rs.setResource(readResource(p)); return true;
                case "scopespans":
                    forEachElement(p, "scopeSpans", () -> rs.addScopeSpans(readScopeSpans(p)));
                    return true;
                case "schemaurl": rs.setSchemaUrl(text(p, "schemaUrl")); return true;
                default: return false;
            }
        });
        return rs.build();
    }

    private Resource readResource(JsonParser p) throws IOException, DecodeException {
        Resource.Builder r = Resource.newBuilder();
        forEachField(p, key -> {
            switch (key) {
                case "attributes": readAttributes(p, r::addAttributes); return true;
                case "droppedattributescount": r.setDroppedAttributesCount((int) uint(p, key)); return true;
                default: return false;
            }
        });
        return r.build();
    }

    private ScopeSpans readScopeSpans(JsonParser p) throws IOException, DecodeException {
        ScopeSpans.Builder ss = ScopeSpans.newBuilder();
        forEachField(p, key -> {
            switch (key) {
                case "scope": ss.setScope(readScope(p)); return true;
                case "spans": forEachElement(p, "spans", () -> ss.addSpans(readSpan(p))); return true;
                case "schemaurl": ss.setSchemaUrl(text(p, "schemaUrl")); return true;
                default: return false;
            }
        });
        return ss.build();
    }

    private InstrumentationScope readScope(JsonParser p) throws IOException, DecodeException {
        InstrumentationScope.Builder s = InstrumentationScope.newBuilder();
        forEachField(p, key -> {
            switch (key) {
                case "name": s.setName(text(p, "scope.name")); return true;
                case "version": s.setVersion(text(p, "scope.version")); return true;
                case "attributes": readAttributes(p, s::addAttributes); return true;
                case "droppedattributescount": s.setDroppedAttributesCount((int) uint(p, key)); return true;
                default: return false;
            }
        });
        return s.build();
    }

    private Span readSpan(JsonParser p) throws IOException, DecodeException {
        Span.Builder s = Span.newBuilder();
        forEachField(p, key -> {
            switch (key) {
                case "traceid": s.setTraceId(hexId(p, "traceId")); return true;
                case "spanid": s.setSpanId(hexId(p, "spanId")); return true;
                case "parentspanid": s.setParentSpanId(hexId(p, "parentSpanId")); return true;
                case "tracestate": s.setTraceState(text(p, "traceState")); return true;
                case "flags": s.setFlags((int) uint(p, "flags")); return true;
                case "name": s.setName(text(p, "name")); return true;
                case "kind": s.setKindValue(enumValue(p, "kind", "SPAN_KIND_", List.of(
                        "UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"))); return true;
                case "starttimeunixnano": s.setStartTimeUnixNano(uint(p, "startTimeUnixNano")); return true;
                case "endtimeunixnano": s.setEndTimeUnixNano(uint(p, "endTimeUnixNano")); return true;
                case "attributes": readAttributes(p, s::addAttributes); return true;
                case "droppedattributescount": s.setDroppedAttributesCount((int) uint(p, key)); return true;
                case "events": forEachElement(p, "events", () -> s.addEvents(readEvent(p))); return true;
                case "droppedeventscount": s.setDroppedEventsCount((int) uint(p, key)); return true;
                case "links": forEachElement(p, "links", () -> s.addLinks(readLink(p))); return true;
                case "droppedlinkscount": s.setDroppedLinksCount((int) uint(p, key)); return true;
                case "status": {
                    // An empty {} status stays unset, as the binary encoding would have it.
                    Status status = readStatus(p);
                    if (!status.equals(Status.getDefaultInstance())) s.setStatus(status);
                    return true;
                }
                default: return false;
            }
        });
        return s.build();
    }

    private Span.Event readEvent(JsonParser p) throws IOException, DecodeException {
        Span.Event.Builder e = Span.Event.newBuilder();
        forEachField(p, key -> {
            switch (key) {
                case "timeunixnano": e.setTimeUnixNano(uint(p, "timeUnixNano")); return true;
                case "name": e.setName(text(p, "event.name")); return true;
                case "attributes": readAttributes(p, e::addAttributes); return true;
                case "droppedattributescount": e.setDroppedAttributesCount((int) uint(p, key)); return true;
                default: return false;
            }
        });
        return e.build();
    }

    private Span.Link readLink(JsonParser p) throws IOException, DecodeException {
        Span.Link.Builder l = Span.Link.newBuilder();
        forEachField(p, key -> {
            switch (key) {
                case "traceid": l.setTraceId(hexId(p, "link.traceId")); return true;
                case "spanid": l.setSpanId(hexId(p, "link.spanId")); return true;
                case "tracestate": l.setTraceState(text(p, "link.traceState")); return true;
                case "attributes": readAttributes(p, l::addAttributes); return true;
                case "droppedattributescount": l.setDroppedAttributesCount((int) uint(p, key)); return true;
                case "flags": l.setFlags((int) uint(p, "link.flags")); return true;
                default: return false;
            }
        });
        return l.build();
    }

    private Status readStatus(JsonParser p) throws IOException, DecodeException {
        Status.Builder st = Status.newBuilder();
        forEachField(p, key -> {
            switch (key) {
                case "message": st.setMessage(text(p, "status.message")); return true;
                case "code": st.setCodeValue(enumValue(p, "status.code", "STATUS_CODE_", List.of("UNSET", "OK", "ERROR")));
                    return true;
                default: return false;
            }
        });
        return st.build();
    }

    private void readAttributes(JsonParser p, Consumer<KeyValue> into) throws IOException, DecodeException {
        forEachElement(p, "attributes", () -> into.accept(readKeyValue(p)));
    }

    private KeyValue readKeyValue(JsonParser p) throws IOException, DecodeException {
        KeyValue.Builder kv = KeyValue.newBuilder();
        forEachField(p, key -> {
            switch (key) {
                case "key": kv.setKey(text(p, "attribute.key")); return true;
                case "value": kv.setValue(readAnyValue(p)); return true;
                default: return false;
            }
        });
        return kv.build();
    }

    private AnyValue readAnyValue(JsonParser p) throws IOException, DecodeException {
        AnyValue.Builder v = AnyValue.newBuilder();
        forEachField(p, key -> {
            switch (key) {
                case "stringvalue": v.setStringValue(text(p, "stringValue")); return true;
                case "boolvalue":
                    if (!p.currentToken().isBoolean()) throw new DecodeException("boolValue must be a boolean");
                    v.setBoolValue(p.getBooleanValue());
                    return true;
                case "intvalue": v.setIntValue(int64(p, "intValue")); return true;
                case "doublevalue": v.setDoubleValue(dbl(p, "doubleValue")); return true;
                case "bytesvalue": v.setBytesValue(base64(p, "bytesValue")); return true;
                case "arrayvalue": {
                    ArrayValue.Builder a = ArrayValue.newBuilder();
                    forEachField(p, k -> {
                        if (!k.equals("values")) return false;
                        forEachElement(p, "arrayValue.values", () -> a.addValues(readAnyValue(p)));
                        return true;
                    });
                    v.setArrayValue(a);
                    return true;
                }
                case "kvlistvalue": {
                    KeyValueList.Builder l = KeyValueList.newBuilder();
                    forEachField(p, k -> {
                        if (!k.equals("values")) return false;
                        forEachElement(p, "kvlistValue.values", () -> l.addValues(readKeyValue(p)));
                        return true;
                    });
                    v.setKvlistValue(l);
                    return true;
                }
                default: return false;
            }
        });
        return v.build();
    }

    // ---- structure helpers -------------------------------------------------------------------

    /** Reads one field value; returns false when the key is unknown so the caller skips it. */
    private interface FieldHandler {
        boolean handle(String normalizedKey) throws IOException, DecodeException;
    }

    private interface ElementHandler {
        void handle() throws IOException, DecodeException;
    }

    /** Expects the parser on START_OBJECT (or null, meaning absent); leaves it on END_OBJECT. */
    private static void forEachField(JsonParser p, FieldHandler handler) throws IOException, DecodeException {
        if (p.currentToken() == JsonToken.VALUE_NULL) return;
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new DecodeException("expected an object at " + path(p) + ", got " + p.currentToken());
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = normalize(p.currentName());
            JsonToken value = p.nextToken();
            if (value == JsonToken.VALUE_NULL) continue;
            if (!handler.handle(key)) p.skipChildren();
        }
    }

    private static void forEachElement(JsonParser p, String field, ElementHandler handler)
            throws IOException, DecodeException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new DecodeException("'" + field + "' must be an array, got " + p.currentToken());
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() == JsonToken.VALUE_NULL) continue;
            handler.handle();
        }
    }

    /** lowerCamelCase and snake_case map to the same key: lowercase without underscores. */
    private static String normalize(String key) {
        StringBuilder b = null;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '_' || (c >= 'A' && c <= 'Z')) {
                if (b == null) b = new StringBuilder(key.length()).append(key, 0, i);
                if (c != '_') b.append((char) (c + ('a' - 'A')));
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? key : b.toString();
    }

    private static String path(JsonParser p) {
        return p.getParsingContext().pathAsPointer().toString();
    }

    // ---- scalar helpers ----------------------------------------------------------------------

    private static String text(JsonParser p, String field) throws IOException, DecodeException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw new DecodeException("'" + field + "' must be a string, got " + p.currentToken());
        }
        return p.getText();
    }

    /** fixed64/uint32 fields: a JSON number or a decimal string, read as unsigned. */
    private static long uint(JsonParser p, String field) throws IOException, DecodeException {
        String s = numberText(p, field);
        try {
            return Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            throw new DecodeException("'" + field + "' is not an unsigned integer: " + JsonFields.abbreviate(s));
        }
    }

    private static long int64(JsonParser p, String field) throws IOException, DecodeException {
        String s = numberText(p, field);
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new DecodeException("'" + field + "' is not a 64-bit integer: " + JsonFields.abbreviate(s));
        }
    }

    private static String numberText(JsonParser p, String field) throws IOException, DecodeException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_STRING) return p.getText().trim();
        throw new DecodeException("'" + field + "' must be an integer or a decimal string, got " + t);
    }

    private static double dbl(JsonParser p, String field) throws IOException, DecodeException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) return p.getDoubleValue();
        if (t == JsonToken.VALUE_STRING) {
            // proto3 JSON writes NaN and the infinities as strings.
            switch (p.getText()) {
                case "NaN": return Double.NaN;
                case "Infinity": return Double.POSITIVE_INFINITY;
                case "-Infinity": return Double.NEGATIVE_INFINITY;
                default:
                    try {
                        return Double.parseDouble(p.getText());
                    } catch (NumberFormatException e) {
                        throw new DecodeException("'" + field + "' is not a number");
                    }
            }
        }
        throw new DecodeException("'" + field + "' must be a number, got " + t);
    }

    /** Enums arrive as integers; the proto enum name (with or without prefix) is accepted too. */
    private static int enumValue(JsonParser p, String field, String prefix, List<String> names)
            throws IOException, DecodeException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT) return p.getIntValue();
        if (t == JsonToken.VALUE_STRING) {
            String s = p.getText().toUpperCase(Locale.ROOT);
            if (s.startsWith(prefix)) s = s.substring(prefix.length());
            int index = names.indexOf(s);
            if (index >= 0) return index;
        }
        throw new DecodeException("'" + field + "' is not a valid enum value: " + p.getText());
    }

    /** Three bytes: never a valid trace ID (16), span ID (8) or absent parent (0), whatever the text was. */
    private static final ByteString INVALID_ID = ByteString.copyFrom(new byte[3]);

    private static ByteString hexId(JsonParser p, String field) throws IOException, DecodeException {
        String s = text(p, field);
        if (s.length() % 2 != 0 || !JsonFields.isHex(s)) {
            return INVALID_ID;
        }
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) ((Character.digit(s.charAt(2 * i), 16) << 4) | Character.digit(s.charAt(2 * i + 1), 16));
        }
        return ByteString.copyFrom(out);
    }

    private static ByteString base64(JsonParser p, String field) throws IOException, DecodeException {
        String s = text(p, field);
        try {
            return ByteString.copyFrom(Base64.getDecoder().decode(s));
        } catch (IllegalArgumentException e) {
            try {
                return ByteString.copyFrom(Base64.getUrlDecoder().decode(s));
            } catch (IllegalArgumentException e2) {
                throw new DecodeException("'" + field + "' is not base64");
            }
        }
    }
}
