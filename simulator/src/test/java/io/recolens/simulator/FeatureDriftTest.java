package io.recolens.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The injected drift: from the set time, exactly the impressions of the chosen cohort (and variant) serve the
 * switched feature version under their own lineage ID, a pipeline run describes the new version before the switch,
 * and the ground truth counts them per variant; without the injection, or before the switch, none does.
 */
class FeatureDriftTest {
  private static final long AFTER_MS = 5_000;

  @Test
  void theCohortSwitchesTheFeatureVersionFromTheSetTimeInTheChosenVariantOnly() {
    SimulatorConfig config = SimulatorConfig.builder().requests(3_000).clean()
        .featureDrift("power", AFTER_MS).featureDriftVariant("rec_algorithm_v3=hybrid").build();
    RecordingTrafficSink sink = new RecordingTrafficSink();
    GroundTruth truth = new TrafficSimulator().run(config, sink);
    long switchAt = config.startEpochMs() + AFTER_MS;
    Map<String, Integer> switchedByVariant = new TreeMap<>();
    int before = 0;
    int otherCohortsAfter = 0;
    for (RecordingTrafficSink.Recorded r : sink.records(Topic.IMPRESSIONS)) {
      Map<String, Object> imp = TestJson.object(r.value());
      String version = (String) ((Map<?, ?>) ((Map<?, ?>) imp.get("features")).get("user_embedding")).get("version");
      Map<?, ?> experiments = (Map<?, ?>) imp.get("experiments");
      boolean power = ((String) imp.get("baggage")).contains("user.cohort=power");
      boolean hybrid = "hybrid".equals(experiments.get("rec_algorithm_v3"));
      long ts = r.timestampMs();
      // The switch applies by request arrival; a slate is served (timestamped) when its request ends, within 2 s.
      if (servedAt(imp) >= switchAt && servedAt(imp) < switchAt + 2_000) {
        if (version.equals("v16")) {
          for (Map.Entry<?, ?> e : experiments.entrySet()) switchedByVariant.merge(e.getKey() + "/" + e.getValue(), 1, Integer::sum);
        }
        continue;
      }
      boolean expected = power && hybrid && servedAt(imp) >= switchAt;
      assertThat(version.equals("v16")).as("%s served %s", imp.get("impression_id"), version).isEqualTo(expected);
      if (expected) {
        for (Map.Entry<?, ?> e : experiments.entrySet()) switchedByVariant.merge(e.getKey() + "/" + e.getValue(), 1, Integer::sum);
        assertThat((String) imp.get("lineage_id")).doesNotContain("v16");
      } else if (servedAt(imp) < switchAt && power && hybrid) {
        before++;
      } else if (!power && servedAt(imp) >= switchAt) {
        otherCohortsAfter++;
      }
      assertThat(ts).isPositive();
    }
    assertThat(before).as("the cohort before the switch").isGreaterThan(50);
    assertThat(otherCohortsAfter).isGreaterThan(500);
    assertThat(truth.featureDrift().impressionsByVariant()).isEqualTo(switchedByVariant);
    assertThat(switchedByVariant.get("rec_algorithm_v3/hybrid")).isGreaterThan(100);
    assertThat(switchedByVariant).doesNotContainKeys("rec_algorithm_v3/control", "rec_algorithm_v3/collaborative");
    assertThat(truth.featureDrift().atMs()).isEqualTo(switchAt);
    List<GroundTruth.ProvenanceStep> v16 = new ArrayList<>();
    truth.lineage().runs().forEach(run -> run.steps().stream().filter(s -> s.version().equals("v16")).forEach(v16::add));
    assertThat(v16).hasSize(2).allSatisfy(s -> {
      assertThat(s.feature()).isEqualTo("user_embedding");
      assertThat(s.endMs()).isLessThan(switchAt);
      assertThat(s.source()).endsWith("user_embedding_v16");
    });
    assertThat(truth.toJson()).contains("\"feature_drift\"", "\"cohort\" : \"power\"");
  }

  @Test
  void withoutTheInjectionOrBeforeTheSwitchNoImpressionServesTheNewVersion() {
    SimulatorConfig plain = SimulatorConfig.builder().requests(500).seed(3).build();
    RecordingTrafficSink a = new RecordingTrafficSink();
    GroundTruth ta = new TrafficSimulator().run(plain, a);
    assertThat(ta.featureDrift()).isNull();
    assertThat(ta.toJson()).doesNotContain("feature_drift");
    assertThat(a.records(Topic.IMPRESSIONS)).noneSatisfy(r -> assertThat(new String(r.value())).contains("v16"));
    // A switch set after the last request reaches no impression, though its pipeline run is emitted.
    RecordingTrafficSink b = new RecordingTrafficSink();
    GroundTruth tb = new TrafficSimulator().run(plain.toBuilder().featureDrift("power", plain.arrivalSpanMs() + 60_000).build(), b);
    assertThat(tb.featureDrift().impressionsByVariant()).isEmpty();
    assertThat(b.records(Topic.IMPRESSIONS)).isNotEmpty().noneSatisfy(r -> assertThat(new String(r.value())).contains("v16"));
    assertThat(tb.lineage().runs()).hasSize(ta.lineage().runs().size() + 2);
  }

  private static long servedAt(Map<String, Object> imp) {
    Object ts = imp.get("timestamp");
    return ts instanceof Number n ? n.longValue() : Instant.parse((String) ts).toEpochMilli();
  }
}
