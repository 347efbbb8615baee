package io.recolens.simulator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Keeps every emitted record in memory, in order, so tests can inspect exactly what a run produced. */
public final class RecordingTrafficSink implements TrafficSink {

  /** One emitted record; {@code index} is its position among the records of its topic. */
  public record Recorded(Topic topic, int index, byte[] key, byte[] value, long timestampMs) {}

  private final List<Recorded> all = new ArrayList<>();
  private final Map<Topic, List<Recorded>> byTopic = new EnumMap<>(Topic.class);
  private boolean closed;

  public RecordingTrafficSink() {
    for (Topic t : Topic.values()) {
      byTopic.put(t, new ArrayList<>());
    }
  }

  @Override
  public void impression(byte[] key, byte[] value, long timestampMs) {
    add(Topic.IMPRESSIONS, key, value, timestampMs);
  }

  @Override
  public void click(byte[] key, byte[] value, long timestampMs) {
    add(Topic.CLICKS, key, value, timestampMs);
  }

  @Override
  public void spans(byte[] key, byte[] value, long timestampMs) {
    add(Topic.SPANS, key, value, timestampMs);
  }

  private void add(Topic topic, byte[] key, byte[] value, long timestampMs) {
    if (closed) {
      throw new IllegalStateException("sink is closed");
    }
    List<Recorded> list = byTopic.get(topic);
    Recorded r = new Recorded(topic, list.size(), key, value, timestampMs);
    list.add(r);
    all.add(r);
  }

  /** All records of all topics in emission order. */
  public List<Recorded> all() {
    return Collections.unmodifiableList(all);
  }

  /** The records of one topic in emission order; {@code get(i).index() == i}. */
  public List<Recorded> records(Topic topic) {
    return Collections.unmodifiableList(byTopic.get(topic));
  }

  public boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    closed = true;
  }
}
