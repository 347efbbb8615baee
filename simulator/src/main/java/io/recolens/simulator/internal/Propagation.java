package io.recolens.simulator.internal;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.HashMap;
import java.util.Map;

/**
 * Carries context across a simulated service hop through real W3C headers, the way HTTP instrumentation does;
 * a hop that drops the baggage simply never writes the {@code baggage} header.
 *
 * <p>Decoding baggage was the simulator's top hotspot and only a few dozen distinct headers exist (one per
 * variant combination), so the baggage the real propagator extracted is remembered per header string.
 * Not thread-safe: one instance per simulation thread.
 */
public final class Propagation {

  static final String BAGGAGE_HEADER = "baggage";
  private static final int MAX_CACHED_HEADERS = 1024;

  private static final TextMapSetter<Map<String, String>> SETTER = (carrier, key, value) -> carrier.put(key, value);
  private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Map<String, String> carrier) {
      return carrier.keySet();
    }

    @Override
    public String get(Map<String, String> carrier, String key) {
      return carrier == null ? null : carrier.get(key);
    }
  };

  private final Map<String, Baggage> extractedByHeader = new HashMap<>();

  /** The context the callee sees after the caller injected {@code callerContext} into request headers. */
  public Context hop(Context callerContext, boolean dropBaggage) {
    Map<String, String> headers = new HashMap<>(4);
    W3CTraceContextPropagator.getInstance().inject(callerContext, headers, SETTER);
    if (!dropBaggage) {
      W3CBaggagePropagator.getInstance().inject(callerContext, headers, SETTER);
    }
    Context extracted = W3CTraceContextPropagator.getInstance().extract(Context.root(), headers, GETTER);
    String header = headers.get(BAGGAGE_HEADER);
    if (header == null) {
      return extracted;
    }
    Baggage baggage = extractedByHeader.get(header);
    if (baggage == null) {
      baggage = Baggage.fromContext(W3CBaggagePropagator.getInstance().extract(Context.root(), headers, GETTER));
      if (extractedByHeader.size() < MAX_CACHED_HEADERS) {
        extractedByHeader.put(header, baggage);
      }
    }
    return extracted.with(baggage);
  }

  /** The raw W3C {@code baggage} header value a service would send for this context (empty if none). */
  public static String baggageHeader(Context context) {
    Map<String, String> headers = new HashMap<>(2);
    W3CBaggagePropagator.getInstance().inject(context, headers, SETTER);
    return headers.getOrDefault(BAGGAGE_HEADER, "");
  }
}
