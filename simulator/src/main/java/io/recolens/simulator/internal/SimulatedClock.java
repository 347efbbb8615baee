package io.recolens.simulator.internal;

import io.opentelemetry.sdk.common.Clock;

/** An OpenTelemetry SDK clock that reads simulated event time, so nothing the SDK stamps depends on wall time. */
public final class SimulatedClock implements Clock {

  private long epochNanos;

  public SimulatedClock(long epochNanos) {
    this.epochNanos = epochNanos;
  }

  public void set(long epochNanos) {
    this.epochNanos = epochNanos;
  }

  @Override
  public long now() {
    return epochNanos;
  }

  @Override
  public long nanoTime() {
    // The SDK measures durations as nanoTime differences; sharing the epoch base keeps them in simulated time.
    return epochNanos;
  }
}
