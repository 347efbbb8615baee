package io.recolens.jobs.it.faults;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * A pass-through operator that throws once, where its {@link Fault} says; records, watermarks and idleness
 * flow through unchanged, so the job downstream sees exactly what it would without the injector.
 */
public final class FaultInjector<T> extends AbstractStreamOperator<T> implements OneInputStreamOperator<T, T> {
    private final Fault fault;
    private transient long firstTimestamp;
    private transient long watermark;
    private transient long completedCheckpoint;

    public FaultInjector(Fault fault) {
        this.fault = fault;
    }

    @Override
    public void open() throws Exception {
        super.open();
        firstTimestamp = Long.MIN_VALUE;
        watermark = Long.MIN_VALUE;
        completedCheckpoint = -1;
        fault.log().maxAttempt.accumulateAndGet(getRuntimeContext().getTaskInfo().getAttemptNumber(), Math::max);
    }

    @Override
    public void processElement(StreamRecord<T> element) throws Exception {
        long passed = fault.log().passed.incrementAndGet();
        if (firstTimestamp == Long.MIN_VALUE && element.hasTimestamp()) firstTimestamp = element.getTimestamp();
        fireIfDue();
        if (fault.pauseMsPerRecord() > 0) Thread.sleep(fault.pauseMsPerRecord());
        output.collect(element);
    }

    // Checked on records and on watermarks: input that is read in one go leaves only watermarks to move on.
    // Only after a completed checkpoint, so that the restarted job restores state instead of starting afresh.
    private void fireIfDue() {
        long passed = fault.log().passed();
        if (fault.kind() == Fault.Kind.RECORD && passed >= fault.afterRecords() && completedCheckpoint >= 0
                && firstTimestamp != Long.MIN_VALUE && watermark != Long.MIN_VALUE && watermark != Long.MAX_VALUE
                && watermark - firstTimestamp >= fault.eventTimeProgressMs()) {
            fire("after " + passed + " records and checkpoint " + completedCheckpoint + ", watermark "
                    + (watermark - firstTimestamp) / 1000 + " s past the first record");
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (fault.kind() == Fault.Kind.FINAL_WATERMARK && mark.getTimestamp() == Long.MAX_VALUE) {
            fire("on the final watermark after " + fault.log().passed() + " records");
        }
        watermark = Math.max(watermark, mark.getTimestamp());
        fireIfDue();
        super.processWatermark(mark);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        completedCheckpoint = Math.max(completedCheckpoint, checkpointId);
        if (fault.kind() == Fault.Kind.CHECKPOINT_COMPLETE && fault.log().passed() >= fault.afterRecords()
                && fault.log().firedCheckpoint.compareAndSet(-1, checkpointId)) {
            fire("on completion of checkpoint " + checkpointId + " after " + fault.log().passed() + " records");
        }
        super.notifyCheckpointComplete(checkpointId);
    }

    private void fire(String when) {
        if (fault.log().fired.compareAndSet(false, true)) {
            fault.log().firedWhen = when;
            throw new InjectedFailure(fault.name() + ": injected failure " + when);
        }
    }

    /** The exception the injectors throw, so a log reader can tell it from a real failure. */
    public static final class InjectedFailure extends RuntimeException {
        InjectedFailure(String message) {
            super(message);
        }
    }
}
