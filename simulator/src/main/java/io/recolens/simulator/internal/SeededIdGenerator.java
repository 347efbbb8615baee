package io.recolens.simulator.internal;

import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.sdk.trace.IdGenerator;
import java.util.SplittableRandom;

/** Trace and span IDs from a seeded generator, so a seed reproduces the same IDs (the SDK's default is random). */
public final class SeededIdGenerator implements IdGenerator {

  private final SplittableRandom random;

  public SeededIdGenerator(long seed) {
    this.random = new SplittableRandom(seed);
  }

  @Override
  public String generateSpanId() {
    long id;
    do {
      id = random.nextLong();
    } while (id == 0L);
    return SpanId.fromLong(id);
  }

  @Override
  public String generateTraceId() {
    long high = random.nextLong();
    long low;
    do {
      low = random.nextLong();
    } while (low == 0L);
    return TraceId.fromLongs(high, low);
  }
}
