package io.recolens.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The tests and intervals against published reference values; each test names its source. */
class ReferenceValuesTest {

    @Test
    void normalQuantileAndZTest() {
        // Any normal table (e.g. Abramowitz and Stegun 26.2): z(0.975) = 1.959964, P(|Z| > 1.96) = 0.0499958.
        assertThat(Lift.normalQuantile(0.975)).isCloseTo(1.959964, within(1e-6));
        assertThat(Lift.twoSidedP(1.96)).isCloseTo(0.0499958, within(1e-7));
        assertThat(Lift.twoSidedP(-2.575829)).isCloseTo(0.01, within(1e-7));
    }

    @Test
    void welchOnStudentsSleepData() {
        // R: t.test(extra ~ group, data = sleep) -> t = -1.8608, df = 17.776, p-value = 0.07939,
        // 95 percent confidence interval: -3.3654832 0.2054832 (R's datasets::sleep, Cushny and Peebles 1905).
        double[] g1 = {0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0};
        double[] g2 = {1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4};
        RatioEstimate e1 = mean(g1);
        RatioEstimate e2 = mean(g2);
        double d = e1.value() - e2.value();
        assertThat(d / Math.sqrt(e1.variance() + e2.variance())).isCloseTo(-1.8608, within(1e-4));
        assertThat(Lift.welchDf(e1.variance(), 10, e2.variance(), 10)).isCloseTo(17.776, within(1e-3));
        assertThat(Lift.welchP(d, e1.variance(), 10, e2.variance(), 10)).isCloseTo(0.07939, within(1e-5));
        double q = Lift.welchQuantile(0.05, e1.variance(), 10, e2.variance(), 10);
        double se = Math.sqrt(e1.variance() + e2.variance());
        assertThat(d - q * se).isCloseTo(-3.3654832, within(1e-6));
        assertThat(d + q * se).isCloseTo(0.2054832, within(1e-6));
    }

    @Test
    void pearsonChiSquaredOnMendelsPeas() {
        // Mendel's dihybrid cross against 9:3:3:1; R: chisq.test(c(315, 108, 101, 32), p = c(9, 3, 3, 1) / 16)
        // -> X-squared = 0.47002, df = 3, p-value = 0.9254.
        SampleRatio.Result r = SampleRatio.test(new long[] {315, 108, 101, 32}, new double[] {9, 3, 3, 1});
        assertThat(r.chi2()).isCloseTo(0.47002, within(1e-5));
        assertThat(r.pValue()).isCloseTo(0.9254, within(1e-4));
        assertThat(r.mismatch()).isFalse();
        // A 50/50 split observed as 5,200 / 4,800: chi2 = 16, p = 6.33e-5 (chi-squared table, 1 df): flagged.
        SampleRatio.Result srm = SampleRatio.test(new long[] {5200, 4800}, null);
        assertThat(srm.chi2()).isCloseTo(16.0, within(1e-9));
        assertThat(srm.pValue()).isCloseTo(6.334e-5, within(1e-8));
        assertThat(srm.mismatch()).isTrue();
    }

    @Test
    void wilsonIntervalsOfNewcombe1998() {
        // Newcombe (1998), Statistics in Medicine 17:857-872, Table I, method 3 (Wilson score, no correction).
        assertInterval(Proportions.wilson(81, 263, 0.05), 0.2553, 0.3662);
        assertInterval(Proportions.wilson(15, 148, 0.05), 0.0624, 0.1605);
        assertInterval(Proportions.wilson(0, 20, 0.05), 0.0, 0.1611);
        assertInterval(Proportions.wilson(1, 29, 0.05), 0.0061, 0.1718);
    }

    @Test
    void twoProportionZTestEqualsUncorrectedChiSquared() {
        // 130/1000 vs 100/1000: R prop.test(c(130, 100), c(1000, 1000), correct = FALSE) -> X-squared = 4.4215,
        // p-value = 0.03549 (also scipy.stats.chi2_contingency(correction=False): 4.421518, 0.0354885).
        assertThat(Proportions.twoProportionP(130, 1000, 100, 1000)).isCloseTo(0.0354885, within(1e-7));
    }

    @Test
    void deltaMethodOnAWorkedExample() {
        // Three units with (clicks, impressions) (1, 4), (2, 6), (3, 10): R = 6/20 = 0.3, s_c^2 = 1, s_n^2 = 28/3,
        // s_cn = 3, n-bar = 20/3; Var(R) = (1 - 2*0.3*3 + 0.09*28/3) / (3 * 400/9) = 0.04 / 133.33 = 0.0003
        // (the formula of Deng, Knoblich, Lu 2018, "Applying the delta method in metric analytics", eq. 4, by hand).
        RatioEstimate e = new RatioAccumulator().add(1, 4).add(2, 6).add(3, 10).estimate();
        assertThat(e.value()).isCloseTo(0.3, within(1e-12));
        assertThat(e.variance()).isCloseTo(0.0003, within(1e-15));
        // Relative lift of 0.33 (var 1e-4) over 0.30 (var 1e-4): 0.1, var = 1e-4/0.09 + 0.1089*1e-4/0.0081.
        double[] rel = Lift.relative(0.33, 1e-4, 0.30, 1e-4);
        assertThat(rel[0]).isCloseTo(0.1, within(1e-12));
        assertThat(rel[1]).isCloseTo(1e-4 / 0.09 + 0.1089 * 1e-4 / 0.0081, within(1e-15));
    }

    @Test
    void benjaminiHochbergAsRsPAdjust() {
        // R: p.adjust(c(0.01, 0.04, 0.03, 0.005, 0.5), "BH") -> 0.025 0.05 0.05 0.025 0.5
        double[] adjusted = BenjaminiHochberg.adjust(new double[] {0.01, 0.04, 0.03, 0.005, 0.5});
        assertThat(adjusted).containsExactly(new double[] {0.025, 0.05, 0.05, 0.025, 0.5}, within(1e-12));
        assertThat(BenjaminiHochberg.adjust(new double[] {Double.NaN, 0.02})).containsExactly(Double.NaN, 0.02);
    }

    @Test
    void msprtIntervalIsWhereTheLikelihoodRatioCrossesOneOverAlpha() {
        double v = 0.0004;
        double tau2 = 0.01;
        double h = Msprt.halfWidth(v, tau2, 0.05);
        assertThat(Msprt.logLikelihoodRatio(0.05 + h, v, tau2, 0.05)).isCloseTo(Math.log(20), within(1e-9));
        // Wider than the fixed-horizon interval: the price of reading it at any time.
        assertThat(h).isGreaterThan(1.96 * Math.sqrt(v));
        assertThat(Msprt.pValue(0.0, v, tau2)).isEqualTo(1.0);
    }

    private static RatioEstimate mean(double[] x) {
        RatioAccumulator a = new RatioAccumulator();
        Arrays.stream(x).forEach(v -> a.add(v, 1));
        return a.estimate();
    }

    private static void assertInterval(double[] ci, double low, double high) {
        assertThat(ci[0]).isCloseTo(low, within(5e-5));
        assertThat(ci[1]).isCloseTo(high, within(5e-5));
    }
}
