package io.recolens.model;

/** A decoded record that a soft limit may have trimmed; {@link #trimmed()} says what was dropped, or null. */
public interface Trimmable {
    String trimmed();

    /** The record's event time and trace, so a trim can be reported as an anomaly of that trace. */
    long eventTime();

    String traceId();
}
