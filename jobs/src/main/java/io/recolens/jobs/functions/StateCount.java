package io.recolens.jobs.functions;

import java.io.Serializable;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;

/**
 * How many entries (open traces, waiting impressions) a keyed function holds in state, as metrics: counters of
 * entries added and removed, and a gauge of what is held. The held count is checkpointed as one number per subtask
 * in operator state, so the gauge stays right after a restore, and its sum over subtasks after a rescale too.
 */
final class StateCount implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private transient ListState<Long> stored;
    private transient long held;
    private transient Counter added;
    private transient Counter removed;

    StateCount(String name) {
        this.name = name;
    }

    /** From the function's initializeState: reads back the counts of the restored subtasks. */
    void initialize(FunctionInitializationContext context) throws Exception {
        stored = context.getOperatorStateStore().getListState(new ListStateDescriptor<>(name + "-count", Long.class));
        held = 0;
        for (Long n : stored.get()) held += n;
    }

    /** From the function's open: the gauge and the two counters. */
    void register(MetricGroup metrics, String gauge, String addedName, String removedName) {
        added = metrics.counter(addedName);
        removed = metrics.counter(removedName);
        metrics.gauge(gauge, this::held);
    }

    void add() {
        held++;
        if (added != null) added.inc();
    }

    void remove() {
        held--;
        if (removed != null) removed.inc();
    }

    long held() {
        return held;
    }

    /** From the function's snapshotState. */
    void snapshot() throws Exception {
        stored.update(List.of(held));
    }
}
