package io.recolens.simulator.internal;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanLimits;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.EnumMap;
import java.util.Map;

/**
 * One {@link SdkTracerProvider} per simulated service, each with its own {@code service.name} resource, all on
 * the simulated clock and seeded ID generator and all exporting into one collector.
 */
public final class ServiceGraph implements AutoCloseable {

  static final String SCOPE_NAME = "io.recolens.simulator";
  static final String SCOPE_VERSION = "0.1.0";

  private final Map<SimService, SdkTracerProvider> providers = new EnumMap<>(SimService.class);
  private final Map<SimService, Tracer> tracers = new EnumMap<>(SimService.class);

  public ServiceGraph(SimulatedClock clock, SeededIdGenerator ids, CollectingSpanExporter exporter) {
    for (SimService service : SimService.values()) {
      Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(
          AttributeKey.stringKey("service.name"), service.serviceName(),
          AttributeKey.stringKey("service.version"), service.version(),
          AttributeKey.stringKey("service.namespace"), "recommendations",
          AttributeKey.stringKey("deployment.environment.name"), "simulation")));
      SdkTracerProvider provider = SdkTracerProvider.builder()
          .setResource(resource)
          .setClock(clock)
          .setIdGenerator(ids)
          .setSpanLimits(SpanLimits.getDefault())
          .addSpanProcessor(new BaggageExperimentSpanProcessor())
          .addSpanProcessor(SimpleSpanProcessor.create(exporter))
          .build();
      providers.put(service, provider);
      tracers.put(service, provider.get(SCOPE_NAME, SCOPE_VERSION));
    }
  }

  public Tracer tracer(SimService service) {
    return tracers.get(service);
  }

  @Override
  public void close() {
    providers.values().forEach(SdkTracerProvider::close);
  }
}
