package io.recolens.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cost-growth knobs: extra database spans per request and extra experiments per request (docs/benchmarks.md). */
class LoadKnobsTest {

  @Test
  void extraSpansAddThatManyDatabaseSpansToEveryRequestTrace() {
    Map<String, Integer> plain = extraSpansPerRequestTrace(SimulatorConfig.builder().requests(200).clean().build());
    Map<String, Integer> longer = extraSpansPerRequestTrace(SimulatorConfig.builder().requests(200).clean().extraSpansPerRequest(5).build());
    assertThat(plain).hasSize(200).allSatisfy((trace, n) -> assertThat(n).isZero());
    assertThat(longer).hasSize(200).allSatisfy((trace, n) -> assertThat(n).as("trace %s", trace).isEqualTo(5));
  }

  @Test
  void extraExperimentsReachImpressionsAndEverySpan() {
    SimulatorConfig config = SimulatorConfig.builder().requests(100).clean().extraExperiments(3).build();
    RecordingTrafficSink sink = new RecordingTrafficSink();
    new TrafficSimulator().run(config, sink);
    for (RecordingTrafficSink.Recorded r : sink.records(Topic.IMPRESSIONS)) {
      @SuppressWarnings("unchecked")
      Map<String, Object> experiments = (Map<String, Object>) TestJson.object(r.value()).get("experiments");
      assertThat(experiments).containsOnlyKeys("rec_algorithm_v3", "ranking_boost_v2", "load_exp_01", "load_exp_02", "load_exp_03");
      assertThat(experiments.get("load_exp_02")).isIn("control", "treatment");
    }
    String traceId = new String(sink.records(Topic.IMPRESSIONS).get(0).key(), StandardCharsets.US_ASCII);
    List<OtlpSpans.ServiceSpan> spans = sink.records(Topic.SPANS).stream()
        .flatMap(r -> OtlpSpans.flatten(OtlpSpans.parse(r.value())).stream())
        .filter(s -> s.traceId().equals(traceId)).toList();
    assertThat(spans).isNotEmpty().allSatisfy(s -> assertThat(s.attribute("experiment.load_exp_03")).isPresent());
  }

  /** Per request trace (one per impression), its spans of the extra kind: "SELECT item_embeddings" from postgres. */
  private static Map<String, Integer> extraSpansPerRequestTrace(SimulatorConfig config) {
    RecordingTrafficSink sink = new RecordingTrafficSink();
    new TrafficSimulator().run(config, sink);
    Map<String, Integer> impressions = new HashMap<>();
    for (RecordingTrafficSink.Recorded r : sink.records(Topic.IMPRESSIONS)) {
      impressions.put(new String(r.key(), StandardCharsets.US_ASCII), 0);
    }
    for (RecordingTrafficSink.Recorded r : sink.records(Topic.SPANS)) {
      for (OtlpSpans.ServiceSpan s : OtlpSpans.flatten(OtlpSpans.parse(r.value()))) {
        if (s.span().getName().equals("SELECT item_embeddings")) impressions.computeIfPresent(s.traceId(), (k, n) -> n + 1);
      }
    }
    return impressions;
  }
}
