package io.recolens.simulator.internal;

import io.recolens.simulator.MalformedKind;
import io.recolens.simulator.Pacer;
import io.recolens.simulator.Topic;
import io.recolens.simulator.TrafficSink;
import java.util.PriorityQueue;

/**
 * Orders records by simulated emission time (ties by creation order, for determinism) and hands them to the
 * sink once simulated time has passed them; the gap between event and emission time is what makes records
 * late and out of order.
 */
public final class EmissionQueue {

  private record Pending(long emitAtMs, long seq, Topic topic, byte[] key, byte[] value, MalformedKind malformed)
      implements Comparable<Pending> {
    @Override
    public int compareTo(Pending o) {
      int c = Long.compare(emitAtMs, o.emitAtMs);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private final PriorityQueue<Pending> queue = new PriorityQueue<>(1 << 12);
  private final TrafficSink sink;
  private final Pacer pacer;
  private final GroundTruthRecorder truth;
  private long seq;

  public EmissionQueue(TrafficSink sink, Pacer pacer, GroundTruthRecorder truth) {
    this.sink = sink;
    this.pacer = pacer;
    this.truth = truth;
  }

  /** Schedules a record; {@code malformed} is null for a valid one. */
  public void schedule(Topic topic, byte[] key, byte[] value, long emitAtMs, MalformedKind malformed) {
    queue.add(new Pending(emitAtMs, seq++, topic, key, value, malformed));
  }

  /** Emits every record due at or before {@code nowMs}. */
  public void releaseUpTo(long nowMs) {
    while (!queue.isEmpty() && queue.peek().emitAtMs() <= nowMs) {
      emit(queue.poll());
    }
  }

  /** Emits everything still waiting. */
  public void drain() {
    while (!queue.isEmpty()) {
      emit(queue.poll());
    }
  }

  private void emit(Pending p) {
    try {
      pacer.awaitEmission(p.emitAtMs());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while pacing emission", e);
    }
    sink.send(p.topic(), p.key(), p.value(), p.emitAtMs());
    truth.emitted(p.topic(), p.malformed(), p.emitAtMs());
  }
}
