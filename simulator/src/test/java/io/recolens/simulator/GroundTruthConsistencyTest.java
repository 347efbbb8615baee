package io.recolens.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Recomputes the ground truth from the records a run emitted, with all data-quality faults switched on. */
class GroundTruthConsistencyTest {

  private static SimulatorConfig config;
  private static GroundTruth truth;
  private static RecordingTrafficSink sink;
  private static Map<Topic, Set<Integer>> malformedIndexes;

  @BeforeAll
  static void simulate() {
    // Shares raised above the defaults so that every fault occurs often enough in a small run.
    config = SimulatorConfig.builder().requests(6_000).seed(11).duplicateShare(0.03).malformedShare(0.02)
        .lostImpressionShare(0.02).beyondWindowClickShare(0.05).lateShare(0.05).build();
    sink = new RecordingTrafficSink();
    truth = new TrafficSimulator().run(config, sink);
    malformedIndexes = new HashMap<>();
    for (Topic t : Topic.values()) {
      malformedIndexes.put(t, new HashSet<>());
    }
    truth.malformed().forEach(m -> malformedIndexes.get(m.topic()).add(m.index()));
  }

  private static boolean malformed(RecordingTrafficSink.Recorded r) {
    return malformedIndexes.get(r.topic()).contains(r.index());
  }

  @Test
  void emittedCountsMatchTheSink() {
    for (Topic t : Topic.values()) {
      assertThat(sink.records(t)).hasSize(truth.recordsEmitted().get(t));
      assertThat(malformedIndexes.get(t)).as("malformed %s", t).isNotEmpty();
      assertThat(truth.duplicates().get(t)).as("duplicates %s", t).isPositive();
      assertThat(truth.late().get(t)).as("late %s", t).isPositive();
    }
    assertThat(truth.orphanClickIds()).isNotEmpty();
    assertThat(truth.beyondWindowClickIds()).isNotEmpty();
    assertThat(sink.isClosed()).as("run() leaves closing to the caller").isFalse();
  }

  @Test
  void malformedRecordsAreExactlyTheUnusableOnes() {
    for (RecordingTrafficSink.Recorded r : sink.records(Topic.IMPRESSIONS)) {
      boolean usable = TestJson.isObject(r.value()) && TestJson.object(r.value()).containsKey("impression_id");
      assertThat(usable).as("impression %d", r.index()).isEqualTo(!malformed(r));
    }
    for (RecordingTrafficSink.Recorded r : sink.records(Topic.CLICKS)) {
      boolean usable = TestJson.isObject(r.value()) && TestJson.object(r.value()).containsKey("impression_id");
      assertThat(usable).as("click %d", r.index()).isEqualTo(!malformed(r));
    }
    for (RecordingTrafficSink.Recorded r : sink.records(Topic.SPANS)) {
      if (malformed(r)) {
        assertThatThrownBy(() -> ExportTraceServiceRequest.parseFrom(r.value())).as("spans %d", r.index())
            .isInstanceOf(com.google.protobuf.InvalidProtocolBufferException.class);
      } else {
        assertThat(OtlpSpans.parse(r.value()).getResourceSpansCount()).isPositive();
      }
    }
  }

  @Test
  void impressionsAndClicksPerVariantMatchTheTruth() {
    Map<String, Map<String, Object>> impressions = new HashMap<>();
    int validImpressionRecords = 0;
    for (RecordingTrafficSink.Recorded r : sink.records(Topic.IMPRESSIONS)) {
      if (!malformed(r)) {
        Map<String, Object> imp = TestJson.object(r.value());
        impressions.put((String) imp.get("impression_id"), imp);
        validImpressionRecords++;
      }
    }
    assertThat(impressions).hasSize(truth.totals().impressions());
    assertThat(validImpressionRecords - impressions.size()).isEqualTo(truth.duplicates().get(Topic.IMPRESSIONS));
    assertThat(impressions.keySet()).doesNotContainAnyElementsOf(truth.lostImpressionIds());

    Map<String, Map<String, Object>> clicks = new HashMap<>();
    for (RecordingTrafficSink.Recorded r : sink.records(Topic.CLICKS)) {
      if (!malformed(r)) {
        Map<String, Object> c = TestJson.object(r.value());
        clicks.put((String) c.get("click_id"), c);
      }
    }
    Set<String> orphans = new HashSet<>();
    Set<String> beyond = new HashSet<>();
    Map<String, Integer> validClicksByVariant = new HashMap<>();
    for (Map<String, Object> c : clicks.values()) {
      Map<String, Object> imp = impressions.get((String) c.get("impression_id"));
      if (imp == null) {
        orphans.add((String) c.get("click_id"));
        continue;
      }
      long delay = OtlpOutputTest.epochMs(c.get("timestamp")) - OtlpOutputTest.epochMs(imp.get("timestamp"));
      assertThat(delay).isPositive();
      if (delay > config.attributionWindowMs()) {
        beyond.add((String) c.get("click_id"));
        continue;
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> experiments = (Map<String, Object>) imp.get("experiments");
      experiments.forEach((e, v) -> validClicksByVariant.merge(e + "/" + v, 1, Integer::sum));
    }
    assertThat(orphans).containsExactlyInAnyOrderElementsOf(truth.orphanClickIds());
    assertThat(beyond).containsExactlyInAnyOrderElementsOf(truth.beyondWindowClickIds());

    for (GroundTruth.VariantTruth v : truth.variants()) {
      String key = v.experiment() + "/" + v.variant();
      List<Map<String, Object>> ofVariant = impressions.values().stream()
          .filter(imp -> v.variant().equals(((Map<?, ?>) imp.get("experiments")).get(v.experiment())))
          .toList();
      assertThat(ofVariant).as(key).hasSize(v.impressions());
      assertThat(ofVariant.stream().mapToInt(imp -> ((List<?>) imp.get("items")).size()).sum())
          .isEqualTo(v.itemImpressions());
      assertThat(ofVariant.stream().map(imp -> imp.get("user_id")).distinct().count()).isEqualTo(v.units());
      assertThat(validClicksByVariant.getOrDefault(key, 0)).as(key).isEqualTo(v.clicks());
    }
  }

  @Test
  void hybridLiftIsVisibleInTheTruth() {
    double control = truth.variant("rec_algorithm_v3", "control").ctr();
    double hybrid = truth.variant("rec_algorithm_v3", "hybrid").ctr();
    assertThat(control).isBetween(0.08, 0.12);
    assertThat(hybrid - control).isBetween(0.005, 0.055);
  }

  @Test
  void recordsAreOutOfOrderInEventTime() {
    long maxSeen = Long.MIN_VALUE;
    int regressions = 0;
    for (RecordingTrafficSink.Recorded r : sink.records(Topic.IMPRESSIONS)) {
      if (malformed(r)) {
        continue;
      }
      long ts = OtlpOutputTest.epochMs(TestJson.object(r.value()).get("timestamp"));
      if (ts < maxSeen) {
        regressions++;
      }
      maxSeen = Math.max(maxSeen, ts);
    }
    assertThat(regressions).isGreaterThan(truth.late().get(Topic.IMPRESSIONS) / 2);
    List<RecordingTrafficSink.Recorded> all = sink.all();
    for (int i = 1; i < all.size(); i++) {
      assertThat(all.get(i).timestampMs()).as("emission order").isGreaterThanOrEqualTo(all.get(i - 1).timestampMs());
    }
  }

  @Test
  void groundTruthJsonParsesAndCarriesTheCounts() {
    Map<String, Object> json = TestJson.object(truth.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Map<?, ?> totals = (Map<?, ?>) json.get("totals");
    assertThat(totals.get("impressions")).isEqualTo((long) truth.totals().impressions());
    Map<?, ?> hybrid = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) json.get("experiments")).get("rec_algorithm_v3"))
        .get("hybrid");
    assertThat(hybrid.get("clicks")).isEqualTo((long) truth.variant("rec_algorithm_v3", "hybrid").clicks());
    List<?> malformedRecords = (List<?>) ((Map<?, ?>) json.get("malformed")).get("records");
    assertThat(malformedRecords).hasSize(truth.malformed().size());
    assertThat(((Map<?, ?>) json.get("dropped_baggage")).get("requests"))
        .isEqualTo((long) truth.droppedBaggageTraces().size());
  }
}
