package io.recolens.jobs.functions;

import io.recolens.model.ExposureRow;
import io.recolens.model.LineageRow;
import java.util.Map;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** Every served impression is an exposure of its unit to each of its experiment variants. */
public class ExposureCandidates implements FlatMapFunction<LineageRow, ExposureRow> {
    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(LineageRow row, Collector<ExposureRow> out) {
        if (row.unitKey == null) return;
        for (Map.Entry<String, String> e : row.experiments.entrySet()) {
            ExposureRow x = new ExposureRow();
            x.experiment = e.getKey();
            x.variant = e.getValue();
            x.unitKey = row.unitKey;
            x.firstExposureAt = row.servedAt;
            x.impressionId = row.impressionId;
            x.surface = row.surface;
            x.segment = row.segment;
            out.collect(x);
        }
    }

    /** False for an exposure whose experiment or variant the cardinality limits sent to the overflow bucket. */
    public static boolean admitted(ExposureRow x) {
        return !CardinalityLimiter.OVERFLOW.equals(x.experiment) && !CardinalityLimiter.OVERFLOW.equals(x.variant);
    }

    /** Key: one first exposure per experiment × variant × unit. */
    public static String key(ExposureRow x) {
        return x.experiment + '\u0000' + x.variant + '\u0000' + x.unitKey;
    }
}
