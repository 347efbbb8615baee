package io.recolens.simulator;

import io.opentelemetry.sdk.trace.data.SpanData;
import io.recolens.simulator.internal.ClickModel;
import io.recolens.simulator.internal.CollectingSpanExporter;
import io.recolens.simulator.internal.EmissionQueue;
import io.recolens.simulator.internal.FeatureDrift;
import io.recolens.simulator.internal.FaultInjector;
import io.recolens.simulator.internal.GroundTruthRecorder;
import io.recolens.simulator.internal.ImpressionFactory;
import io.recolens.simulator.internal.ImpressionRecord;
import io.recolens.simulator.internal.Lineage;
import io.recolens.simulator.internal.LineageTracer;
import io.recolens.simulator.internal.RecordJson;
import io.recolens.simulator.internal.RequestPlan;
import io.recolens.simulator.internal.RequestPlanner;
import io.recolens.simulator.internal.RequestTracer;
import io.recolens.simulator.internal.SeededIdGenerator;
import io.recolens.simulator.internal.ServiceGraph;
import io.recolens.simulator.internal.SimulatedClock;
import io.recolens.simulator.internal.SpanMessageBuilder;
import io.recolens.simulator.internal.TraceOutcome;
import io.recolens.simulator.internal.UserPool;
import io.recolens.simulator.internal.ClickRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Runs one deterministic simulation: the same config (seed included) always yields the same records in the
 * same order, byte for byte. Single-threaded by design, since determinism needs one sequence of draws.
 */
public final class TrafficSimulator {

  private static final long MS = 1_000_000L;
  /** Feature pipelines finish this long before traffic starts, so lineage is known before it is served. */
  private static final long LINEAGE_LEAD_MS = 2 * 60 * 60_000L;
  /** The switched feature version's pipeline run starts this long before the injected switch. */
  private static final long DRIFT_RUN_LEAD_MS = 10 * 60_000L;

  /** Runs as fast as possible. The sink is not closed: the caller owns it. */
  public GroundTruth run(SimulatorConfig config, TrafficSink sink) {
    return run(config, sink, Pacer.NONE);
  }

  /** Runs with emission paced by {@code pacer}. The sink is not closed: the caller owns it. */
  public GroundTruth run(SimulatorConfig config, TrafficSink sink, Pacer pacer) {
    SplittableRandom random = new SplittableRandom(config.seed());
    String runTag = String.format("%06x", random.nextInt(1 << 24));
    long startMs = config.startEpochMs();
    SimulatedClock clock = new SimulatedClock(startMs * MS);
    CollectingSpanExporter exporter = new CollectingSpanExporter();
    SeededIdGenerator ids = new SeededIdGenerator(random.nextLong());
    UserPool users = new UserPool(config.users(), random, config.extraExperiments());

    GroundTruthRecorder truth = new GroundTruthRecorder(config);
    EmissionQueue queue = new EmissionQueue(sink, pacer, truth);
    FaultInjector faults = new FaultInjector(queue, random, config, truth);
    SpanMessageBuilder spanMessages = new SpanMessageBuilder(faults, random, config, truth);
    RecordJson json = new RecordJson();
    RequestPlanner planner = new RequestPlanner(users, random, config);
    ImpressionFactory impressions = new ImpressionFactory(random, config, runTag);
    ClickModel clicks = new ClickModel(random, config, runTag);

    try (ServiceGraph graph = new ServiceGraph(clock, ids, exporter)) {
      LineageTracer lineageTracer = new LineageTracer(graph, clock, exporter);
      for (int i = 0; i < Lineage.ALL.size(); i++) {
        long runStart = (startMs - LINEAGE_LEAD_MS + i * 10 * 60_000L) * MS;
        emitLineageRun(lineageTracer, Lineage.ALL.get(i), runStart, startMs, config, faults, truth);
      }
      if (config.lateLineageShare() > 0) {
        // This run starts after traffic under its lineage began and is sent when it ends: provenance after impressions.
        long runStart = (startMs + config.lateLineageRunOffsetMs()) * MS;
        emitLineageRun(lineageTracer, Lineage.LATE, runStart, -1, config, faults, truth);
      }
      if (config.featureDriftEnabled()) {
        // The switched version is deployed, not broken: its pipeline run ends before the switch, so it has ancestry.
        long runStartMs = FeatureDrift.switchAtMs(config) - DRIFT_RUN_LEAD_MS;
        for (Lineage lineage : Lineage.ALL) {
          Lineage run = lineage.onlySwitched(config.featureDriftFeature(), config.featureDriftVersion());
          if (run != null) {
            emitLineageRun(lineageTracer, run, runStartMs * MS, runStartMs + 5 * 60_000L <= startMs ? startMs : -1, config, faults, truth);
          }
        }
      }

      RequestTracer tracer = new RequestTracer(graph, clock, exporter, random, config);
      double meanGapNanos = 1e9 / config.requestsPerSecond();
      long now = startMs * MS;
      for (int seq = 0; seq < config.requests(); seq++) {
        now += (long) (-meanGapNanos * Math.log(1.0 - random.nextDouble()));
        queue.releaseUpTo(now / MS);
        RequestPlan plan = planner.plan(seq, now);
        TraceOutcome trace = tracer.trace(plan);
        truth.request(plan, trace);
        long traceEndMs = trace.rootEndNanos() / MS;
        spanMessages.add(trace.traceId(), trace.spans(), traceEndMs + 200 + random.nextInt(2_800));

        ImpressionRecord imp = impressions.create(plan, trace);
        boolean lost = random.nextDouble() < config.lostImpressionShare();
        if (lost) {
          truth.lostImpression(imp.impressionId());
        } else {
          truth.impression(plan, imp);
          if (FeatureDrift.applies(config, plan.user(), plan.arrivalNanos())) {
            truth.driftedImpression(plan);
          }
          faults.offer(Topic.IMPRESSIONS, imp.traceId().getBytes(StandardCharsets.US_ASCII),
              json.impression(imp, false), imp.timestampMs() + 20 + random.nextInt(480),
              () -> json.impression(imp, true));
        }
        emitClick(plan, imp, lost, clicks, json, faults, truth);
      }
      spanMessages.flush();
      queue.drain();
    }
    return truth.build();
  }

  /** Traces one pipeline run and sends it as one OTLP message at {@code emitAtMs}, or at the run's end when negative. */
  private static void emitLineageRun(LineageTracer tracer, Lineage lineage, long runStartNanos, long emitAtMs,
      SimulatorConfig config, FaultInjector faults, GroundTruthRecorder truth) {
    List<SpanData> spans = tracer.trace(lineage, runStartNanos);
    truth.lineageTrace(spans.size());
    String traceId = spans.get(0).getTraceId();
    long runEndMs = 0;
    List<GroundTruth.ProvenanceStep> steps = new java.util.ArrayList<>();
    for (SpanData s : spans) {
      runEndMs = Math.max(runEndMs, s.getEndEpochNanos() / MS);
      String feature = s.getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringKey("feature.name"));
      if (feature != null) {
        steps.add(new GroundTruth.ProvenanceStep(feature,
            s.getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringKey("feature.version")),
            s.getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringKey("feature.source")),
            s.getStartEpochNanos() / MS, s.getEndEpochNanos() / MS));
      }
    }
    long emitAt = emitAtMs >= 0 ? emitAtMs : runEndMs;
    truth.provenanceRun(new GroundTruth.ProvenanceRun(lineage.id(), traceId, emitAt, List.copyOf(steps)));
    faults.offer(Topic.SPANS, traceId.getBytes(StandardCharsets.US_ASCII),
        io.recolens.simulator.internal.OtlpEncoder.encode(spans, config.spanEncoding()), emitAt, null);
    truth.spanMessage(1);
  }

  private static void emitClick(RequestPlan plan, ImpressionRecord imp, boolean lost, ClickModel clicks,
      RecordJson json, FaultInjector faults, GroundTruthRecorder truth) {
    ClickModel.Decision decision = clicks.decide(plan, imp, lost);
    ClickRecord click = decision.click();
    if (click == null) {
      return;
    }
    if (lost) {
      truth.orphanClick(click);
    } else if (decision.beyondWindow()) {
      truth.beyondWindowClick(click);
    } else {
      truth.validClick(plan, click);
    }
    long emitAt = click.timestampMs() + 20 + (click.clickId().hashCode() & 0x1FF);
    faults.offer(Topic.CLICKS, click.impressionId().getBytes(StandardCharsets.US_ASCII), json.click(click, false),
        emitAt, () -> json.click(click, true));
  }
}
