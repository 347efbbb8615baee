package io.recolens.jobs.functions;

/** Event-time facts the stateful functions share. */
final class EventTime {
    private EventTime() {}

    /**
     * True once the final watermark has passed (end of a bounded input, or a drain): timers registered from
     * now on never fire, so a function must act on a record at once. Records can still arrive then from an
     * input that was idle while the other input sent the final watermark.
     */
    static boolean isEnd(long watermark) {
        return watermark == Long.MAX_VALUE;
    }
}
