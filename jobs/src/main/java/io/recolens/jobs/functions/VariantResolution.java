package io.recolens.jobs.functions;

import io.recolens.model.AnomalyRow;
import io.recolens.model.Impression;
import io.recolens.model.SpanRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Resolves the variants of one trace. Precedence: impression, then its allow-listed baggage, then span
 * attributes {@code experiment.*}, then feature-flag events. A later source that disagrees does not win: the
 * disagreement becomes a {@code variant_conflict} anomaly.
 */
public final class VariantResolution {
    public static final String SOURCE_IMPRESSION = "impression";
    public static final String SOURCE_BAGGAGE = "baggage";
    public static final String SOURCE_SPAN_ATTRIBUTE = "span_attribute";
    public static final String SOURCE_FLAG_EVENT = "flag_event";

    /** Experiment → variant, sorted so output is deterministic. */
    public final TreeMap<String, String> variants = new TreeMap<>();
    public final TreeMap<String, String> sources = new TreeMap<>();
    public final List<AnomalyRow> anomalies = new ArrayList<>();

    private final String traceId;
    private final long eventTime;

    private VariantResolution(String traceId, long eventTime) {
        this.traceId = traceId;
        this.eventTime = eventTime;
    }

    /**
     * Resolves over impressions and spans already sorted deterministically (by time, then ID).
     *
     * @param known experiment → registered variants; empty to skip the unknown-variant check
     */
    public static VariantResolution resolve(String traceId, long eventTime, List<Impression> impressions,
                                            List<SpanRecord> spans, Map<String, Set<String>> known) {
        VariantResolution r = new VariantResolution(traceId, eventTime);
        for (Impression i : impressions) r.offer(i.experiments, SOURCE_IMPRESSION, "impression " + i.impressionId);
        for (Impression i : impressions) r.offer(i.baggageExperiments, SOURCE_BAGGAGE, "baggage of impression " + i.impressionId);
        for (SpanRecord s : spans) r.offer(s.attributeVariants, SOURCE_SPAN_ATTRIBUTE, "span " + s.spanId + " of " + s.service);
        for (SpanRecord s : spans) r.offer(s.flagVariants, SOURCE_FLAG_EVENT, "flag event on span " + s.spanId + " of " + s.service);
        if (!known.isEmpty()) {
            for (Map.Entry<String, String> e : r.variants.entrySet()) {
                Set<String> registered = known.get(e.getKey());
                if (registered != null && !registered.contains(e.getValue())) {
                    AnomalyRow a = r.anomaly(AnomalyRow.UNKNOWN_VARIANT, e.getKey(), e.getValue(),
                            "variant '" + e.getValue() + "' of experiment '" + e.getKey() + "' is not registered in experiments.known");
                    r.anomalies.add(a);
                }
            }
        }
        return r;
    }

    private void offer(Map<String, String> candidates, String source, String where) {
        if (candidates == null || candidates.isEmpty()) return;
        for (Map.Entry<String, String> e : candidates.entrySet()) {
            String experiment = e.getKey();
            String variant = e.getValue();
            if (experiment == null || variant == null || experiment.isEmpty() || variant.isEmpty()) continue;
            String current = variants.get(experiment);
            if (current == null) {
                variants.put(experiment, variant);
                sources.put(experiment, source);
            } else if (!current.equals(variant) && !alreadyReported(experiment, variant)) {
                anomalies.add(anomaly(AnomalyRow.VARIANT_CONFLICT, experiment, current,
                        "experiment '" + experiment + "': " + sources.get(experiment) + " says '" + current + "', "
                                + where + " says '" + variant + "'"));
                conflictKeys.add(experiment + '\u0000' + variant);
            }
        }
    }

    private final java.util.HashSet<String> conflictKeys = new java.util.HashSet<>();

    private boolean alreadyReported(String experiment, String variant) {
        return conflictKeys.contains(experiment + '\u0000' + variant);
    }

    private AnomalyRow anomaly(String kind, String experiment, String variant, String detail) {
        AnomalyRow a = AnomalyRow.of(kind, eventTime, traceId, detail);
        a.experiment = experiment;
        a.variant = variant;
        return a;
    }
}
