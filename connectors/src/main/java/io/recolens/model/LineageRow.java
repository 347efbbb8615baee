package io.recolens.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The full, auditable path of one impression (table {@code lineage_history}). */
public class LineageRow {
    public String impressionId;
    public String traceId;
    public String lineageId;
    public String unitKey;
    public String sessionId;
    public String surface;
    public String segment;
    public long servedAt;
    /** Resolved experiment → variant after precedence (impression, span attributes, flag events). */
    public Map<String, String> experiments = new HashMap<>();
    /** Experiment → where its variant came from: {@code impression}, {@code baggage}, {@code span_attribute}, {@code flag_event}. */
    public Map<String, String> variantSources = new HashMap<>();
    public String modelName;
    public String modelVersion;
    public List<FeatureRef> features = new ArrayList<>();
    public List<SlateItem> items = new ArrayList<>();
    public TraceSummary trace = new TraceSummary();
    public List<ClickRef> clicks = new ArrayList<>();

    public LineageRow() {}

    @Override
    public String toString() {
        return "Lineage{" + impressionId + " " + experiments + " clicks=" + clicks.size() + "}";
    }
}
