package io.recolens.simulator;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** Test helper: parses OTLP protobuf messages with the official generated classes and flattens their spans. */
final class OtlpSpans {

  /** One span with the service that emitted it. */
  record ServiceSpan(String service, Span span) {
    String traceId() {
      return HexFormat.of().formatHex(span.getTraceId().toByteArray());
    }

    String spanId() {
      return HexFormat.of().formatHex(span.getSpanId().toByteArray());
    }

    String parentSpanId() {
      return HexFormat.of().formatHex(span.getParentSpanId().toByteArray());
    }

    Optional<AnyValue> attribute(String key) {
      return find(span.getAttributesList(), key);
    }
  }

  private OtlpSpans() {}

  static ExportTraceServiceRequest parse(byte[] bytes) {
    try {
      return ExportTraceServiceRequest.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("not a valid OTLP message", e);
    }
  }

  static List<ServiceSpan> flatten(ExportTraceServiceRequest request) {
    List<ServiceSpan> out = new ArrayList<>();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      String service = find(rs.getResource().getAttributesList(), "service.name")
          .map(AnyValue::getStringValue)
          .orElse("?");
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          out.add(new ServiceSpan(service, s));
        }
      }
    }
    return out;
  }

  static Optional<AnyValue> find(List<KeyValue> attributes, String key) {
    return attributes.stream().filter(kv -> kv.getKey().equals(key)).map(KeyValue::getValue).findFirst();
  }
}
