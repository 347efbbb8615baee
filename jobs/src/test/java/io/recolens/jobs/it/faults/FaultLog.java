package io.recolens.jobs.it.faults;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the injectors of one named fault did, kept in static memory: the MiniCluster runs in the test JVM, so a
 * restarted task sees that its fault already fired and the test can prove each failure really happened.
 */
public final class FaultLog {
    private static final Map<String, FaultLog> LOGS = new ConcurrentHashMap<>();

    final AtomicBoolean fired = new AtomicBoolean();
    final AtomicLong passed = new AtomicLong();
    final AtomicInteger maxAttempt = new AtomicInteger();
    final AtomicLong firedCheckpoint = new AtomicLong(-1);
    volatile String firedWhen = "";

    private FaultLog() {}

    public static FaultLog of(String name) {
        return LOGS.computeIfAbsent(name, n -> new FaultLog());
    }

    /** Whether the fault has thrown (at most once per name). */
    public boolean fired() {
        return fired.get();
    }

    /** Records that went through the injector, counting replays after a restore again. */
    public long passed() {
        return passed.get();
    }

    /** The highest task attempt number an injector subtask was opened with: at least 1 after a restart. */
    public int maxAttempt() {
        return maxAttempt.get();
    }

    /** The checkpoint whose completion notification threw, or -1. */
    public long firedCheckpoint() {
        return firedCheckpoint.get();
    }

    /** A short description of the moment the fault fired. */
    public String firedWhen() {
        return firedWhen;
    }
}
