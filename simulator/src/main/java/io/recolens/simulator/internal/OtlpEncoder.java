package io.recolens.simulator.internal;

import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.recolens.simulator.SpanEncoding;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Serialises spans into one OTLP {@code ExportTraceServiceRequest} (wire-identical to {@code TracesData}), as
 * the Collector's Kafka exporter writes one message. Uses the SDK exporter's marshaler, an internal API of
 * opentelemetry-exporter-otlp-common, because it produces the exact OTLP bytes the SDK's own exporters send.
 *
 * <p>That marshaler groups resources in an identity-hash map, so their order changes from run to run. To keep
 * output byte-identical per seed, each resource is marshalled alone, in order of first appearance, and the
 * pieces are joined: for protobuf, concatenating messages appends to the repeated {@code resource_spans}
 * field (standard protobuf merge semantics); for JSON, the {@code resourceSpans} arrays are spliced.
 */
public final class OtlpEncoder {

  private static final byte[] JSON_PREFIX = "{\"resourceSpans\":[".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] JSON_SUFFIX = "]}".getBytes(StandardCharsets.US_ASCII);

  private OtlpEncoder() {}

  public static byte[] encode(Collection<SpanData> spans, SpanEncoding encoding) {
    Map<Resource, List<SpanData>> byResource = new LinkedHashMap<>();
    for (SpanData span : spans) {
      byResource.computeIfAbsent(span.getResource(), r -> new ArrayList<>()).add(span);
    }
    try {
      return encoding == SpanEncoding.OTLP_PROTO ? proto(byResource.values()) : json(byResource.values());
    } catch (IOException e) {
      throw new UncheckedIOException("OTLP marshalling into memory failed", e);
    }
  }

  private static byte[] proto(Collection<List<SpanData>> groups) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    for (List<SpanData> group : groups) {
      TraceRequestMarshaler.create(group).writeBinaryTo(out);
    }
    return out.toByteArray();
  }

  private static byte[] json(Collection<List<SpanData>> groups) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    out.write(JSON_PREFIX);
    boolean first = true;
    for (List<SpanData> group : groups) {
      ByteArrayOutputStream one = new ByteArrayOutputStream(4096);
      TraceRequestMarshaler.create(group).writeJsonTo(one);
      byte[] bytes = one.toByteArray();
      if (!startsWith(bytes, JSON_PREFIX) || !endsWith(bytes, JSON_SUFFIX)) {
        throw new IllegalStateException("unexpected OTLP/JSON layout from the SDK marshaler");
      }
      if (!first) {
        out.write(',');
      }
      out.write(bytes, JSON_PREFIX.length, bytes.length - JSON_PREFIX.length - JSON_SUFFIX.length);
      first = false;
    }
    out.write(JSON_SUFFIX);
    return out.toByteArray();
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    if (bytes.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean endsWith(byte[] bytes, byte[] suffix) {
    if (bytes.length < suffix.length) {
      return false;
    }
    for (int i = 0; i < suffix.length; i++) {
      if (bytes[bytes.length - suffix.length + i] != suffix[i]) {
        return false;
      }
    }
    return true;
  }
}
