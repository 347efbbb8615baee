package io.recolens.simulator;

/**
 * Where simulated records go, in emission order. Keys may be null. The timestamp is the simulated emission
 * time in epoch milliseconds (what a producer would stamp as the record's create time).
 *
 * <p>Implementations need not be thread-safe: the simulator calls them from one thread.
 */
public interface TrafficSink extends AutoCloseable {

  /** One impression JSON record (key: trace ID in hex). */
  void impression(byte[] key, byte[] value, long timestampMs);

  /** One click JSON record (key: impression ID). */
  void click(byte[] key, byte[] value, long timestampMs);

  /** One OTLP traces message (key: trace ID in hex, or null when it holds several traces). */
  void spans(byte[] key, byte[] value, long timestampMs);

  /** Flushes and releases resources; records must be durable once this returns. */
  @Override
  void close();

  /** Routes a record to the method of its topic. */
  default void send(Topic topic, byte[] key, byte[] value, long timestampMs) {
    switch (topic) {
      case IMPRESSIONS -> impression(key, value, timestampMs);
      case CLICKS -> click(key, value, timestampMs);
      case SPANS -> spans(key, value, timestampMs);
      default -> throw new IllegalArgumentException("unknown topic " + topic);
    }
  }
}
