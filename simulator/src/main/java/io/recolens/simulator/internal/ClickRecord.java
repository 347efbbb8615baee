package io.recolens.simulator.internal;

import java.util.List;

/** One click before serialisation; {@code variants} is null when the client does not echo experiments. */
public record ClickRecord(
    String clickId,
    String impressionId,
    String traceId,
    String itemId,
    int position,
    String userId,
    long timestampMs,
    boolean timestampAsEpochMillis,
    List<String> variants) {}
