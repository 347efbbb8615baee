package io.recolens.jobs.functions;

import io.recolens.model.Click;
import java.util.Map;

/**
 * A click waiting for attribution, reduced to what attribution and its anomalies read: the impression ID is the
 * key, and the unit key and echoed experiments (beyond a single one) are not needed.
 */
public class PendingClick {
    public String clickId;
    public String itemId;
    public int position;
    public long clickedAt;
    public String traceId;
    /** The click's echoed experiment and variant when it echoed exactly one (anomalies name it); else null. */
    public String experiment;
    public String variant;

    public PendingClick() {}

    public static PendingClick of(Click c) {
        PendingClick p = new PendingClick();
        p.clickId = c.clickId;
        p.itemId = c.itemId;
        p.position = c.position;
        p.clickedAt = c.clickedAt;
        p.traceId = c.traceId;
        if (c.experiments != null && c.experiments.size() == 1) {
            Map.Entry<String, String> e = c.experiments.entrySet().iterator().next();
            p.experiment = e.getKey();
            p.variant = e.getValue();
        }
        return p;
    }
}
