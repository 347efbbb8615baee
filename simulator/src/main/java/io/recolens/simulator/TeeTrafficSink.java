package io.recolens.simulator;

import java.util.List;

/** Sends every simulated record to each of several sinks, e.g. Kafka and an in-memory recording; closes them all. */
public record TeeTrafficSink(List<TrafficSink> sinks) implements TrafficSink {
  public TeeTrafficSink {
    sinks = List.copyOf(sinks);
  }

  @Override
  public void impression(byte[] key, byte[] value, long timestampMs) {
    sinks.forEach(s -> s.impression(key, value, timestampMs));
  }

  @Override
  public void click(byte[] key, byte[] value, long timestampMs) {
    sinks.forEach(s -> s.click(key, value, timestampMs));
  }

  @Override
  public void spans(byte[] key, byte[] value, long timestampMs) {
    sinks.forEach(s -> s.spans(key, value, timestampMs));
  }

  @Override
  public void close() {
    sinks.forEach(TrafficSink::close);
  }
}
