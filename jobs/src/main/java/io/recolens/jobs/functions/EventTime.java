package io.recolens.jobs.functions;

import org.apache.flink.streaming.api.TimerService;

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

    /**
     * Registers an event-time timer unless the final watermark has passed. Such a timer would never fire, and batch
     * execution logs a warning for each one: a million-key backfill wrote millions of lines (the hostile bench run).
     */
    static void schedule(TimerService timers, long at) {
        if (!isEnd(timers.currentWatermark())) {
            timers.registerEventTimeTimer(at);
        }
    }
}
