package io.recolens.jobs.functions;

/** Spans of one trace that came past {@code lateness.allowed}, tallied into one {@code late_record} anomaly. */
public class LateSpans {
    public String traceId;
    public int count;
    public long firstEventTime = Long.MAX_VALUE;
    /** The most any of them was behind the watermark (ms). */
    public long maxBehindMs;
    /** Event time of the timer that writes the anomaly. */
    public long reportAt;

    public LateSpans() {}
}
