package io.recolens.jobs.it.faults;

import java.io.Serializable;

/**
 * When an injector throws, once per {@link FaultLog} name: after a number of records and some event-time
 * progress, on a checkpoint's completion notification, or on the final watermark of a drain.
 *
 * @param name the {@link FaultLog} this fault reports to; unique per test run
 * @param kind where in the operator's life the fault fires
 * @param afterRecords records (over all subtasks) that must have passed first
 * @param eventTimeProgressMs how far this subtask's watermark must be past the first record's timestamp
 * @param pauseMsPerRecord slows the input down, so that a topic read in one go still flows across checkpoints
 */
public record Fault(String name, Kind kind, long afterRecords, long eventTimeProgressMs, long pauseMsPerRecord) implements Serializable {

    /** Where the fault fires. */
    public enum Kind {
        /** In {@code processElement}, once enough records passed and event time moved on enough. */
        RECORD,
        /** In {@code notifyCheckpointComplete} of the first checkpoint completed after enough records passed. */
        CHECKPOINT_COMPLETE,
        /** On the first {@code Long.MAX_VALUE} watermark: the end of event time a drain sends. */
        FINAL_WATERMARK
    }

    public static Fault afterRecords(String name, long records, long eventTimeProgressMs, long pauseMsPerRecord) {
        return new Fault(name, Kind.RECORD, records, eventTimeProgressMs, pauseMsPerRecord);
    }

    public static Fault onCheckpointComplete(String name, long afterRecords) {
        return new Fault(name, Kind.CHECKPOINT_COMPLETE, afterRecords, 0, 0);
    }

    public static Fault onFinalWatermark(String name) {
        return new Fault(name, Kind.FINAL_WATERMARK, 0, 0, 0);
    }

    public FaultLog log() {
        return FaultLog.of(name);
    }
}
