package io.recolens.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One served slate, decoded and validated. The user ID never appears here: {@link #unitKey} is its
 * keyed hash. Of the baggage only allow-listed entries survive, already merged into
 * {@link #baggageExperiments} and {@link #segment}.
 */
public class Impression implements Trimmable {
    public String impressionId;
    public String traceId;
    public String lineageId;
    /** HMAC of the user ID: the experiment unit. */
    public String unitKey;
    public String sessionId;
    public String surface;
    /** Cohort used to slice dashboards: baggage {@code user.cohort}, else the impression's {@code segment} field. */
    public String segment;
    /** Event time, epoch milliseconds. */
    public long servedAt;
    /** Experiment → variant as the serving service recorded it. */
    public Map<String, String> experiments = new HashMap<>();
    /** Experiment → variant read from allow-listed {@code experiment.*} baggage entries. */
    public Map<String, String> baggageExperiments = new HashMap<>();
    public String modelName;
    public String modelVersion;
    public List<FeatureRef> features = new ArrayList<>();
    public List<SlateItem> items = new ArrayList<>();

    /** What a soft record limit dropped at decode time (e.g. "items: 20000 > 200, kept 200"); null when nothing. */
    public String trimmed;

    public Impression() {}

    @Override
    public String trimmed() {
        return trimmed;
    }

    @Override
    public long eventTime() {
        return servedAt;
    }

    @Override
    public String traceId() {
        return traceId;
    }

    /** Records one soft-limit trim; several trims of one record are joined. */
    public void addTrim(String what) {
        trimmed = trimmed == null ? what : trimmed + "; " + what;
    }

    @Override
    public String toString() {
        return "Impression{" + impressionId + ", trace=" + traceId + ", at=" + servedAt + ", " + experiments + "}";
    }
}
