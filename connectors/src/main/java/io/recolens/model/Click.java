package io.recolens.model;

import java.util.HashMap;
import java.util.Map;

/** One click on one recommended item, decoded and validated. */
public class Click {
    public String clickId;
    public String impressionId;
    public String traceId;
    public String itemId;
    public int position;
    public String unitKey;
    /** Event time, epoch milliseconds. */
    public long clickedAt;
    /** Experiment → variant as the client echoed them (optional). */
    public Map<String, String> experiments = new HashMap<>();

    public Click() {}

    @Override
    public String toString() {
        return "Click{" + clickId + " on " + impressionId + "/" + itemId + " at " + clickedAt + "}";
    }
}
