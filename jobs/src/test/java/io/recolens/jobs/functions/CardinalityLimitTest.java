package io.recolens.jobs.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.recolens.jobs.config.CardinalityLimits;
import io.recolens.model.EngagementRow;
import io.recolens.model.ExposureRow;
import io.recolens.model.UnitDailyRow;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class CardinalityLimitTest {
    private static final long FORGET = 10_000;
    /** 2 experiments, 2 variants each, 2 surfaces, 2 segments. */
    private static final CardinalityLimits LIMITS = new CardinalityLimits(2, 2, 2, 2, 2, 2, FORGET);
    private static final Map<String, Set<String>> KNOWN = Map.of("registered", Set.of("control", "treatment"));

    private static KeyedOneInputStreamOperatorTestHarness<String, EngagementRow, EngagementRow> engagementHarness() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, EngagementRow, EngagementRow> h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new CardinalityLimit<>(new LimitedDimensions.Engagement(), LIMITS, KNOWN,
                        TypeInformation.of(EngagementRow.class))),
                CardinalityLimit.byTable("variant_engagement"), Types.STRING);
        h.open();
        return h;
    }

    static EngagementRow row(String experiment, String variant, String surface, long impressions) {
        EngagementRow r = AdditiveAggregatorTest.row(variant, impressions, 0);
        r.experiment = experiment;
        r.surface = surface;
        return r;
    }

    private static List<String> decided(List<EngagementRow> out) {
        return out.stream().map(r -> r.experiment + "=" + r.variant + "@" + r.surface + ":" + r.impressions).sorted().toList();
    }

    @Test
    void valuesOverTheLimitGoToOverflowAndRowsWaitForTheWatermark() throws Exception {
        try (var h = engagementHarness()) {
            h.processElement(row("e3", "a", "home", 1), 1000);
            h.processElement(row("e1", "a", "home", 2), 1000);
            h.processElement(row("e2", "a", "home", 4), 1000);
            h.processElement(row("e1", "b", "home", 8), 1000);
            h.processElement(row("e1", "c", "feed", 16), 1000);
            h.processElement(row("e1", "d", "search", 32), 1000);
            assertThat(h.extractOutputValues()).isEmpty();
            h.processWatermark(new Watermark(1000));
            // Decided in key order: e1 and e2 take the two experiment slots; e1's variants a, b; surfaces feed, home.
            assertThat(decided(h.extractOutputValues())).containsExactly(
                    "__overflow__=__overflow__@home:1",
                    "e1=__overflow__@__overflow__:32",
                    "e1=__overflow__@feed:16",
                    "e1=a@home:2",
                    "e1=b@home:8",
                    "e2=a@home:4");
        }
    }

    @Test
    void theDecisionDoesNotDependOnArrivalOrder() throws Exception {
        List<String> first;
        try (var h = engagementHarness()) {
            for (EngagementRow r : manyRows()) h.processElement(r, 500);
            h.processWatermark(new Watermark(500));
            first = decided(h.extractOutputValues());
        }
        List<EngagementRow> reversed = manyRows();
        Collections.reverse(reversed);
        try (var h = engagementHarness()) {
            for (EngagementRow r : reversed) h.processElement(r, 500);
            h.processWatermark(new Watermark(500));
            assertThat(decided(h.extractOutputValues())).isEqualTo(first);
        }
        assertThat(first).anyMatch(s -> s.startsWith("__overflow__"));
    }

    private static List<EngagementRow> manyRows() {
        List<EngagementRow> rows = new ArrayList<>();
        for (int i = 0; i < 12; i++) rows.add(row("e" + (i % 5), "v" + (i % 4), "s" + (i % 3), 1L << i));
        return rows;
    }

    @Test
    void knownExperimentsAreAlwaysAdmittedAndTakeNoSlot() throws Exception {
        try (var h = engagementHarness()) {
            h.processElement(row("e1", "a", "home", 1), 1000);
            h.processElement(row("e2", "a", "home", 1), 1000);
            h.processElement(row("registered", "control", "home", 1), 1000);
            h.processElement(row("registered", "treatment", "home", 1), 1000);
            h.processElement(row("registered", "stray", "home", 1), 1000);
            h.processElement(row("e3", "a", "home", 1), 1000);
            h.processWatermark(new Watermark(1000));
            assertThat(decided(h.extractOutputValues())).containsExactly(
                    "__overflow__=__overflow__@home:1", "e1=a@home:1", "e2=a@home:1",
                    "registered=control@home:1", "registered=stray@home:1", "registered=treatment@home:1");
        }
    }

    @Test
    void unitDailyRowsOfRegisteredVariantsPassAtOnce() throws Exception {
        try (var h = new KeyedOneInputStreamOperatorTestHarness<String, UnitDailyRow, UnitDailyRow>(
                new KeyedProcessOperator<>(new CardinalityLimit<>(new LimitedDimensions.UnitDaily(), LIMITS, KNOWN,
                        TypeInformation.of(UnitDailyRow.class))),
                CardinalityLimit.byTable("experiment_unit_daily"), Types.STRING)) {
            h.open();
            UnitDailyRow known = unitRow("registered", "control", "unit-1");
            UnitDailyRow other = unitRow("e1", "x", "unit-1");
            h.processElement(known, 1000);
            h.processElement(other, 1000);
            assertThat(h.extractOutputValues()).extracting(r -> r.experiment).containsExactly("registered");
            h.processWatermark(new Watermark(1000));
            assertThat(h.extractOutputValues()).extracting(r -> r.experiment + "/" + r.unitKey)
                    .containsExactly("registered/unit-1", "e1/unit-1");
        }
    }

    @Test
    void exposuresOfExperimentsPastTheLimitGoToOverflowAndRegisteredOnesPassAtOnce() throws Exception {
        try (var h = new KeyedOneInputStreamOperatorTestHarness<String, ExposureRow, ExposureRow>(
                new KeyedProcessOperator<>(new CardinalityLimit<>(new LimitedDimensions.Exposures(), LIMITS, KNOWN,
                        TypeInformation.of(ExposureRow.class))),
                CardinalityLimit.byTable("experiment_exposures"), Types.STRING)) {
            h.open();
            h.processElement(exposure("registered", "control", "unit-1"), 1000);
            assertThat(h.extractOutputValues()).extracting(x -> x.experiment).containsExactly("registered");
            for (String experiment : List.of("rot-3", "rot-1", "rot-2")) h.processElement(exposure(experiment, "v", "unit-1"), 1000);
            h.processWatermark(new Watermark(1000));
            assertThat(h.extractOutputValues()).extracting(x -> x.experiment + "=" + x.variant + "/" + x.unitKey + " " + x.surface)
                    .containsExactly("registered=control/unit-1 home", "rot-1=v/unit-1 home", "rot-2=v/unit-1 home",
                            "__overflow__=__overflow__/unit-1 home");
        }
    }

    private static ExposureRow exposure(String experiment, String variant, String unit) {
        ExposureRow x = new ExposureRow();
        x.experiment = experiment;
        x.variant = variant;
        x.unitKey = unit;
        x.firstExposureAt = 900;
        x.impressionId = "imp-" + experiment;
        x.surface = "home";
        x.segment = "all";
        return x;
    }

    private static UnitDailyRow unitRow(String experiment, String variant, String unit) {
        UnitDailyRow r = new UnitDailyRow();
        r.experiment = experiment;
        r.variant = variant;
        r.unitKey = unit;
        r.impressions = 1;
        return r;
    }

    @Test
    void aValueUnusedForTheForgetTimeFreesItsSlotAndAUsedOneKeepsIt() throws Exception {
        try (var h = engagementHarness()) {
            h.processElement(row("e1", "a", "home", 1), 1000);
            h.processElement(row("e2", "a", "home", 1), 1000);
            h.processWatermark(new Watermark(1000));
            h.processElement(row("e2", "a", "home", 1), 8000); // e2 used again: it stays
            h.processElement(row("e3", "a", "home", 1), 8000);
            h.processWatermark(new Watermark(8000));
            assertThat(decided(h.extractOutputValues())).contains("__overflow__=__overflow__@home:1");
            h.getOutput().clear();
            // At 11000 e1 (last used 1000) has been unused for 10 s: forgotten, its slot goes to e3.
            h.processElement(row("e3", "a", "home", 1), 11_000);
            h.processElement(row("e2", "a", "home", 1), 11_000);
            h.processWatermark(new Watermark(11_000));
            assertThat(decided(h.extractOutputValues())).containsExactly("e2=a@home:1", "e3=a@home:1");
            h.getOutput().clear();
            h.processElement(row("e1", "a", "home", 1), 12_000);
            h.processWatermark(new Watermark(12_000));
            assertThat(decided(h.extractOutputValues())).containsExactly("__overflow__=__overflow__@home:1");
        }
    }

    @Test
    void forgettingRunsOnItsOwnTimerAndEmptiesTheState() throws Exception {
        try (var h = engagementHarness()) {
            h.processElement(row("e1", "a", "home", 1), 1000);
            h.processWatermark(new Watermark(1000));
            assertThat(h.numKeyedStateEntries()).isPositive();
            assertThat(h.numEventTimeTimers()).isEqualTo(1); // the forget timer at 11000
            h.processWatermark(new Watermark(11_000));
            assertThat(h.numEventTimeTimers()).isZero();
            h.processElement(row("e9", "a", "home", 1), 12_000);
            h.processElement(row("e8", "a", "home", 1), 12_000);
            h.processWatermark(new Watermark(12_000));
            assertThat(decided(h.extractOutputValues())).contains("e8=a@home:1", "e9=a@home:1");
        }
    }

    @Test
    void snapshotAndRestoreKeepAdmittedValuesAndWaitingRows() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = engagementHarness()) {
            h.processElement(row("e1", "a", "home", 1), 1000);
            h.processElement(row("e2", "a", "home", 1), 1000);
            h.processWatermark(new Watermark(1000));
            h.processElement(row("e3", "a", "home", 5), 2000); // waits for the watermark
            snapshot = h.snapshot(1, 10);
        }
        try (var h = new KeyedOneInputStreamOperatorTestHarness<String, EngagementRow, EngagementRow>(
                new KeyedProcessOperator<>(new CardinalityLimit<>(new LimitedDimensions.Engagement(), LIMITS, KNOWN,
                        TypeInformation.of(EngagementRow.class))),
                CardinalityLimit.byTable("variant_engagement"), Types.STRING)) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(row("e1", "a", "home", 1), 2000);
            h.processWatermark(new Watermark(2000));
            assertThat(decided(h.extractOutputValues())).containsExactly("__overflow__=__overflow__@home:5", "e1=a@home:1");
        }
    }
}
