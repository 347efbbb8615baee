package io.recolens.jobs.functions;

import io.recolens.model.SpanRecord;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** Picks the provenance spans out of all spans and copies each to every salt of its lineage ({@link LineageKeys}). */
public class ProvenanceSpans implements FlatMapFunction<SpanRecord, Provenance> {
    private static final long serialVersionUID = 1L;
    private final int salts;

    public ProvenanceSpans(int salts) {
        this.salts = salts;
    }

    @Override
    public void flatMap(SpanRecord span, Collector<Provenance> out) {
        if (!Provenance.describes(span)) return;
        for (int salt = 0; salt < salts; salt++) out.collect(Provenance.of(span, salt));
    }
}
