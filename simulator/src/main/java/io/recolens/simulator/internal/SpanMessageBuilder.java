package io.recolens.simulator.internal;

import io.opentelemetry.sdk.trace.data.SpanData;
import io.recolens.simulator.SimulatorConfig;
import io.recolens.simulator.Topic;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Groups finished traces into OTLP messages the way a Collector Kafka exporter does: mostly one trace per
 * message keyed by its hex trace ID ({@code partition_traces_by_id}), some messages holding several traces
 * (null key), and now and then one trace split across two messages.
 */
public final class SpanMessageBuilder {

  private final FaultInjector out;
  private final RandomGenerator random;
  private final SimulatorConfig config;
  private final GroundTruthRecorder truth;
  private final List<SpanData> openBatch = new ArrayList<>();
  private int openBatchTraces;
  private int openBatchTarget;
  private long openBatchReadyAtMs;

  public SpanMessageBuilder(FaultInjector out, RandomGenerator random, SimulatorConfig config,
      GroundTruthRecorder truth) {
    this.out = out;
    this.random = random;
    this.config = config;
    this.truth = truth;
  }

  /** Adds one finished trace that the exporter would ship at {@code readyAtMs}. */
  public void add(String traceId, List<SpanData> spans, long readyAtMs) {
    double r = random.nextDouble();
    if (r < config.multiTraceMessageShare()) {
      if (openBatchTraces == 0) {
        openBatchTarget = 2 + random.nextInt(4);
      }
      openBatch.addAll(spans);
      openBatchTraces++;
      openBatchReadyAtMs = Math.max(openBatchReadyAtMs, readyAtMs);
      if (openBatchTraces >= openBatchTarget) {
        flush();
      }
    } else if (r < config.multiTraceMessageShare() + config.splitTraceShare() && spans.size() >= 2) {
      int cut = 1 + random.nextInt(spans.size() - 1);
      send(key(traceId), spans.subList(0, cut), readyAtMs, 1);
      send(key(traceId), spans.subList(cut, spans.size()), readyAtMs + 1 + random.nextInt(2000), 1);
      truth.splitTrace();
    } else {
      send(key(traceId), spans, readyAtMs, 1);
    }
  }

  /** Ships the open multi-trace batch, if any. */
  public void flush() {
    if (openBatchTraces > 0) {
      send(null, new ArrayList<>(openBatch), openBatchReadyAtMs, openBatchTraces);
      openBatch.clear();
      openBatchTraces = 0;
      openBatchReadyAtMs = 0;
    }
  }

  private void send(byte[] key, List<SpanData> spans, long readyAtMs, int traces) {
    out.offer(Topic.SPANS, key, OtlpEncoder.encode(spans, config.spanEncoding()), readyAtMs, null);
    truth.spanMessage(traces);
  }

  private static byte[] key(String traceId) {
    return traceId.getBytes(StandardCharsets.US_ASCII);
  }
}
