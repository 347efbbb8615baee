package io.recolens.simulator.internal;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;

/**
 * Traces the feature-pipeline run that materialised a lineage's features, in its own trace: this is the
 * provenance recolens joins to impressions by lineage ID, not by trace ID.
 */
public final class LineageTracer {

  static final AttributeKey<String> PIPELINE_RUN = AttributeKey.stringKey("pipeline.run.id");
  private static final long MINUTE = 60_000_000_000L;

  private final ServiceGraph graph;
  private final SimulatedClock clock;
  private final CollectingSpanExporter exporter;

  public LineageTracer(ServiceGraph graph, SimulatedClock clock, CollectingSpanExporter exporter) {
    this.graph = graph;
    this.clock = clock;
    this.exporter = exporter;
  }

  /** Spans of one pipeline run that starts at {@code startNanos} and takes a few simulated minutes. */
  public List<SpanData> trace(Lineage lineage, long startNanos) {
    exporter.drain();
    clock.set(startNanos);
    Span run = graph.tracer(SimService.FEATURE_PIPELINE).spanBuilder("materialize " + lineage.featureStoreVersion())
        .setParent(Context.root())
        .setSpanKind(SpanKind.INTERNAL)
        .setStartTimestamp(startNanos, NANOSECONDS)
        .setAttribute(RequestTracer.LINEAGE_ID, lineage.id())
        .setAttribute(RequestTracer.MODEL_NAME, lineage.modelName())
        .setAttribute(RequestTracer.MODEL_VERSION, lineage.modelVersion())
        .startSpan();
    Context ctx = Context.root().with(run);
    long cursor = startNanos + MINUTE / 10;
    for (FeatureVersion f : lineage.features()) {
      Span step = graph.tracer(SimService.FEATURE_PIPELINE).spanBuilder("materialize " + f.name())
          .setParent(ctx)
          .setStartTimestamp(cursor, NANOSECONDS)
          .setAttribute(RequestTracer.LINEAGE_ID, lineage.id())
          .setAttribute(RequestTracer.FEATURE_NAME, f.name())
          .setAttribute(RequestTracer.FEATURE_VERSION, f.version())
          .setAttribute(RequestTracer.FEATURE_SOURCE, f.source())
          .setAttribute(PIPELINE_RUN, f.pipelineRunId())
          .startSpan();
      cursor += 2 * MINUTE;
      step.end(cursor, NANOSECONDS);
    }
    run.end(cursor + MINUTE / 10, NANOSECONDS);
    return exporter.drain();
  }
}
