package io.recolens.jobs.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.recolens.model.DeadLetter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.types.Either;
import org.apache.flink.util.clock.ManualClock;
import org.junit.jupiter.api.Test;

class SplitWatermarksTest {
    private static final long OOO = 5_000;
    private static final long IDLE = 60_000;

    /** Records what a generator told its output, in order: watermarks as numbers, idleness as "idle"/"active". */
    private static final class Recorded implements WatermarkOutput {
        final List<Object> events = new ArrayList<>();

        @Override
        public void emitWatermark(Watermark watermark) {
            events.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {
            events.add("idle");
        }

        @Override
        public void markActive() {
            events.add("active");
        }

        Object last() {
            return events.get(events.size() - 1);
        }
    }

    private static Either<DeadLetter, String> record() {
        return Either.Right("r");
    }

    @Test
    void watermarkTrailsTheLargestEventTimeByTheOutOfOrderness() {
        ManualClock clock = new ManualClock();
        SplitWatermarks<String> g = new SplitWatermarks<>(OOO, IDLE, SplitWatermarks.Idleness.AFTER_QUIET_PERIOD, clock);
        Recorded out = new Recorded();
        g.onEvent(record(), 100_000, out);
        g.onEvent(record(), 90_000, out);
        g.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(100_000 - OOO - 1);
    }

    @Test
    void deadLettersNeitherMoveEventTimeNorCountAsActivity() {
        ManualClock clock = new ManualClock();
        SplitWatermarks<String> g = new SplitWatermarks<>(OOO, IDLE, SplitWatermarks.Idleness.AFTER_QUIET_PERIOD, clock);
        Recorded out = new Recorded();
        g.onEvent(record(), 100_000, out);
        clock.advanceTime(Duration.ofMillis(IDLE / 2));
        g.onEvent(Either.Left(new DeadLetter()), 9_999_999_999L, out);
        g.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo(100_000 - OOO - 1);
        clock.advanceTime(Duration.ofMillis(IDLE / 2));
        g.onPeriodicEmit(out);
        assertThat(out.last()).isEqualTo("idle");
    }

    @Test
    void aQuietClickOrSpanPartitionGoesIdleAndComesBackWithItsNextRecord() {
        ManualClock clock = new ManualClock();
        SplitWatermarks<String> g = new SplitWatermarks<>(OOO, IDLE, SplitWatermarks.Idleness.AFTER_QUIET_PERIOD, clock);
        Recorded out = new Recorded();
        g.onEvent(record(), 100_000, out);
        clock.advanceTime(Duration.ofMillis(IDLE));
        g.onPeriodicEmit(out);
        g.onPeriodicEmit(out);
        assertThat(out.events).containsExactly("idle");
        g.onEvent(record(), 200_000, out);
        g.onPeriodicEmit(out);
        assertThat(out.events).containsExactly("idle", "active", 200_000 - OOO - 1);
    }

    @Test
    void anImpressionSplitIsIdleOnlyUntilItsFirstRecord() {
        ManualClock clock = new ManualClock();
        SplitWatermarks<String> g = new SplitWatermarks<>(OOO, IDLE, SplitWatermarks.Idleness.UNTIL_FIRST_RECORD, clock);
        Recorded out = new Recorded();
        clock.advanceTime(Duration.ofMillis(IDLE));
        g.onPeriodicEmit(out);
        assertThat(out.last()).as("an empty partition or a reader without partitions never holds time back").isEqualTo("idle");
        g.onEvent(record(), 100_000, out);
        clock.advanceTime(Duration.ofDays(1));
        g.onPeriodicEmit(out);
        assertThat(out.last()).as("a partition that delivered impressions stays active so a drain's final watermark passes it")
                .isEqualTo(100_000 - OOO - 1);
    }

    @Test
    void theStrategyTakesEventTimeFromRecordsAndTheBrokerTimeFromDeadLetters() {
        var strategy = SplitWatermarks.<String>strategy((s, ts) -> Long.parseLong(s), Duration.ofMillis(OOO), Duration.ofMillis(IDLE),
                SplitWatermarks.Idleness.AFTER_QUIET_PERIOD);
        var assigner = strategy.createTimestampAssigner(null);
        assertThat(assigner.extractTimestamp(Either.Right("1234"), 99L)).isEqualTo(1234L);
        assertThat(assigner.extractTimestamp(Either.Left(new DeadLetter()), 99L)).isEqualTo(99L);
    }
}
