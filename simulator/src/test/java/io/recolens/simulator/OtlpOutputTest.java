package io.recolens.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OTLP bytes, parsed with the official protobuf classes, follow the span conventions recolens reads. */
class OtlpOutputTest {

  private static final String REC = "experiment.rec_algorithm_v3";
  private static final String RANK = "experiment.ranking_boost_v2";

  private static SimulatorConfig config;
  private static GroundTruth truth;
  private static RecordingTrafficSink sink;
  private static Map<String, List<OtlpSpans.ServiceSpan>> spansByTrace;
  private static Map<String, Map<String, Object>> impressionByTrace;

  @BeforeAll
  static void simulate() {
    config = SimulatorConfig.builder().requests(1_500).clean().droppedBaggageShare(0.2).build();
    sink = new RecordingTrafficSink();
    truth = new TrafficSimulator().run(config, sink);
    spansByTrace = new HashMap<>();
    for (RecordingTrafficSink.Recorded r : sink.records(Topic.SPANS)) {
      List<OtlpSpans.ServiceSpan> spans = OtlpSpans.flatten(OtlpSpans.parse(r.value()));
      String key = new String(r.key(), StandardCharsets.US_ASCII);
      // With multi-trace messages off, every message is one trace keyed by its hex trace ID.
      assertThat(spans).isNotEmpty().allSatisfy(s -> assertThat(s.traceId()).isEqualTo(key));
      spansByTrace.computeIfAbsent(key, k -> new ArrayList<>()).addAll(spans);
    }
    impressionByTrace = new HashMap<>();
    for (RecordingTrafficSink.Recorded r : sink.records(Topic.IMPRESSIONS)) {
      Map<String, Object> imp = TestJson.object(r.value());
      impressionByTrace.put((String) imp.get("trace_id"), imp);
    }
  }

  private static List<OtlpSpans.ServiceSpan> requestTraceSpans() {
    return impressionByTrace.keySet().stream().flatMap(t -> spansByTrace.get(t).stream()).toList();
  }

  @Test
  void everyServiceEmitsSpansUnderItsOwnResource() {
    Set<String> services = spansByTrace.values().stream().flatMap(List::stream)
        .map(OtlpSpans.ServiceSpan::service).collect(Collectors.toSet());
    assertThat(services).containsExactlyInAnyOrder("recommendation-gateway", "feature-store", "candidate-gen",
        "ranker", "redis-cache", "postgres", "feature-pipeline");
    assertThat(spansByTrace).hasSize(truth.totals().requestTraces() + truth.totals().lineageTraces());
  }

  @Test
  void impressionTraceIdIsTheGatewayRootSpanTraceIdAndTimesAreSimulated() {
    assertThat(impressionByTrace).hasSize(config.requests());
    impressionByTrace.forEach((traceId, imp) -> {
      List<OtlpSpans.ServiceSpan> spans = spansByTrace.get(traceId);
      assertThat(spans).as("spans of trace %s", traceId).isNotNull();
      List<OtlpSpans.ServiceSpan> roots = spans.stream().filter(s -> s.span().getParentSpanId().isEmpty()).toList();
      assertThat(roots).hasSize(1);
      OtlpSpans.ServiceSpan root = roots.get(0);
      assertThat(root.service()).isEqualTo("recommendation-gateway");
      assertThat(root.span().getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
      assertThat(root.traceId()).isEqualTo(traceId);
      long rootStartMs = root.span().getStartTimeUnixNano() / 1_000_000L;
      assertThat(rootStartMs).isBetween(config.startEpochMs(), config.startEpochMs() + config.simulatedDurationMs());
      assertThat(root.span().getEndTimeUnixNano() / 1_000_000L).isEqualTo(epochMs(imp.get("timestamp")));
    });
  }

  @Test
  void experimentAttributesComeFromBaggageExceptWhereAHopDroppedIt() {
    assertThat(truth.droppedBaggageTraces()).isNotEmpty();
    int checkedDropped = 0;
    for (Map.Entry<String, Map<String, Object>> e : impressionByTrace.entrySet()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> experiments = (Map<String, Object>) e.getValue().get("experiments");
      String droppedAt = truth.droppedBaggageTraces().get(e.getKey());
      Set<String> withoutBaggage = droppedAt == null ? Set.of() : descendantsOfService(e.getKey(), droppedAt);
      for (OtlpSpans.ServiceSpan s : spansByTrace.get(e.getKey())) {
        if (withoutBaggage.contains(s.spanId())) {
          assertThat(s.attribute(REC)).as("%s span %s", s.service(), s.span().getName()).isEmpty();
          assertThat(s.attribute(RANK)).isEmpty();
          checkedDropped++;
        } else {
          assertThat(s.attribute(REC).map(AnyValue::getStringValue)).contains((String) experiments.get("rec_algorithm_v3"));
          assertThat(s.attribute(RANK).map(AnyValue::getStringValue)).contains((String) experiments.get("ranking_boost_v2"));
        }
        assertThat(s.attribute("user.cohort")).as("only experiment.* baggage is copied").isEmpty();
      }
      if (droppedAt != null) {
        assertThat(spansByTrace.get(e.getKey())).anyMatch(s -> s.service().equals(droppedAt));
      }
    }
    assertThat(checkedDropped).isGreaterThan(100);
  }

  /** Span IDs of the dropping service's spans and everything below them. */
  private static Set<String> descendantsOfService(String traceId, String service) {
    List<OtlpSpans.ServiceSpan> spans = spansByTrace.get(traceId);
    Set<String> out = new HashSet<>();
    spans.stream().filter(s -> s.service().equals(service)).forEach(s -> out.add(s.spanId()));
    boolean grew = true;
    while (grew) {
      grew = false;
      for (OtlpSpans.ServiceSpan s : spans) {
        if (out.contains(s.parentSpanId()) && out.add(s.spanId())) {
          grew = true;
        }
      }
    }
    return out;
  }

  @Test
  void flagEvaluationEventsCarryTheAssignedVariantInBothConventions() {
    int current = 0;
    int legacy = 0;
    for (Map.Entry<String, Map<String, Object>> e : impressionByTrace.entrySet()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> experiments = (Map<String, Object>) e.getValue().get("experiments");
      for (OtlpSpans.ServiceSpan s : spansByTrace.get(e.getKey())) {
        if (!s.service().equals("ranker") && !s.service().equals("candidate-gen")) {
          continue;
        }
        if (s.span().getKind() != Span.SpanKind.SPAN_KIND_SERVER) {
          continue;
        }
        List<Span.Event> flags = s.span().getEventsList().stream()
            .filter(ev -> ev.getName().startsWith("feature_flag")).toList();
        assertThat(flags).hasSize(1);
        Span.Event event = flags.get(0);
        String key = OtlpSpans.find(event.getAttributesList(), "feature_flag.key").orElseThrow().getStringValue();
        String variant;
        if (event.getName().equals("feature_flag.evaluation")) {
          current++;
          variant = OtlpSpans.find(event.getAttributesList(), "feature_flag.result.variant").orElseThrow()
              .getStringValue();
        } else {
          assertThat(event.getName()).isEqualTo("feature_flag");
          legacy++;
          variant = OtlpSpans.find(event.getAttributesList(), "feature_flag.variant").orElseThrow().getStringValue();
        }
        assertThat(key).isEqualTo(s.service().equals("ranker") ? "ranking_boost_v2" : "rec_algorithm_v3");
        assertThat(variant).isEqualTo(experiments.get(key));
      }
    }
    assertThat(current).isGreaterThan(legacy * 4);
    assertThat(legacy).isGreaterThan(0);
  }

  @Test
  void databaseCacheErrorAndLineageConventions() {
    List<OtlpSpans.ServiceSpan> spans = requestTraceSpans();
    List<OtlpSpans.ServiceSpan> db = spans.stream().filter(s -> s.service().equals("postgres")).toList();
    assertThat(db).isNotEmpty().allSatisfy(s -> {
      assertThat(s.attribute("db.system").map(AnyValue::getStringValue)).contains("postgresql");
      assertThat(s.attribute("db.operation.name").map(AnyValue::getStringValue)).contains("SELECT");
    });
    List<OtlpSpans.ServiceSpan> cache = spans.stream().filter(s -> s.service().equals("redis-cache")).toList();
    assertThat(cache).isNotEmpty().allSatisfy(s ->
        assertThat(s.attribute("cache.hit").map(AnyValue::getValueCase)).contains(AnyValue.ValueCase.BOOL_VALUE));
    assertThat(cache).anyMatch(s -> s.attribute("cache.hit").orElseThrow().getBoolValue())
        .anyMatch(s -> !s.attribute("cache.hit").orElseThrow().getBoolValue());
    long errors = spans.stream()
        .filter(s -> s.span().getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR).count();
    assertThat(errors).isPositive().isLessThan(spans.size() / 20);

    impressionByTrace.forEach((traceId, imp) -> {
      @SuppressWarnings("unchecked")
      Map<String, Object> model = (Map<String, Object>) imp.get("model");
      OtlpSpans.ServiceSpan ranker = spansByTrace.get(traceId).stream()
          .filter(s -> s.service().equals("ranker")).findFirst().orElseThrow();
      assertThat(ranker.attribute("lineage.id").map(AnyValue::getStringValue)).contains((String) imp.get("lineage_id"));
      assertThat(ranker.attribute("model.name").map(AnyValue::getStringValue)).contains((String) model.get("name"));
      assertThat(ranker.attribute("model.version").map(AnyValue::getStringValue))
          .contains((String) model.get("version"));
      @SuppressWarnings("unchecked")
      Map<String, Map<String, Object>> features = (Map<String, Map<String, Object>>) imp.get("features");
      List<OtlpSpans.ServiceSpan> reads = spansByTrace.get(traceId).stream()
          .filter(s -> s.service().equals("feature-store") && s.attribute("feature.name").isPresent()).toList();
      assertThat(reads).hasSize(features.size()).allSatisfy(s -> {
        String name = s.attribute("feature.name").orElseThrow().getStringValue();
        assertThat(s.attribute("feature.version").map(AnyValue::getStringValue))
            .contains((String) features.get(name).get("version"));
        assertThat(s.attribute("feature.source")).isPresent();
        // A serving read references its lineage through its parent; lineage.id with feature.name would make it provenance.
        assertThat(s.attribute("lineage.id")).isEmpty();
      });
      assertThat(spansByTrace.get(traceId).stream()
          .filter(s -> s.service().equals("feature-store") && s.attribute("feature.name").isEmpty()).toList())
          .anySatisfy(s -> assertThat(s.attribute("lineage.id").map(AnyValue::getStringValue)).contains((String) imp.get("lineage_id")));
    });
  }

  @Test
  void hybridSlowsTheFeatureStoreByTheInjectedDelay() {
    double control = truth.variant("rec_algorithm_v3", "control").featureStoreLatencyMsMean();
    double hybrid = truth.variant("rec_algorithm_v3", "hybrid").featureStoreLatencyMsMean();
    assertThat(hybrid - control).isBetween(config.hybridFeatureStoreDelayMs() - 2.0,
        config.hybridFeatureStoreDelayMs() + 2.0);
  }

  static long epochMs(Object timestamp) {
    if (timestamp instanceof Long l) {
      return l;
    }
    return java.time.Instant.parse((String) timestamp).toEpochMilli();
  }
}
