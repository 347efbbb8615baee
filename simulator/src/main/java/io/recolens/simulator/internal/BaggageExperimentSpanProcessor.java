package io.recolens.simulator.internal;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * Copies {@code experiment.*} baggage entries of the parent context onto each starting span, as the
 * OpenTelemetry baggage span processor does with a key filter; other baggage (e.g. user.cohort) stays off spans.
 */
public final class BaggageExperimentSpanProcessor implements SpanProcessor {

  public static final String PREFIX = "experiment.";

  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {
    Baggage.fromContext(parentContext).forEach((key, entry) -> {
      if (key.startsWith(PREFIX)) {
        span.setAttribute(key, entry.getValue());
      }
    });
  }

  @Override
  public boolean isStartRequired() {
    return true;
  }

  @Override
  public void onEnd(ReadableSpan span) {}

  @Override
  public boolean isEndRequired() {
    return false;
  }
}
