package io.recolens.simulator.internal;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Collects finished spans in memory until the simulator takes them to build OTLP messages. */
public final class CollectingSpanExporter implements SpanExporter {

  private List<SpanData> finished = new ArrayList<>();

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    finished.addAll(spans);
    return CompletableResultCode.ofSuccess();
  }

  /** Returns the spans finished since the last call, in end order, and starts a new batch. */
  public List<SpanData> drain() {
    List<SpanData> out = finished;
    finished = new ArrayList<>(16);
    return out;
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    return CompletableResultCode.ofSuccess();
  }
}
