package io.recolens.stats.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.recolens.model.ExponentialHistogram;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AttributionAndBinsTest {

    @Test
    void partsOfABinsMoveAddUpAndTheLargestAlignedOneWins() {
        // Bin x: baseline 100/1000 (50 new, 50 power), window 300/1000 (60 new, 240 power): the move is +0.2.
        Map<String, Map<String, Long>> baseline = Map.of("new", Map.of("x", 50L), "power", Map.of("x", 50L));
        Map<String, Map<String, Long>> window = Map.of("new", Map.of("x", 60L), "power", Map.of("x", 240L));
        Attribution.Explanation e = Attribution.largestPart("x", baseline, window, 1000, 1000);
        assertThat(e.group()).isEqualTo("power");
        assertThat(e.share()).isCloseTo(0.19 / 0.2, within(1e-12));
        assertThat(Attribution.largestPart("x", baseline, baseline, 1000, 1000)).isNull();
    }

    @Test
    void popularityTiersRankByCountAndKeepTiesTogether() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (int i = 0; i < 200; i++) counts.put("item-" + i, (long) (200 - i));
        counts.put("tied", 199L);
        Map<String, String> tiers = Bins.popularityTiers(counts);
        assertThat(tiers.get("item-0")).isEqualTo("top_1pct");
        assertThat(tiers.get("item-1")).isEqualTo(tiers.get("tied"));
        assertThat(tiers.get("item-199")).isEqualTo("bottom_50pct");
        assertThat(tiers.get("item-20")).isEqualTo("top_5_20pct");
    }

    @Test
    void scoreDecilesAndLatencyBins() {
        double[] sample = new double[100];
        for (int i = 0; i < 100; i++) sample[i] = i / 100.0;
        double[] edges = Bins.decileEdges(sample);
        assertThat(edges).hasSize(9).startsWith(0.1);
        assertThat(Bins.scoreBin(0.05, edges)).startsWith("d0 ");
        assertThat(Bins.scoreBin(0.95, edges)).startsWith("d9 ");
        assertThat(Bins.scoreBin(0.1, edges)).startsWith("d1 ");
        // Every fine bucket of one coarse bin gets one name, and a duration lands in the bin whose bounds hold it.
        int i = ExponentialHistogram.indexOf(5_000);
        assertThat(Bins.latencyBin(i)).isEqualTo("4.1-5.8ms");
        assertThat(Bins.latencyBin(ExponentialHistogram.indexOf(4_100))).isEqualTo("4.1-5.8ms");
        assertThat(Bins.latencyBin(ExponentialHistogram.indexOf(6_000))).isEqualTo("5.8-8.2ms");
    }
}
