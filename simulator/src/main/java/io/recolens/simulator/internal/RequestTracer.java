package io.recolens.simulator.internal;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.recolens.simulator.Experiment;
import io.recolens.simulator.SimulatorConfig;
import java.util.random.RandomGenerator;

/**
 * Traces one recommendation request through gateway → feature-store → candidate-gen → ranker (each with
 * redis-cache / postgres calls) with the real OpenTelemetry SDK, every timestamp explicit simulated time.
 *
 * <p>Cache and database are modelled as instrumented proxies with their own {@code service.name}, so each hop
 * to them crosses a real propagation boundary and can lose baggage like any other hop.
 */
public final class RequestTracer {

  static final AttributeKey<String> HTTP_METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
  static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<String> SURFACE = AttributeKey.stringKey("recommendation.surface");
  static final AttributeKey<String> DB_SYSTEM = AttributeKey.stringKey("db.system");
  static final AttributeKey<String> DB_OPERATION = AttributeKey.stringKey("db.operation.name");
  static final AttributeKey<String> DB_COLLECTION = AttributeKey.stringKey("db.collection.name");
  static final AttributeKey<Boolean> CACHE_HIT = AttributeKey.booleanKey("cache.hit");
  static final AttributeKey<String> CACHE_KEY_PREFIX = AttributeKey.stringKey("cache.key.prefix");
  static final AttributeKey<String> LINEAGE_ID = AttributeKey.stringKey("lineage.id");
  static final AttributeKey<String> MODEL_NAME = AttributeKey.stringKey("model.name");
  static final AttributeKey<String> MODEL_VERSION = AttributeKey.stringKey("model.version");
  static final AttributeKey<String> FEATURE_NAME = AttributeKey.stringKey("feature.name");
  static final AttributeKey<String> FEATURE_VERSION = AttributeKey.stringKey("feature.version");
  static final AttributeKey<String> FEATURE_SOURCE = AttributeKey.stringKey("feature.source");
  static final AttributeKey<Long> CANDIDATE_COUNT = AttributeKey.longKey("candidates.count");
  static final AttributeKey<String> FLAG_KEY = AttributeKey.stringKey("feature_flag.key");
  static final AttributeKey<String> FLAG_RESULT_VARIANT = AttributeKey.stringKey("feature_flag.result.variant");
  static final AttributeKey<String> FLAG_LEGACY_VARIANT = AttributeKey.stringKey("feature_flag.variant");
  static final AttributeKey<String> FLAG_PROVIDER = AttributeKey.stringKey("feature_flag.provider.name");
  static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
  static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");

  public static final String FLAG_EVENT = "feature_flag.evaluation";
  public static final String LEGACY_FLAG_EVENT = "feature_flag";
  static final String ROOT_ROUTE = "/v1/recommendations";

  private static final long MS = 1_000_000L;

  private final ServiceGraph graph;
  private final SimulatedClock clock;
  private final CollectingSpanExporter exporter;
  private final RandomGenerator random;
  private final SimulatorConfig config;

  private final Propagation propagation = new Propagation();

  private int errorSpans;
  private int cacheHits;
  private int cacheMisses;
  private int dbSpans;

  public RequestTracer(ServiceGraph graph, SimulatedClock clock, CollectingSpanExporter exporter,
      RandomGenerator random, SimulatorConfig config) {
    this.graph = graph;
    this.clock = clock;
    this.exporter = exporter;
    this.random = random;
    this.config = config;
  }

  /** Produces every span of one request and returns them with the request's timings. */
  public TraceOutcome trace(RequestPlan plan) {
    errorSpans = 0;
    cacheHits = 0;
    cacheMisses = 0;
    dbSpans = 0;
    exporter.drain();

    var bag = Baggage.builder()
        .put(Experiment.REC_ALGORITHM_V3.baggageKey(), plan.variant(0))
        .put(Experiment.RANKING_BOOST_V2.baggageKey(), plan.variant(1))
        .put("user.cohort", plan.user().cohort());
    for (int e = Experiment.ALL.size(); e < plan.user().variants().size(); e++) {
      bag.put(Experiment.at(e).baggageKey(), plan.user().variants().get(e));
    }
    Baggage baggage = bag.build();
    Context base = Context.root().with(baggage);
    long start = plan.arrivalNanos();
    clock.set(start);

    Span root = graph.tracer(SimService.GATEWAY).spanBuilder("GET " + ROOT_ROUTE)
        .setParent(base)
        .setSpanKind(SpanKind.SERVER)
        .setStartTimestamp(start, NANOSECONDS)
        .setAttribute(HTTP_METHOD, "GET")
        .setAttribute(HTTP_ROUTE, ROOT_ROUTE)
        .setAttribute(SURFACE, plan.surface())
        .startSpan();
    Context gateway = base.with(root);

    long cursor = start + latency(0.4, 0.3);
    long fsStart = cursor;
    cursor = callFromGateway(gateway, cursor, SimService.FEATURE_STORE, "/features", plan);
    long featureStoreNanos = cursor - fsStart;
    cursor = callFromGateway(gateway, cursor, SimService.CANDIDATE_GEN, "/candidates", plan);
    cursor = callFromGateway(gateway, cursor, SimService.RANKER, "/rank", plan);
    long end = cursor + latency(0.3, 0.3);
    boolean failed = random.nextDouble() < config.spanErrorShare();
    root.setAttribute(HTTP_STATUS, failed ? 500L : 200L);
    end(root, end, failed);
    clock.set(end);
    return new TraceOutcome(root.getSpanContext().getTraceId(), start, end, Propagation.baggageHeader(base),
        exporter.drain(), errorSpans, featureStoreNanos, cacheHits, cacheMisses, dbSpans);
  }

  private long callFromGateway(Context gateway, long start, SimService callee, String route, RequestPlan plan) {
    Span client = graph.tracer(SimService.GATEWAY).spanBuilder("POST " + route)
        .setParent(gateway)
        .setSpanKind(SpanKind.CLIENT)
        .setStartTimestamp(start, NANOSECONDS)
        .setAttribute(HTTP_METHOD, "POST")
        .setAttribute(SERVER_ADDRESS, callee.serviceName())
        .startSpan();
    Context remote = propagation.hop(gateway.with(client), plan.baggageDroppedAt() == callee);
    long serverStart = start + latency(0.25, 0.4);
    long serverEnd = switch (callee) {
      case FEATURE_STORE -> featureStore(remote, serverStart, route, plan);
      case CANDIDATE_GEN -> candidateGen(remote, serverStart, route, plan);
      case RANKER -> ranker(remote, serverStart, route, plan);
      default -> throw new IllegalArgumentException("no handler for " + callee);
    };
    long end = serverEnd + latency(0.25, 0.4);
    client.setAttribute(HTTP_STATUS, 200L);
    finish(client, end);
    return end;
  }

  private Span server(SimService service, String name, String route, Context parent, long start) {
    return graph.tracer(service).spanBuilder(name)
        .setParent(parent)
        .setSpanKind(SpanKind.SERVER)
        .setStartTimestamp(start, NANOSECONDS)
        .setAttribute(HTTP_METHOD, "POST")
        .setAttribute(HTTP_ROUTE, route)
        .startSpan();
  }

  private long featureStore(Context remote, long start, String route, RequestPlan plan) {
    Lineage lineage = plan.lineage();
    Span span = server(SimService.FEATURE_STORE, "POST " + route, route, remote, start);
    span.setAttribute(LINEAGE_ID, lineage.id());
    Context ctx = remote.with(span);
    long cursor = start + latency(0.5, 0.3);
    boolean hit = random.nextDouble() < config.cacheHitRate();
    cursor = cache(ctx, cursor, "user_features", hit);
    if (!hit) {
      cursor = database(ctx, cursor, "SELECT", "user_features");
    }
    if ("hybrid".equals(plan.variant(0))) {
      // The injected side effect: hybrid needs extra feature computation inside the feature store.
      cursor += config.hybridFeatureStoreDelayMs() * MS;
    }
    for (FeatureVersion f : lineage.features()) {
      Span read = graph.tracer(SimService.FEATURE_STORE).spanBuilder("feature.read " + f.name())
          .setParent(ctx)
          .setSpanKind(SpanKind.INTERNAL)
          .setStartTimestamp(cursor, NANOSECONDS)
          // No lineage.id here: lineage.id with feature.name marks a provenance span (a pipeline run), and this is a
          // read while serving; its parent span carries the lineage.id it references.
          .setAttribute(FEATURE_NAME, f.name())
          .setAttribute(FEATURE_VERSION, f.version())
          .setAttribute(FEATURE_SOURCE, f.source())
          .startSpan();
      cursor += latency(1.5, 0.4);
      finish(read, cursor);
    }
    cursor += latency(1.0, 0.3);
    finish(span, cursor);
    return cursor;
  }

  private long candidateGen(Context remote, long start, String route, RequestPlan plan) {
    Span span = server(SimService.CANDIDATE_GEN, "POST " + route, route, remote, start);
    flagEvaluation(span, Experiment.REC_ALGORITHM_V3, plan.variant(0), start + latency(0.1, 0.2));
    span.setAttribute(CANDIDATE_COUNT, 200L + random.nextInt(300));
    Context ctx = remote.with(span);
    long cursor = start + latency(0.3, 0.3);
    cursor = database(ctx, cursor, "SELECT", "items");
    cursor += latency(9.0, 0.35);
    finish(span, cursor);
    return cursor;
  }

  private long ranker(Context remote, long start, String route, RequestPlan plan) {
    Lineage lineage = plan.lineage();
    Span span = server(SimService.RANKER, "POST " + route, route, remote, start);
    span.setAttribute(LINEAGE_ID, lineage.id());
    span.setAttribute(MODEL_NAME, lineage.modelName());
    span.setAttribute(MODEL_VERSION, lineage.modelVersion());
    flagEvaluation(span, Experiment.RANKING_BOOST_V2, plan.variant(1), start + latency(0.1, 0.2));
    Context ctx = remote.with(span);
    long cursor = start + latency(0.3, 0.3);
    double hitRate = config.cacheHitRate()
        + ("recency_boost".equals(plan.variant(1)) ? config.recencyBoostCacheHitDelta() : 0.0);
    boolean hit = random.nextDouble() < hitRate;
    cursor = cache(ctx, cursor, "item_stats", hit);
    if (!hit) {
      cursor = database(ctx, cursor, "SELECT", "item_stats");
    }
    for (int i = 0; i < config.extraSpansPerRequest(); i++) {
      cursor = database(ctx, cursor, "SELECT", "item_embeddings");
    }
    cursor += latency(14.0, 0.3);
    finish(span, cursor);
    return cursor;
  }

  private long cache(Context caller, long start, String keyPrefix, boolean hit) {
    Context remote = propagation.hop(caller, false);
    Span span = graph.tracer(SimService.CACHE).spanBuilder("GET")
        .setParent(remote)
        .setSpanKind(SpanKind.SERVER)
        .setStartTimestamp(start, NANOSECONDS)
        .setAttribute(CACHE_HIT, hit)
        .setAttribute(CACHE_KEY_PREFIX, keyPrefix)
        .startSpan();
    long end = start + latency(hit ? 0.6 : 0.9, 0.35);
    finish(span, end);
    if (hit) {
      cacheHits++;
    } else {
      cacheMisses++;
    }
    return end;
  }

  private long database(Context caller, long start, String operation, String table) {
    Context remote = propagation.hop(caller, false);
    Span span = graph.tracer(SimService.DATABASE).spanBuilder(operation + " " + table)
        .setParent(remote)
        .setSpanKind(SpanKind.SERVER)
        .setStartTimestamp(start, NANOSECONDS)
        .setAttribute(DB_SYSTEM, "postgresql")
        .setAttribute(DB_OPERATION, operation)
        .setAttribute(DB_COLLECTION, table)
        .startSpan();
    long end = start + latency(5.0, 0.5);
    finish(span, end);
    dbSpans++;
    return end;
  }

  private void flagEvaluation(Span span, Experiment experiment, String variant, long atNanos) {
    if (random.nextDouble() < config.legacyFlagEventShare()) {
      span.addEvent(LEGACY_FLAG_EVENT,
          Attributes.of(FLAG_KEY, experiment.name(), FLAG_LEGACY_VARIANT, variant), atNanos, NANOSECONDS);
    } else {
      span.addEvent(FLAG_EVENT, Attributes.of(FLAG_KEY, experiment.name(), FLAG_RESULT_VARIANT, variant,
          FLAG_PROVIDER, "recolens-flags"), atNanos, NANOSECONDS);
    }
  }

  /** Ends a span, failing it with the configured probability. */
  private void finish(Span span, long endNanos) {
    end(span, endNanos, random.nextDouble() < config.spanErrorShare());
  }

  private void end(Span span, long endNanos, boolean failed) {
    if (failed) {
      span.setStatus(StatusCode.ERROR, "simulated failure");
      span.addEvent("exception", Attributes.of(EXCEPTION_TYPE, "java.util.concurrent.TimeoutException",
          EXCEPTION_MESSAGE, "simulated failure"), endNanos, NANOSECONDS);
      errorSpans++;
    }
    span.end(endNanos, NANOSECONDS);
  }

  /** A log-normal latency around {@code medianMs}, in nanoseconds. */
  private long latency(double medianMs, double sigma) {
    return Math.max(20_000L, (long) (medianMs * MS * Math.exp(sigma * random.nextGaussian())));
  }
}
