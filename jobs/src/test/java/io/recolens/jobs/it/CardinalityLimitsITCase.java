package io.recolens.jobs.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.recolens.jobs.config.CardinalityLimits;
import io.recolens.jobs.functions.AdditiveAggregator;
import io.recolens.jobs.functions.Aggregates;
import io.recolens.jobs.functions.CardinalityLimit;
import io.recolens.jobs.functions.CardinalityLimiter;
import io.recolens.jobs.functions.LimitedDimensions;
import io.recolens.model.EngagementRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The keyed cardinality limits on a MiniCluster: the same contributions, with far more distinct values than the
 * (small) limits allow, summed and limited at parallelism 1 and 4 in streaming and at 4 in batch, give the same
 * admitted values and the same sums per key, overflow bucket included.
 */
class CardinalityLimitsITCase {
    private static final long MINUTE = 60_000L;
    private static final CardinalityLimits LIMITS = new CardinalityLimits(4, 2, 3, 2, 8, 8, 5 * MINUTE);
    private static final Map<String, Set<String>> KNOWN = Map.of("registered", Set.of("control", "treatment"));

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    /** 40 minutes of contributions; the experiments in use drift over time, so forgetting frees slots on the way. */
    static List<EngagementRow> contributions() {
        List<EngagementRow> rows = new ArrayList<>();
        for (int minute = 0; minute < 40; minute++) {
            for (int i = 0; i < 60; i++) {
                EngagementRow r = new EngagementRow();
                r.windowStart = minute * MINUTE;
                r.windowEnd = r.windowStart + MINUTE;
                boolean registered = i % 6 == 0;
                r.experiment = registered ? "registered" : "exp-" + ((minute / 10) * 3 + i % 9);
                r.variant = registered ? (i % 12 == 0 ? "control" : "treatment") : "v" + (i % 5);
                r.surface = "surface-" + (i % 7);
                r.segment = "segment-" + ((i + minute) % 5);
                r.impressions = 1;
                r.itemImpressions = 10;
                r.clicks = i % 3 == 0 ? 1 : 0;
                r.clickedImpressions = r.clicks;
                rows.add(r);
            }
        }
        return rows;
    }

    private static Map<String, long[]> run(int parallelism, RuntimeExecutionMode mode) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        env.setRuntimeMode(mode);
        Aggregates.Engagement key = new Aggregates.Engagement(0);
        DataStream<EngagementRow> limited = env.fromData(contributions())
                .assignTimestampsAndWatermarks(WatermarkStrategy.<EngagementRow>forBoundedOutOfOrderness(Duration.ofSeconds(1))
                        .withTimestampAssigner((r, ts) -> r.windowStart + r.variant.length()))
                .rebalance()
                .keyBy(key)
                .process(new AdditiveAggregator<>(key, TypeInformation.of(EngagementRow.class)))
                .keyBy(CardinalityLimit.<EngagementRow>byTable("variant_engagement"))
                .process(new CardinalityLimit<>(new LimitedDimensions.Engagement(), LIMITS, KNOWN, TypeInformation.of(EngagementRow.class)));
        Map<String, long[]> sums = new TreeMap<>();
        try (CloseableIterator<EngagementRow> it = limited.executeAndCollect("limits p=" + parallelism + " " + mode)) {
            while (it.hasNext()) {
                EngagementRow r = it.next();
                long[] s = sums.computeIfAbsent(key.getKey(r).replace('\u0000', '|'), k -> new long[2]);
                s[0] += r.impressions;
                s[1] += r.clicks;
            }
        }
        return sums;
    }

    private static Map<String, String> flat(Map<String, long[]> sums) {
        Map<String, String> out = new TreeMap<>();
        sums.forEach((k, v) -> out.put(k, v[0] + "/" + v[1]));
        return out;
    }

    @Test
    void sameAdmittedValuesAndSumsAtParallelismOneAndFourAndInBatch() throws Exception {
        Map<String, long[]> p1 = run(1, RuntimeExecutionMode.STREAMING);
        Map<String, long[]> p4 = run(4, RuntimeExecutionMode.STREAMING);
        Map<String, long[]> batch = run(4, RuntimeExecutionMode.BATCH);

        long total = p1.values().stream().mapToLong(v -> v[0]).sum();
        assertThat(total).isEqualTo(contributions().size());
        long overflow = p1.entrySet().stream().filter(e -> e.getKey().contains(CardinalityLimiter.OVERFLOW)).mapToLong(e -> e.getValue()[0]).sum();
        assertThat(overflow).as("the input exceeds the limits").isPositive();
        Set<String> experiments = new TreeSet<>();
        p1.keySet().forEach(k -> experiments.add(k.split("\\|")[1]));
        // 12 distinct unregistered experiments went in; at most 4 at a time are admitted, but forgetting lets later ones in.
        assertThat(experiments).contains("registered", CardinalityLimiter.OVERFLOW).hasSizeGreaterThan(LIMITS.experiments + 2);
        System.out.printf("limits: %d rows in, %d keys out, %d impressions in __overflow__, experiments admitted over time %s%n",
                total, p1.size(), overflow, experiments);

        assertThat(flat(p4)).isEqualTo(flat(p1));
        assertThat(flat(batch)).isEqualTo(flat(p1));
    }
}
