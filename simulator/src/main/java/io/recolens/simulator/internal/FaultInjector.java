package io.recolens.simulator.internal;

import io.recolens.simulator.MalformedKind;
import io.recolens.simulator.SimulatorConfig;
import io.recolens.simulator.SpanEncoding;
import io.recolens.simulator.Topic;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Schedules each valid record and, with the configured shares, makes it late, re-sends it as a duplicate or
 * adds a malformed record next to it. Malformed records are extra records: valid counts never change.
 */
public final class FaultInjector {

  private static final long MAX_DUPLICATE_DELAY_MS = 30_000;

  private final EmissionQueue queue;
  private final RandomGenerator random;
  private final SimulatorConfig config;
  private final GroundTruthRecorder truth;

  public FaultInjector(EmissionQueue queue, RandomGenerator random, SimulatorConfig config,
      GroundTruthRecorder truth) {
    this.queue = queue;
    this.random = random;
    this.config = config;
    this.truth = truth;
  }

  /**
   * Schedules a valid record. {@code withoutRequiredField} renders the record without a required field, for
   * the JSON topics; null for spans.
   */
  public void offer(Topic topic, byte[] key, byte[] value, long emitAtMs, Supplier<byte[]> withoutRequiredField) {
    long at = emitAtMs;
    if (config.maxLatenessMs() > 0 && random.nextDouble() < config.lateShare()) {
      at += 1 + random.nextLong(config.maxLatenessMs());
      truth.late(topic);
    }
    queue.schedule(topic, key, value, at, null);
    if (random.nextDouble() < config.duplicateShare()) {
      queue.schedule(topic, key, value, at + 1 + random.nextLong(MAX_DUPLICATE_DELAY_MS), null);
      truth.duplicate(topic);
    }
    if (random.nextDouble() < config.malformedShare()) {
      scheduleMalformed(topic, key, value, at, withoutRequiredField);
    }
  }

  private void scheduleMalformed(Topic topic, byte[] key, byte[] value, long at, Supplier<byte[]> withoutField) {
    boolean protobuf = topic == Topic.SPANS && config.spanEncoding() == SpanEncoding.OTLP_PROTO;
    MalformedKind kind;
    byte[] bad;
    if (protobuf) {
      kind = random.nextBoolean() ? MalformedKind.TRUNCATED_PROTOBUF : MalformedKind.RANDOM_BYTES;
      bad = kind == MalformedKind.TRUNCATED_PROTOBUF
          ? MalformedRecords.truncateProtobuf(value, random)
          : MalformedRecords.randomBytes(random, true);
    } else {
      kind = MalformedRecords.pickJsonKind(random, withoutField != null);
      bad = switch (kind) {
        case TRUNCATED_JSON -> MalformedRecords.truncateJson(value, random);
        case RANDOM_BYTES -> MalformedRecords.randomBytes(random, false);
        default -> withoutField.get();
      };
    }
    byte[] badKey = kind == MalformedKind.RANDOM_BYTES ? null : key;
    queue.schedule(topic, badKey, bad, at + random.nextInt(1000), kind);
  }
}
