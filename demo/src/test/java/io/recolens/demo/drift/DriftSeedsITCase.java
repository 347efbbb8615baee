package io.recolens.demo.drift;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recolens.simulator.RecordingTrafficSink;
import io.recolens.simulator.SimulatorConfig;
import io.recolens.simulator.Topic;
import io.recolens.simulator.TrafficSimulator;
import io.recolens.stats.drift.DriftAnalysis;
import io.recolens.stats.drift.SignalCounts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The drift rule's error rates over 20 seeded simulator runs each way, measured on the impressions the simulator
 * emits (the rows lineage_history holds; DriftITCase covers the path through the job and Iceberg): without an
 * injection no comparison may be a finding (false-positive rate), and with the power cohort of
 * rec_algorithm_v3=hybrid switching user_embedding halfway every run must find it there, attributed to the version
 * and the cohort, and nowhere in the variants without switched users. service_latency is not covered here (its
 * histograms come from the job's aggregation).
 */
class DriftSeedsITCase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
    private static final int SEEDS = 20;
    /** 3000 requests at 10 per second: five minutes; baseline the first half, window the second. */
    private static final long HALF_MS = 150_000;

    @Test
    void noFalsePositiveWithoutDriftAndTheSwitchFoundAndAttributedInEveryRun() throws Exception {
        int comparisons = 0;
        int falsePositives = 0;
        Map<String, Double> maxNull = new TreeMap<>();
        int found = 0;
        double minFound = Double.MAX_VALUE;
        for (int seed = 1; seed <= SEEDS; seed++) {
            SimulatorConfig plain = SimulatorConfig.builder().seed(seed).requests(3_000).users(800).requestsPerSecond(10)
                    .startEpochMs(START.toEpochMilli()).clean().build();
            for (DriftRun.Result r : compare(plain)) {
                comparisons++;
                if (r.comparison().drifted()) falsePositives++;
                maxNull.merge(r.comparison().signal(), r.comparison().divergence(), Math::max);
            }
            for (DriftRun.Result r : compare(plain.toBuilder().featureDrift("power", HALF_MS).featureDriftVariant("rec_algorithm_v3=hybrid").build())) {
                DriftAnalysis.Comparison c = r.comparison();
                boolean switchedVariant = r.experiment().equals("rec_algorithm_v3") && r.variant().equals("hybrid");
                if (switchedVariant && c.signal().equals(DriftScan.FEATURE_VERSIONS)) {
                    assertThat(c.drifted()).as("seed %d: %s", seed, c).isTrue();
                    assertThat(c.contributor()).isEqualTo("user_embedding@v16");
                    assertThat(c.segment()).isEqualTo("power");
                    found++;
                    minFound = Math.min(minFound, c.divergence());
                } else if (r.experiment().equals("rec_algorithm_v3") || !c.signal().equals(DriftScan.FEATURE_VERSIONS)) {
                    // No switched user there, or a signal the switch does not change.
                    assertThat(c.drifted()).as("seed %d: %s/%s %s", seed, r.experiment(), r.variant(), c).isFalse();
                }
            }
        }
        System.out.printf("drift over %d seeds: %d comparisons without injection, %d false positives; largest divergence per signal %s;"
                + " injected switch found %d/%d, smallest divergence %.4f%n", SEEDS, comparisons, falsePositives, maxNull, found, SEEDS, minFound);
        assertThat(comparisons).isGreaterThan(SEEDS * 10);
        assertThat(falsePositives).isZero();
        assertThat(found).isEqualTo(SEEDS);
    }

    /** The comparisons drift makes on one simulated run's impressions and clicks. */
    private static List<DriftRun.Result> compare(SimulatorConfig config) throws Exception {
        RecordingTrafficSink sink = new RecordingTrafficSink();
        new TrafficSimulator().run(config, sink);
        Map<String, List<String>> clicks = new HashMap<>();
        for (RecordingTrafficSink.Recorded r : sink.records(Topic.CLICKS)) {
            JsonNode c = JSON.readTree(r.value());
            clicks.computeIfAbsent(c.get("impression_id").asText(), k -> new ArrayList<>()).add(c.get("item_id").asText());
        }
        List<DriftScan.Impression> baseline = new ArrayList<>();
        List<DriftScan.Impression> window = new ArrayList<>();
        for (RecordingTrafficSink.Recorded r : sink.records(Topic.IMPRESSIONS)) {
            JsonNode n = JSON.readTree(r.value());
            long ts = n.get("timestamp").isNumber() ? n.get("timestamp").asLong() : Instant.parse(n.get("timestamp").asText()).toEpochMilli();
            (ts < START.toEpochMilli() + HALF_MS ? baseline : window).add(impression(n, clicks));
        }
        DriftScan.Census census = new DriftScan.Census();
        baseline.forEach(census::baseline);
        window.forEach(census::window);
        Map<DriftScan.Key, SignalCounts> b = DriftScan.newCounts();
        Map<DriftScan.Key, SignalCounts> w = DriftScan.newCounts();
        Map<String, String> tiers = census.tiers();
        double[] edges = census.scoreEdges();
        baseline.forEach(i -> DriftScan.add(b, i, tiers, edges));
        window.forEach(i -> DriftScan.add(w, i, tiers, edges));
        return DriftRun.compare(new DriftScan.Counts(b, w), DriftAnalysis.Settings.defaults());
    }

    /** The impression as the job records it: segment from the baggage's user.cohort, as VariantResolution reads it. */
    private static DriftScan.Impression impression(JsonNode n, Map<String, List<String>> clicks) {
        String segment = null;
        for (String member : n.get("baggage").asText().split(",")) {
            String[] kv = member.trim().split("=", 2);
            if (kv.length == 2 && kv[0].equals("user.cohort")) segment = kv[1];
        }
        Map<String, String> experiments = new TreeMap<>();
        n.get("experiments").fields().forEachRemaining(e -> experiments.put(e.getKey(), e.getValue().asText()));
        List<DriftScan.Feature> features = new ArrayList<>();
        n.get("features").fields().forEachRemaining(e -> features.add(new DriftScan.Feature(e.getKey(), e.getValue().get("version").asText())));
        List<DriftScan.Item> items = new ArrayList<>();
        n.get("items").forEach(i -> items.add(new DriftScan.Item(i.get("item_id").asText(), i.get("score").asDouble())));
        return new DriftScan.Impression(segment, experiments, features, items,
                clicks.getOrDefault(n.get("impression_id").asText(), List.of()));
    }
}
