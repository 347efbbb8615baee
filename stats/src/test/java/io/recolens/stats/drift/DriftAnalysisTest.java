package io.recolens.stats.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DriftAnalysisTest {
    private static final DriftAnalysis.Settings SETTINGS = DriftAnalysis.Settings.defaults();

    @Test
    void aFeatureVersionSwitchInOneSegmentIsAttributedToTheVersionAndTheSegment() {
        SignalCounts baseline = new SignalCounts();
        SignalCounts window = new SignalCounts();
        for (String segment : new String[] {"new", "returning", "power"}) {
            baseline.add("user_embedding@v12", 300, Map.of(DriftAnalysis.SEGMENT, segment));
            baseline.add("item_popularity@v7", 300, Map.of(DriftAnalysis.SEGMENT, segment));
            window.add(segment.equals("power") ? "user_embedding@v12b" : "user_embedding@v12", 300, Map.of(DriftAnalysis.SEGMENT, segment));
            window.add("item_popularity@v7", 300, Map.of(DriftAnalysis.SEGMENT, segment));
        }
        DriftAnalysis.Comparison c = DriftAnalysis.compare("feature_versions", DriftAnalysis.Rule.BIN_IS_SIGNAL, baseline, window, SETTINGS);
        assertThat(c.drifted()).isTrue();
        assertThat(c.topBin()).isEqualTo("user_embedding@v12b");
        assertThat(c.contributorKind()).isEqualTo("feature");
        assertThat(c.contributor()).isEqualTo("user_embedding@v12b");
        assertThat(c.segment()).isEqualTo("power");
        assertThat(c.segmentShare()).isCloseTo(1.0, within(1e-12));
        assertThat(c.topBinBaselineShare()).isZero();
        assertThat(c.topBinWindowShare()).isCloseTo(1.0 / 6, within(1e-12));
        assertThat(c.sentence()).contains("feature_versions", "user_embedding@v12b", "segment power");
    }

    @Test
    void latencyIsAttributedToTheServiceWhoseBinsCarryMostOfTheDivergence() {
        SignalCounts baseline = new SignalCounts();
        SignalCounts window = new SignalCounts();
        baseline.add("ranker 4.1-5.8ms", 1000, Map.of(DriftAnalysis.SERVICE, "ranker"));
        window.add("ranker 4.1-5.8ms", 1000, Map.of(DriftAnalysis.SERVICE, "ranker"));
        baseline.add("feature-store 2-2.8ms", 1000, Map.of(DriftAnalysis.SERVICE, "feature-store"));
        window.add("feature-store 11-16ms", 1000, Map.of(DriftAnalysis.SERVICE, "feature-store"));
        DriftAnalysis.Comparison c = DriftAnalysis.compare("service_latency", DriftAnalysis.Rule.SERVICE_SUM, baseline, window, SETTINGS);
        assertThat(c.drifted()).isTrue();
        assertThat(c.contributorKind()).isEqualTo("service");
        assertThat(c.contributor()).isEqualTo("feature-store");
        assertThat(c.contributorShare()).isCloseTo(1.0, within(1e-12));
        assertThat(c.segment()).isNull();
    }

    @Test
    void aScoreShiftIsAttributedToTheFeatureVersionWhoseRowsMoved() {
        SignalCounts baseline = new SignalCounts();
        SignalCounts window = new SignalCounts();
        for (int i = 0; i < 500; i++) {
            baseline.add(i % 2 == 0 ? "d0" : "d1", 1, Map.of(DriftAnalysis.SEGMENT, i % 3 == 0 ? "new" : "power", "feature:user_embedding", "user_embedding@v12"));
            boolean switched = i % 4 == 0;
            window.add(switched ? "d9" : i % 2 == 0 ? "d0" : "d1", 1, Map.of(DriftAnalysis.SEGMENT, i % 3 == 0 ? "new" : "power",
                    "feature:user_embedding", switched ? "user_embedding@v13" : "user_embedding@v12"));
        }
        DriftAnalysis.Comparison c = DriftAnalysis.compare("ranking_score", DriftAnalysis.Rule.LARGEST_PART, baseline, window, SETTINGS);
        assertThat(c.drifted()).isTrue();
        assertThat(c.topBin()).isEqualTo("d9");
        assertThat(c.contributorKind()).isEqualTo("feature");
        assertThat(c.contributor()).isEqualTo("user_embedding@v13");
        assertThat(c.contributorShare()).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void sameDistributionIsNoFindingAndTooFewObservationsNoComparison() {
        SignalCounts baseline = new SignalCounts();
        SignalCounts window = new SignalCounts();
        baseline.add("a", 500, Map.of());
        baseline.add("b", 500, Map.of());
        window.add("a", 490, Map.of());
        window.add("b", 510, Map.of());
        DriftAnalysis.Comparison c = DriftAnalysis.compare("ranking_score", DriftAnalysis.Rule.LARGEST_PART, baseline, window, SETTINGS);
        assertThat(c.drifted()).isFalse();
        assertThat(c.divergence()).isLessThan(0.001);
        SignalCounts small = new SignalCounts();
        small.add("a", 199, Map.of());
        assertThat(DriftAnalysis.compare("ranking_score", DriftAnalysis.Rule.LARGEST_PART, baseline, small, SETTINGS)).isNull();
    }

    @Test
    void aLargeDivergenceWithinTheNoiseOfManySparseBinsIsNoFinding() {
        SignalCounts baseline = new SignalCounts();
        SignalCounts window = new SignalCounts();
        // 400 bins of one observation each side, all different: divergence 1, but the noise floor is far above it / 3.
        for (int i = 0; i < 400; i++) {
            baseline.add("b" + i, 1, Map.of());
            window.add("w" + i, 1, Map.of());
        }
        DriftAnalysis.Comparison c = DriftAnalysis.compare("item_popularity_served", DriftAnalysis.Rule.LARGEST_PART, baseline, window,
                new DriftAnalysis.Settings(0.02, 3.0, 100));
        assertThat(c.divergence()).isCloseTo(1.0, within(1e-9));
        assertThat(c.noiseFloor()).isGreaterThan(1.0 / 3);
        assertThat(c.drifted()).isFalse();
    }
}
