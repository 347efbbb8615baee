package io.recolens.jobs.functions;

import io.recolens.jobs.config.CardinalityLimits;
import io.recolens.model.SideEffectRow;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/** Applies the cardinality limits to side-effect partial rows before they are keyed. */
public class SideEffectLimits extends RichMapFunction<SideEffectRow, SideEffectRow> {
    private static final long serialVersionUID = 1L;

    private final CardinalityLimits limits;
    private transient CardinalityLimiter limiter;

    public SideEffectLimits(CardinalityLimits limits) {
        this.limits = limits;
    }

    @Override
    public void open(OpenContext openContext) {
        limiter = new CardinalityLimiter(limits);
    }

    @Override
    public SideEffectRow map(SideEffectRow row) {
        row.experiment = limiter.experiment(row.experiment);
        row.variant = limiter.variant(row.experiment, row.variant);
        row.service = limiter.service(row.service);
        row.operation = limiter.operation(row.service, row.operation);
        return row;
    }
}
