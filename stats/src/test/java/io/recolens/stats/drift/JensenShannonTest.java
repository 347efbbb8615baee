package io.recolens.stats.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class JensenShannonTest {

    @Test
    void equalDistributionsDivergeByZeroAndDisjointOnesByOneBit() {
        assertThat(JensenShannon.compare(Map.of("a", 10L, "b", 30L), Map.of("a", 1L, "b", 3L)).divergence()).isEqualTo(0.0);
        assertThat(JensenShannon.compare(Map.of("a", 10L), Map.of("b", 7L)).divergence()).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void matchesAHandComputedValueAndIsSymmetric() {
        // p = (0.5, 0.5, 0), q = (0.25, 0.25, 0.5): m = (0.375, 0.375, 0.25).
        double expected = 0.5 * (2 * 0.5 * log2(0.5 / 0.375)) + 0.5 * (2 * 0.25 * log2(0.25 / 0.375) + 0.5 * log2(0.5 / 0.25));
        JensenShannon.Result r = JensenShannon.compare(Map.of("a", 2L, "b", 2L), Map.of("a", 1L, "b", 1L, "c", 2L));
        assertThat(r.divergence()).isCloseTo(expected, within(1e-12));
        assertThat(JensenShannon.compare(Map.of("a", 1L, "b", 1L, "c", 2L), Map.of("a", 2L, "b", 2L)).divergence())
                .isCloseTo(expected, within(1e-12));
        // The bin empty on one side is finite and the largest term; terms add up to the total.
        assertThat(r.topBin()).isEqualTo("c");
        assertThat(r.contributions().get("c")).isCloseTo(0.25, within(1e-12));
        assertThat(r.contributions().values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(r.divergence(), within(1e-12));
        assertThat(r.contributions().values()).allMatch(t -> t >= 0);
    }

    @Test
    void noiseFloorPredictsTheDivergenceOfTwoSamplesOfOneDistribution() {
        Random random = new Random(5);
        double[] p = {0.4, 0.3, 0.2, 0.1};
        double sum = 0;
        int trials = 400;
        for (int t = 0; t < trials; t++) {
            sum += JensenShannon.compare(sample(p, 2000, random), sample(p, 1000, random)).divergence();
        }
        double floor = JensenShannon.noiseFloor(4, 2000, 1000);
        assertThat(sum / trials).isCloseTo(floor, within(floor * 0.15));
        assertThat(JensenShannon.noiseFloor(1, 10, 10)).isZero();
    }

    private static Map<String, Long> sample(double[] p, int n, Random random) {
        Map<String, Long> counts = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble();
            int k = 0;
            while (k < p.length - 1 && u >= p[k]) u -= p[k++];
            counts.merge("b" + k, 1L, Long::sum);
        }
        return counts;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
