package io.recolens.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.common.v1.AnyValue;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lineage faults: provenance spans in their own traces before traffic and, for the late lineage, after
 * impressions that reference it; a lineage no run describes; injected model-version mismatches and corrupted
 * feature hashes, each listed in the ground truth.
 */
class LineageProvenanceTest {

  private static final String LATE = "lin-ranker-3.4.0-fs-v14";
  private static final String UNTRACED = "lin-ranker-3.4.1-fs-v15";

  private static SimulatorConfig config;
  private static GroundTruth truth;
  private static final List<OtlpSpans.ServiceSpan> spans = new ArrayList<>();
  private static final List<Map<String, Object>> impressions = new ArrayList<>();

  @BeforeAll
  static void simulate() {
    config = SimulatorConfig.builder().requests(2_000).clean().lateLineageShare(0.2).untracedLineageShare(0.1)
        .lateLineageRunOffsetMs(3_000).modelMismatchShare(0.05).corruptHashShare(0.05).build();
    RecordingTrafficSink sink = new RecordingTrafficSink();
    truth = new TrafficSimulator().run(config, sink);
    sink.records(Topic.SPANS).forEach(r -> spans.addAll(OtlpSpans.flatten(OtlpSpans.parse(r.value()))));
    sink.records(Topic.IMPRESSIONS).forEach(r -> impressions.add(TestJson.object(r.value())));
  }

  @Test
  void onlyPipelineRunsCarryLineageTogetherWithAFeatureAndTheGroundTruthListsEachStep() {
    Set<String> runTraces = new HashSet<>();
    truth.lineage().runs().forEach(r -> runTraces.add(r.traceId()));
    assertThat(truth.lineage().runs()).extracting(GroundTruth.ProvenanceRun::lineageId)
        .containsExactly("lin-ranker-3.2.1-fs-v12", "lin-ranker-3.3.0-fs-v13", LATE);
    List<OtlpSpans.ServiceSpan> provenance = spans.stream()
        .filter(s -> s.attribute("lineage.id").isPresent() && s.attribute("feature.name").isPresent()).toList();
    assertThat(provenance).isNotEmpty().allSatisfy(s -> assertThat(runTraces).contains(s.traceId()));
    Map<String, Long> startByTraceAndFeature = new HashMap<>();
    provenance.forEach(s -> startByTraceAndFeature.put(s.traceId() + "/" + s.attribute("feature.name").orElseThrow().getStringValue(),
        s.span().getStartTimeUnixNano() / 1_000_000L));
    for (GroundTruth.ProvenanceRun run : truth.lineage().runs()) {
      assertThat(run.steps()).hasSize(2);
      for (GroundTruth.ProvenanceStep step : run.steps()) {
        assertThat(startByTraceAndFeature).containsEntry(run.traceId() + "/" + step.feature(), step.startMs());
        assertThat(step.endMs()).isGreaterThan(step.startMs());
      }
    }
    assertThat(provenance).noneMatch(s -> s.attribute("lineage.id").map(AnyValue::getStringValue).orElseThrow().equals(UNTRACED));
    assertThat(truth.lineage().untracedLineageIds()).containsExactly(UNTRACED);
  }

  @Test
  void theLateRunStartsAndIsSentAfterImpressionsThatReferenceItLineage() {
    GroundTruth.ProvenanceRun late = truth.lineage().runs().get(2);
    long firstStep = late.steps().stream().mapToLong(GroundTruth.ProvenanceStep::startMs).min().orElseThrow();
    List<Long> servedUnderLate = impressions.stream().filter(i -> LATE.equals(i.get("lineage_id")))
        .map(i -> time(i.get("timestamp"))).toList();
    assertThat(servedUnderLate).hasSizeGreaterThan(200).anyMatch(t -> t < firstStep).anyMatch(t -> t > firstStep);
    assertThat(late.emittedAtMs()).isGreaterThan(firstStep);
    assertThat(impressions.stream().filter(i -> UNTRACED.equals(i.get("lineage_id"))).count()).isGreaterThan(100);
  }

  @Test
  void injectedMismatchesAndCorruptHashesAreInTheRecordsAndTheGroundTruth() {
    Set<String> mismatched = new HashSet<>(truth.lineage().modelMismatchImpressionIds());
    Set<String> corrupt = new HashSet<>(truth.lineage().corruptHashImpressionIds());
    assertThat(mismatched).hasSizeBetween(50, 150);
    assertThat(corrupt).hasSizeBetween(50, 150);
    for (Map<String, Object> imp : impressions) {
      String id = (String) imp.get("impression_id");
      @SuppressWarnings("unchecked")
      Map<String, Object> model = (Map<String, Object>) imp.get("model");
      assertThat(((String) model.get("version")).endsWith("-stale")).as(id).isEqualTo(mismatched.contains(id));
      @SuppressWarnings("unchecked")
      Map<String, Map<String, Object>> features = (Map<String, Map<String, Object>>) imp.get("features");
      assertThat((String) features.get("user_embedding").get("hash")).as(id)
          .isEqualTo(corrupt.contains(id) ? "sha256:corrupt-" + id : features.get("user_embedding").get("hash"));
      assertThat(((String) features.get("user_embedding").get("hash")).startsWith("sha256:corrupt-")).isEqualTo(corrupt.contains(id));
    }
    assertThat(truth.toJson()).contains("\"provenance_runs\"", "\"model_mismatch_impressions\"", "\"corrupt_hash_impressions\"");
  }

  @Test
  void withTheFaultsOffNothingChanges() {
    SimulatorConfig off = SimulatorConfig.builder().requests(300).build();
    RecordingTrafficSink a = new RecordingTrafficSink();
    GroundTruth t = new TrafficSimulator().run(off, a);
    assertThat(t.lineage().runs()).hasSize(2);
    assertThat(t.lineage().modelMismatchImpressionIds()).isEmpty();
    assertThat(t.lineage().corruptHashImpressionIds()).isEmpty();
    assertThat(t.impressionsByLineage()).containsOnlyKeys("lin-ranker-3.2.1-fs-v12", "lin-ranker-3.3.0-fs-v13");
  }

  private static long time(Object value) {
    return value instanceof Number n ? n.longValue() : Instant.parse((String) value).toEpochMilli();
  }
}
