package io.recolens.jobs.functions;

import io.recolens.model.DeadLetter;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.types.Either;
import org.apache.flink.util.clock.RelativeClock;

/**
 * Event-time watermarks of one Kafka partition (one source split), generated inside the source reader from
 * decoded records: bounded out-of-orderness over the records' own event time. Dead letters carry no event time
 * and neither move the watermark nor count as activity.
 *
 * <p>Idleness decides whether a quiet split may stop holding event time back:
 * <ul>
 *   <li>{@link Idleness#AFTER_QUIET_PERIOD} (clicks, spans): a split without records for the idle timeout goes
 *       idle, so a quiet partition does not stall the job;</li>
 *   <li>{@link Idleness#UNTIL_FIRST_RECORD} (impressions): only a split that has produced no record since the task
 *       started goes idle (an empty partition, or a reader that owns no partition at parallelism above the
 *       partition count). A split that has delivered impressions stays active, so the final watermark of a drain
 *       always flows through the impression path and reaches click attribution after the last impressions, never
 *       before them (an idle output drops watermarks, and clicks would then be judged orphans before their
 *       impression's trace closed).</li>
 * </ul>
 * Idle time is measured on Flink's input activity clock, which stands still while the reader is back-pressured.
 */
public final class SplitWatermarks<T> implements WatermarkGenerator<Either<DeadLetter, T>> {

    /** When a split may go idle. */
    public enum Idleness { AFTER_QUIET_PERIOD, UNTIL_FIRST_RECORD }

    private final long outOfOrdernessMs;
    private final long idleTimeoutMs;
    private final Idleness idleness;
    private final RelativeClock clock;

    private long maxEventTime;
    private boolean seenRecord;
    private long lastActivity;
    private boolean idle;

    SplitWatermarks(long outOfOrdernessMs, long idleTimeoutMs, Idleness idleness, RelativeClock clock) {
        this.outOfOrdernessMs = outOfOrdernessMs;
        this.idleTimeoutMs = idleTimeoutMs;
        this.idleness = idleness;
        this.clock = clock;
        this.maxEventTime = Long.MIN_VALUE + outOfOrdernessMs + 1;
        this.lastActivity = clock.relativeTimeMillis();
    }

    /**
     * The strategy for one decoded input: timestamps from {@code eventTime} (dead letters keep the broker's
     * timestamp, which nothing downstream uses as event time), watermarks from this generator per split.
     */
    public static <T> WatermarkStrategy<Either<DeadLetter, T>> strategy(
            SerializableTimestampAssigner<T> eventTime, Duration outOfOrderness, Duration idleTimeout, Idleness idleness) {
        long ooo = outOfOrderness.toMillis();
        long idleMs = idleTimeout.toMillis();
        WatermarkStrategy<Either<DeadLetter, T>> generators =
                context -> new SplitWatermarks<>(ooo, idleMs, idleness, context.getInputActivityClock());
        return generators.withTimestampAssigner(
                (Either<DeadLetter, T> e, long recordTimestamp) -> e.isRight() ? eventTime.extractTimestamp(e.right(), recordTimestamp) : recordTimestamp);
    }

    @Override
    public void onEvent(Either<DeadLetter, T> event, long eventTimestamp, WatermarkOutput output) {
        if (event.isLeft()) return;
        seenRecord = true;
        lastActivity = clock.relativeTimeMillis();
        if (eventTimestamp > maxEventTime) maxEventTime = eventTimestamp;
        if (idle) {
            idle = false;
            output.markActive();
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        boolean quiet = clock.relativeTimeMillis() - lastActivity >= idleTimeoutMs;
        boolean mayIdle = idleness == Idleness.AFTER_QUIET_PERIOD ? quiet : quiet && !seenRecord;
        if (mayIdle) {
            if (!idle) {
                idle = true;
                output.markIdle();
            }
            return;
        }
        output.emitWatermark(new Watermark(maxEventTime - outOfOrdernessMs - 1));
    }
}
