package io.recolens.connectors.decode;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.recolens.model.DeadLetter;
import io.recolens.model.RawRecord;
import io.recolens.model.SpanRecord;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Decodes one OTLP traces message, as the Collector's Kafka exporter writes it, into one
 * {@link SpanRecord} per span. The message is parsed once; OTLP/JSON is read into the same
 * protobuf {@link TracesData} as binary OTLP, so both encodings map identically.
 *
 * <p>Dead-letter rules:
 * <ul>
 *   <li>bytes that do not parse (or exceed the record size limit) give one dead letter for the
 *       whole message;
 *   <li>a message that parses but holds no span gives one dead letter ("no spans"): protobuf skips
 *       unknown fields, so random or foreign bytes can parse as an empty {@code TracesData}, and
 *       an exporter never sends an empty batch, so an empty result means the input was not OTLP;
 *   <li>a span with a trace ID that is not 16 bytes (or all zeros), a span ID that is not 8 bytes
 *       (or all zeros), a parent span ID that is neither empty nor 8 bytes, or start/end times
 *       outside the sanity bounds (or ending before it starts) gives one dead letter for that span
 *       alone, whose raw bytes are that span's protobuf serialization (for both encodings); the
 *       message's other spans still decode.
 * </ul>
 */
public class OtlpSpanDecoder implements RecordDecoder<SpanRecord> {
    private static final long serialVersionUID = 1L;

    static final String UNKNOWN_SERVICE = "unknown_service";
    private static final String EXPERIMENT_PREFIX = "experiment.";
    private static final long NANOS_PER_MILLI = 1_000_000L;

    private final OtlpEncoding encoding;
    private final DecoderSettings settings;
    private transient JsonFactory jsonFactory;
    private transient OtlpJsonReader jsonReader;
    private transient UserIdScrubber scrubber;

    public OtlpSpanDecoder(OtlpEncoding encoding, DecoderSettings settings) {
        if (encoding == null || settings == null) throw new IllegalArgumentException("encoding and settings are required");
        this.encoding = encoding;
        this.settings = settings;
    }

    public OtlpEncoding encoding() {
        return encoding;
    }

    @Override
    public void open() {
        jsonFactory = settings.recordLimits().jsonFactory(settings.maxRecordBytes());
        jsonReader = new OtlpJsonReader();
        scrubber = new UserIdScrubber(new UnitKeys(settings.unitKeySecret()));
    }

    /**
     * The message's bytes with {@code enduser.id}/{@code user.id} attribute values replaced by unit keys: OTLP/JSON
     * is rewritten, protobuf masked in place (or dropped when that is not possible); see docs/privacy.md.
     */
    @Override
    public DeadLetter deadLetter(RawRecord record, String kind, String error) {
        if (scrubber == null) open();
        return encoding == OtlpEncoding.OTLP_JSON
                ? ScrubbedDeadLetters.json(scrubber, record, kind, error)
                : ScrubbedDeadLetters.proto(scrubber, record, kind, error);
    }

    @Override
    public void decode(RawRecord record, Consumer<SpanRecord> out, Consumer<DeadLetter> deadLetters) {
        if (jsonFactory == null) open();
        String kind = encoding.configName();
        byte[] value = record.value;
        if (value == null || value.length == 0) {
            deadLetters.accept(deadLetter(record, kind, "empty record"));
            return;
        }
        if (value.length > settings.maxRecordBytes()) {
            deadLetters.accept(deadLetter(record, kind, "record of " + value.length
                    + " bytes is over the limit of " + settings.maxRecordBytes()));
            return;
        }
        TracesData data;
        try {
            data = parse(value);
        } catch (InvalidProtocolBufferException e) {
            deadLetters.accept(deadLetter(record, kind, "unparseable OTLP protobuf: " + e.getMessage()));
            return;
        } catch (JsonProcessingException e) {
            deadLetters.accept(deadLetter(record, kind, "malformed OTLP/JSON: " + e.getOriginalMessage()
                    + " at byte " + e.getLocation().getByteOffset()));
            return;
        } catch (DecodeException e) {
            deadLetters.accept(deadLetter(record, kind, "invalid OTLP/JSON: " + e.getMessage()));
            return;
        } catch (IOException | RuntimeException e) {
            deadLetters.accept(deadLetter(record, kind, "unreadable OTLP message: " + e));
            return;
        }
        int total = countSpans(data);
        if (total == 0) {
            deadLetters.accept(deadLetter(record, kind,
                    "no spans: the message parsed as an empty TracesData (not OTLP traces, or an empty batch)"));
            return;
        }
        RecordLimits limits = settings.recordLimits();
        // Past the limit the message's spans are counted, not read; the first span read carries the note.
        String overLimit = total > limits.maxSpansPerMessage()
                ? "message: " + (total - limits.maxSpansPerMessage()) + " spans past " + limits.maxSpansPerMessage()
                        + " dropped (" + RecordLimits.KEY_SPANS_PER_MESSAGE + ")"
                : null;
        int read = 0;
        long maxMs = settings.maxTimestampMs();
        for (ResourceSpans rs : data.getResourceSpansList()) {
            String service = limited(serviceName(rs.getResource()));
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span span : ss.getSpansList()) {
                    if (read++ >= limits.maxSpansPerMessage()) break;
                    SpanRecord mapped;
                    String problem = validate(span, maxMs);
                    if (problem != null) {
                        deadLetters.accept(spanDeadLetter(record, kind, span, problem));
                        continue;
                    }
                    try {
                        mapped = map(span, service);
                    } catch (RuntimeException e) {
                        deadLetters.accept(spanDeadLetter(record, kind, span, "unmappable span: " + e));
                        continue;
                    }
                    if (overLimit != null) {
                        mapped.addTrim(overLimit);
                        overLimit = null;
                    }
                    out.accept(mapped);
                }
            }
        }
    }

    private TracesData parse(byte[] value) throws IOException, DecodeException {
        if (encoding == OtlpEncoding.OTLP_PROTO) {
            return TracesData.parseFrom(value);
        }
        try (JsonParser p = jsonFactory.createParser(value)) {
            return jsonReader.read(p);
        }
    }

    private static int countSpans(TracesData data) {
        int n = 0;
        for (ResourceSpans rs : data.getResourceSpansList()) {
            for (ScopeSpans ss : rs.getScopeSpansList()) n += ss.getSpansCount();
        }
        return n;
    }

    private String validate(Span span, long maxMs) {
        if (span.getTraceId().size() != 16) return "invalid trace id: " + span.getTraceId().size() + " bytes, expected 16";
        if (allZero(span.getTraceId())) return "invalid trace id: all zeros";
        if (span.getSpanId().size() != 8) return "invalid span id: " + span.getSpanId().size() + " bytes, expected 8";
        if (allZero(span.getSpanId())) return "invalid span id: all zeros";
        int parent = span.getParentSpanId().size();
        if (parent != 0 && parent != 8) return "invalid parent span id: " + parent + " bytes, expected 0 or 8";
        // fixed64 nanoseconds are unsigned; a negative long here is a time after 2262, i.e. absurd.
        long start = span.getStartTimeUnixNano();
        long end = span.getEndTimeUnixNano();
        if (start < 0) return "absurd start time: " + Long.toUnsignedString(start) + " ns";
        if (end < 0) return "absurd end time: " + Long.toUnsignedString(end) + " ns";
        long startMs = start / NANOS_PER_MILLI;
        String problem = settings.checkTimestamp("start time", startMs);
        if (problem != null) return problem;
        if (end < start) return "end time " + end + " ns is before start time " + start + " ns";
        if (end / NANOS_PER_MILLI > maxMs) return "end time " + end + " ns is too far in the future";
        long maxDurationMs = settings.recordLimits().maxSpanDurationMs();
        if ((end - start) / NANOS_PER_MILLI > maxDurationMs) {
            return "span lasts " + Duration.ofMillis((end - start) / NANOS_PER_MILLI) + ", over the limit of "
                    + Duration.ofMillis(maxDurationMs) + " (" + RecordLimits.KEY_SPAN_DURATION + ")";
        }
        return null;
    }

    private SpanRecord map(Span span, String service) {
        SpanRecord r = new SpanRecord();
        r.traceId = hex(span.getTraceId());
        r.spanId = hex(span.getSpanId());
        r.parentSpanId = hex(span.getParentSpanId());
        r.service = service;
        r.name = limited(span.getName());
        if (r.name.length() < span.getName().length()) {
            r.addTrim("name: cut to " + settings.recordLimits().maxStringChars() + " characters (" + RecordLimits.KEY_STRING_CHARS + ")");
        }
        r.kind = span.getKindValue();
        r.startMs = span.getStartTimeUnixNano() / NANOS_PER_MILLI;
        r.durationMicros = (span.getEndTimeUnixNano() - span.getStartTimeUnixNano()) / 1000;
        r.error = span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR;
        r.lineageId = "";
        r.featureName = "";
        r.featureVersion = "";
        r.featureSource = "";
        r.modelName = "";
        r.modelVersion = "";
        int maxAttributes = settings.recordLimits().maxAttributesPerSpan();
        List<KeyValue> attributes = span.getAttributesList();
        if (attributes.size() > maxAttributes) {
            r.addTrim("attributes: " + (attributes.size() - maxAttributes) + " past " + maxAttributes + " ignored ("
                    + RecordLimits.KEY_ATTRIBUTES_PER_SPAN + ")");
        }
        for (int i = 0, n = Math.min(attributes.size(), maxAttributes); i < n; i++) {
            KeyValue kv = attributes.get(i);
            String key = kv.getKey();
            AnyValue v = kv.getValue();
            switch (key) {
                case "db.system":
                case "db.system.name":
                    r.database = true;
                    break;
                case "cache.hit":
                    if (v.getValueCase() == AnyValue.ValueCase.BOOL_VALUE) r.cacheHit = v.getBoolValue() ? 1 : 0;
                    break;
                case "lineage.id": r.lineageId = scalar(v, r.lineageId); break;
                case "feature.name": r.featureName = scalar(v, r.featureName); break;
                case "feature.version": r.featureVersion = scalar(v, r.featureVersion); break;
                case "feature.source": r.featureSource = scalar(v, r.featureSource); break;
                case "model.name": r.modelName = scalar(v, r.modelName); break;
                case "model.version": r.modelVersion = scalar(v, r.modelVersion); break;
                default:
                    if (key.startsWith(EXPERIMENT_PREFIX) && key.length() > EXPERIMENT_PREFIX.length()
                            && v.getValueCase() == AnyValue.ValueCase.STRING_VALUE) {
                        if (isLabel(key) && isLabel(v.getStringValue())) {
                            r.attributeVariants.put(key.substring(EXPERIMENT_PREFIX.length()), v.getStringValue());
                        } else {
                            r.addTrim("attribute " + JsonFields.abbreviate(key) + ": over " + settings.recordLimits().maxStringChars()
                                    + " characters, ignored (" + RecordLimits.KEY_STRING_CHARS + ")");
                        }
                    }
            }
        }
        List<Span.Event> events = span.getEventsList();
        if (events.size() > maxAttributes) {
            r.addTrim("events: " + (events.size() - maxAttributes) + " past " + maxAttributes + " ignored ("
                    + RecordLimits.KEY_ATTRIBUTES_PER_SPAN + ")");
        }
        for (int i = 0, n = Math.min(events.size(), maxAttributes); i < n; i++) {
            Span.Event event = events.get(i);
            switch (event.getName()) {
                case "exception":
                    r.error = true;
                    break;
                case "feature_flag.evaluation":
                    putFlag(r, event.getAttributesList(), "feature_flag.result.variant");
                    break;
                case "feature_flag":
                    putFlag(r, event.getAttributesList(), "feature_flag.variant");
                    break;
                default:
            }
        }
        return r;
    }

    private void putFlag(SpanRecord r, List<KeyValue> attributes, String variantKey) {
        String flag = null;
        String variant = null;
        for (int i = 0, n = Math.min(attributes.size(), settings.recordLimits().maxAttributesPerSpan()); i < n; i++) {
            KeyValue kv = attributes.get(i);
            if (kv.getValue().getValueCase() != AnyValue.ValueCase.STRING_VALUE) continue;
            if (kv.getKey().equals("feature_flag.key")) flag = kv.getValue().getStringValue();
            else if (kv.getKey().equals(variantKey)) variant = kv.getValue().getStringValue();
        }
        if (flag != null && !flag.isEmpty() && variant != null && !variant.isEmpty() && isLabel(flag) && isLabel(variant)) {
            r.flagVariants.put(flag, variant);
        }
    }

    /** Labels (experiment keys, variants, flags) longer than the string limit are not labels: they are ignored. */
    private boolean isLabel(String s) {
        return s.length() <= settings.recordLimits().maxStringChars();
    }

    /** Service and span names are kept but cut to the string limit, so one span cannot bloat state and tables. */
    private String limited(String s) {
        int max = settings.recordLimits().maxStringChars();
        return s.length() <= max ? s : s.substring(0, max);
    }

    static String serviceName(Resource resource) {
        for (KeyValue kv : resource.getAttributesList()) {
            if (kv.getKey().equals("service.name") && kv.getValue().getValueCase() == AnyValue.ValueCase.STRING_VALUE
                    && !kv.getValue().getStringValue().isEmpty()) {
                return kv.getValue().getStringValue();
            }
        }
        return UNKNOWN_SERVICE;
    }

    /** Lineage attributes are labels; numbers and booleans (a version written as 3) are kept as text. */
    private static String scalar(AnyValue v, String fallback) {
        switch (v.getValueCase()) {
            case STRING_VALUE: return v.getStringValue();
            case INT_VALUE: return Long.toString(v.getIntValue());
            case DOUBLE_VALUE: return Double.toString(v.getDoubleValue());
            case BOOL_VALUE: return Boolean.toString(v.getBoolValue());
            default: return fallback;
        }
    }

    private DeadLetter spanDeadLetter(RawRecord record, String kind, Span span, String problem) {
        RawRecord spanOnly = new RawRecord(record.source, record.partition, record.offset, record.key,
                span.toByteArray(), record.timestamp);
        String where = span.getName().isEmpty() ? "" : " (span '" + JsonFields.abbreviate(span.getName()) + "')";
        // The span's own protobuf bytes, for both encodings: masked in place like any protobuf.
        return ScrubbedDeadLetters.proto(scrubber, spanOnly, kind + "_span", problem + where);
    }

    private static boolean allZero(ByteString bytes) {
        for (int i = 0; i < bytes.size(); i++) {
            if (bytes.byteAt(i) != 0) return false;
        }
        return true;
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    static String hex(ByteString bytes) {
        char[] out = new char[bytes.size() * 2];
        for (int i = 0; i < bytes.size(); i++) {
            int b = bytes.byteAt(i) & 0xff;
            out[2 * i] = HEX[b >> 4];
            out[2 * i + 1] = HEX[b & 0xf];
        }
        return new String(out);
    }
}
