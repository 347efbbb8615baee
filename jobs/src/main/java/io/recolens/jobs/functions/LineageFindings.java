package io.recolens.jobs.functions;

import io.recolens.model.AnomalyRow;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the lineage anomaly rows of join 3 and its checks: one row per impression and finding. An impression in
 * exactly one experiment names it in {@code experiment}/{@code variant}; one in several names none there (picking
 * one would misattribute the finding for the others) and lists them in the detail: join {@code lineage_history} on
 * {@code impression_id} to slice by any of them.
 */
public final class LineageFindings {
    public static final String MISSING_ANCESTRY = "missing_ancestry";
    public static final String MODEL_VERSION_MISMATCH = "model_version_mismatch";
    public static final String FEATURE_HASH_MISMATCH = "feature_hash_mismatch";
    public static final String STALE_FEATURE = "stale_feature";

    private LineageFindings() {}

    public static AnomalyRow of(String kind, long eventTime, String traceId, String impressionId, String lineageId,
                                Map<String, String> experiments, String detail) {
        AnomalyRow a = AnomalyRow.of(kind, eventTime, traceId, detail);
        a.impressionId = impressionId;
        a.lineageId = lineageId;
        if (experiments != null && experiments.size() == 1) {
            Map.Entry<String, String> only = experiments.entrySet().iterator().next();
            a.experiment = only.getKey();
            a.variant = only.getValue();
        } else if (experiments != null && !experiments.isEmpty()) {
            a.detail = detail + "; experiments " + experimentsText(experiments);
        }
        return a;
    }

    /** The experiments of an impression in several, for a finding's detail; null for one or none. */
    public static String experimentsText(Map<String, String> experiments) {
        return experiments == null || experiments.size() < 2 ? null : new TreeMap<>(experiments).toString();
    }
}
