package io.recolens.jobs.functions;

import java.io.Serializable;
import org.apache.flink.api.java.functions.KeySelector;

/**
 * How rows of one aggregate table combine: which rows share a key, when a key's sum is flushed (event time),
 * and how two rows add up. Every column a query SUMs must be added here, nothing else.
 */
public interface Additive<R> extends KeySelector<R, String>, Serializable {
    /** Event time at which the accumulated row is written. */
    long flushAt(R row);

    /** Adds {@code other} into {@code into}. */
    void addInto(R into, R other);

    /**
     * Completes a row {@link #addInto} summed into, before it is emitted or stored: an implementation may keep part
     * of a sum in a form Flink does not serialize (see {@code ExponentialHistogram#mergeDeferred}). Default: nothing.
     */
    default void seal(R row) {}
}
