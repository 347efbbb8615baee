package io.recolens.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.recolens.model.ExponentialHistogram;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Simulated experiments with known truth: A/A false-positive rates (fixed horizon, and always valid under
 * continuous peeking), coverage of an injected lift, CUPED's variance reduction, and the percentile bootstrap.
 * Seeded and on plain arrays, so they are fast and give the same answer every run. Bounds are 99.9% binomial
 * intervals around the nominal rate (normal approximation: ±3.29 standard errors).
 */
class SimulationChecksTest {
    private static final double ALPHA = 0.05;

    /** Units with their own click propensity (Beta-like spread), several slates each: clustered like real traffic. */
    private static double[] unit(SplittableRandom r, double meanCtr, double lift) {
        double impressions = 1 + r.nextInt(8);
        double items = impressions * 10;
        double propensity = Math.min(1, meanCtr * (0.2 + 1.6 * r.nextDouble()) * (1 + lift));
        double clicks = 0;
        for (int i = 0; i < items; i++) if (r.nextDouble() < propensity) clicks++;
        return new double[] {impressions, items, clicks};
    }

    private static double upper(double rate, int n) {
        return rate + 3.29 * Math.sqrt(rate * (1 - rate) / n);
    }

    private static double lower(double rate, int n) {
        return rate - 3.29 * Math.sqrt(rate * (1 - rate) / n);
    }

    @Test
    void aaFixedHorizonFalsePositiveRateIsAlpha() {
        SplittableRandom r = new SplittableRandom(20261130);
        int experiments = 1000;
        int rejectedRatio = 0;
        int rejectedWelch = 0;
        for (int e = 0; e < experiments; e++) {
            RatioAccumulator[] itemCtr = {new RatioAccumulator(), new RatioAccumulator()};
            RatioAccumulator[] perUnit = {new RatioAccumulator(), new RatioAccumulator()};
            for (int v = 0; v < 2; v++) {
                for (int u = 0; u < 300; u++) {
                    double[] s = unit(r, 0.1, 0);
                    itemCtr[v].add(s[2], s[1]);
                    perUnit[v].add(s[2], 1);
                }
            }
            RatioEstimate t = itemCtr[1].estimate();
            RatioEstimate c = itemCtr[0].estimate();
            double[] rel = Lift.relative(t.value(), t.variance(), c.value(), c.variance());
            if (Lift.twoSidedP(rel[0] / Math.sqrt(rel[1])) < ALPHA) rejectedRatio++;
            RatioEstimate mt = perUnit[1].estimate();
            RatioEstimate mc = perUnit[0].estimate();
            if (Lift.welchP(mt.value() - mc.value(), mt.variance(), mt.units(), mc.variance(), mc.units()) < ALPHA) rejectedWelch++;
        }
        double fpr = rejectedRatio / (double) experiments;
        double fprWelch = rejectedWelch / (double) experiments;
        System.out.printf("A/A fixed horizon over %d experiments: delta-method FPR %.3f, Welch FPR %.3f%n", experiments, fpr, fprWelch);
        assertThat(fpr).isBetween(lower(ALPHA, experiments), upper(ALPHA, experiments));
        assertThat(fprWelch).isBetween(lower(ALPHA, experiments), upper(ALPHA, experiments));
    }

    @Test
    void aaAlwaysValidStaysUnderAlphaWhilePeekingAtTheFixedTestInflatesIt() {
        SplittableRandom r = new SplittableRandom(7);
        int experiments = 500;
        int looks = 20;
        int alwaysValidRejected = 0;
        int naiveRejected = 0;
        for (int e = 0; e < experiments; e++) {
            RatioAccumulator[] acc = {new RatioAccumulator(), new RatioAccumulator()};
            Msprt.Sequence sequence = new Msprt.Sequence(Msprt.DEFAULT_TAU, ALPHA);
            boolean naive = false;
            for (int look = 0; look < looks; look++) {
                for (int v = 0; v < 2; v++) {
                    for (int u = 0; u < 40; u++) {
                        double[] s = unit(r, 0.1, 0);
                        acc[v].add(s[2], s[1]);
                    }
                }
                RatioEstimate t = acc[1].estimate();
                RatioEstimate c = acc[0].estimate();
                double[] rel = Lift.relative(t.value(), t.variance(), c.value(), c.variance());
                sequence.look(rel[0], rel[1]);
                naive |= Lift.twoSidedP(rel[0] / Math.sqrt(rel[1])) < ALPHA;
            }
            if (sequence.pValue() < ALPHA) alwaysValidRejected++;
            if (naive) naiveRejected++;
        }
        double alwaysValid = alwaysValidRejected / (double) experiments;
        double peeking = naiveRejected / (double) experiments;
        System.out.printf("A/A with %d looks over %d experiments: always-valid FPR %.3f, fixed-horizon test read at every look %.3f%n",
                looks, experiments, alwaysValid, peeking);
        assertThat(alwaysValid).isLessThanOrEqualTo(upper(ALPHA, experiments));
        // The check has teeth: peeking at the fixed-horizon test fails the same bound.
        assertThat(peeking).isGreaterThan(upper(ALPHA, experiments));
    }

    @Test
    void anInjectedLiftIsRecoveredAtTheStatedCoverage() {
        SplittableRandom r = new SplittableRandom(99);
        int experiments = 500;
        double trueLift = 0.10;
        int covered = 0;
        int alwaysValidCovered = 0;
        int detected = 0;
        for (int e = 0; e < experiments; e++) {
            RatioAccumulator[] acc = {new RatioAccumulator(), new RatioAccumulator()};
            Msprt.Sequence sequence = new Msprt.Sequence(Msprt.DEFAULT_TAU, ALPHA);
            for (int look = 0; look < 5; look++) {
                for (int v = 0; v < 2; v++) {
                    for (int u = 0; u < 200; u++) {
                        double[] s = unit(r, 0.1, v == 1 ? trueLift : 0);
                        acc[v].add(s[2], s[1]);
                    }
                }
                RatioEstimate t = acc[1].estimate();
                RatioEstimate c = acc[0].estimate();
                double[] rel = Lift.relative(t.value(), t.variance(), c.value(), c.variance());
                sequence.look(rel[0], rel[1]);
            }
            RatioEstimate t = acc[1].estimate();
            RatioEstimate c = acc[0].estimate();
            double[] rel = Lift.relative(t.value(), t.variance(), c.value(), c.variance());
            double h = 1.959964 * Math.sqrt(rel[1]);
            if (rel[0] - h <= trueLift && trueLift <= rel[0] + h) covered++;
            if (rel[0] - h > 0) detected++;
            double[] av = sequence.interval();
            if (av[0] <= trueLift && trueLift <= av[1]) alwaysValidCovered++;
        }
        double coverage = covered / (double) experiments;
        double avCoverage = alwaysValidCovered / (double) experiments;
        System.out.printf("+10%% injected over %d experiments: 95%% CI coverage %.3f, always-valid coverage %.3f, power %.3f%n",
                experiments, coverage, avCoverage, detected / (double) experiments);
        assertThat(coverage).isBetween(lower(0.95, experiments), upper(0.95, experiments));
        assertThat(avCoverage).isGreaterThanOrEqualTo(lower(0.95, experiments));
        assertThat(detected / (double) experiments).isGreaterThan(0.8);
    }

    @Test
    void cupedLowersVarianceAndKeepsTheEstimateUnbiased() {
        SplittableRandom r = new SplittableRandom(5);
        int experiments = 300;
        double trueLift = 0.05;
        List<Double> rawLifts = new ArrayList<>();
        List<Double> cupedLifts = new ArrayList<>();
        double reduction = 0;
        for (int e = 0; e < experiments; e++) {
            List<Cuped.Units> variants = new ArrayList<>();
            for (int v = 0; v < 2; v++) {
                int n = 400;
                double[] yNum = new double[n], yDen = new double[n], xNum = new double[n], xDen = new double[n];
                for (int u = 0; u < n; u++) {
                    // A persistent propensity makes the pre-exposure period predict the experiment period.
                    double propensity = 0.1 * (0.1 + 1.8 * r.nextDouble());
                    double items = 10 * (1 + r.nextInt(8));
                    double preItems = 10 * (10 + r.nextInt(20));
                    for (int i = 0; i < items; i++) if (r.nextDouble() < propensity * (v == 1 ? 1 + trueLift : 1)) yNum[u]++;
                    for (int i = 0; i < preItems; i++) if (r.nextDouble() < propensity) xNum[u]++;
                    yDen[u] = items;
                    xDen[u] = u % 10 == 0 ? 0 : preItems;
                    if (xDen[u] == 0) xNum[u] = 0; // a tenth of the units have no pre-exposure period
                }
                variants.add(new Cuped.Units(yNum, yDen, xNum, xDen));
            }
            Cuped.Result result = Cuped.adjust(variants);
            assertThat(result.applied()).isTrue();
            RatioEstimate rt = result.raw().get(1), rc = result.raw().get(0);
            RatioEstimate at = result.adjusted().get(1), ac = result.adjusted().get(0);
            rawLifts.add(rt.value() / rc.value() - 1);
            cupedLifts.add(at.value() / ac.value() - 1);
            reduction += 1 - (at.variance() + ac.variance()) / (rt.variance() + rc.variance());
        }
        double rawVar = variance(rawLifts);
        double cupedVar = variance(cupedLifts);
        System.out.printf("CUPED over %d experiments: empirical variance of the lift %.3g -> %.3g (%.0f%% less), mean estimated reduction %.0f%%, mean lift %.4f (true %.2f)%n",
                experiments, rawVar, cupedVar, 100 * (1 - cupedVar / rawVar), 100 * reduction / experiments, mean(cupedLifts), trueLift);
        assertThat(cupedVar).isLessThan(0.8 * rawVar);
        assertThat(reduction / experiments).isGreaterThan(0.2);
        // Unbiased: the mean estimate is within 3 standard errors of the truth.
        assertThat(Math.abs(mean(cupedLifts) - trueLift)).isLessThan(3 * Math.sqrt(cupedVar / experiments));
    }

    @Test
    void analysisOfOneExperimentFindsTheLiftAndFlagsNothingElse() {
        SplittableRandom r = new SplittableRandom(3);
        List<ExperimentAnalysis.UnitDay> rows = new ArrayList<>();
        String[] variants = {"control", "hybrid", "same"};
        for (int v = 0; v < 3; v++) {
            for (int u = 0; u < 1500; u++) {
                int day = u % 3;
                double[] s = unit(r, 0.1, v == 1 ? 0.25 : 0);
                rows.add(new ExperimentAnalysis.UnitDay(variants[v], variants[v] + u, day, s[0], s[1], s[2]));
            }
        }
        ExperimentAnalysis.Result result = ExperimentAnalysis.analyze(rows, Map.of(), "control", ExperimentAnalysis.Settings.defaults());
        assertThat(result.srm().mismatch()).isFalse();
        assertThat(result.cupedAvailable()).isFalse();
        for (ExperimentAnalysis.MetricResult m : result.metrics()) {
            if (m.variant().equals("hybrid")) {
                assertThat(m.adjustedPValue()).as(m.metric()).isLessThan(0.001);
                assertThat(m.relativeCi()[0]).as(m.metric()).isGreaterThan(0.1);
                assertThat(m.alwaysValidPValue()).as(m.metric()).isLessThan(ALPHA);
            } else {
                assertThat(m.adjustedPValue()).as(m.metric()).isGreaterThan(ALPHA);
            }
            assertThat(m.adjustedPValue()).isGreaterThanOrEqualTo(m.pValue());
        }
        assertThat(result.ctrOverTime().get("hybrid")).hasSize(3);
    }

    @Test
    void percentileBootstrapCoversTheTrueDifference() {
        SplittableRandom r = new SplittableRandom(11);
        int experiments = 150;
        int covered = 0;
        // Lognormal latencies: control median 10 ms, treatment median 12 ms, sigma 0.5; true p95s from the model.
        double z95 = 1.6448536269514722;
        double trueDiff = (12 * Math.exp(0.5 * z95)) - (10 * Math.exp(0.5 * z95));
        for (int e = 0; e < experiments; e++) {
            ExponentialHistogram t = new ExponentialHistogram();
            ExponentialHistogram c = new ExponentialHistogram();
            for (int i = 0; i < 3000; i++) {
                t.add(Math.round(12_000 * Math.exp(0.5 * gaussian(r))));
                c.add(Math.round(10_000 * Math.exp(0.5 * gaussian(r))));
            }
            HistogramBootstrap.Result b = HistogramBootstrap.percentileDifference(t, c, 0.95, 300, ALPHA, e);
            if (b.low() <= trueDiff && trueDiff <= b.high()) covered++;
        }
        double coverage = covered / (double) experiments;
        System.out.printf("p95 difference bootstrap over %d experiments: coverage %.3f%n", experiments, coverage);
        assertThat(coverage).isBetween(lower(0.95, experiments), upper(0.95, experiments) + 0.01);
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    private static double mean(List<Double> x) {
        return x.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private static double variance(List<Double> x) {
        double m = mean(x);
        return x.stream().mapToDouble(v -> (v - m) * (v - m)).sum() / (x.size() - 1);
    }
}
