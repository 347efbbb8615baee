package io.recolens.model;

import java.util.HashMap;
import java.util.Map;

/** What one assembled trace cost the backend: the numbers a lineage row and a debugging session need. */
public class TraceSummary {
    public int spanCount;
    public int errorCount;
    /** Duration of the root span; 0 when no root span arrived. */
    public long rootDurationMicros;
    public long dbTimeMicros;
    public int cacheHits;
    public int cacheMisses;
    /** service.name → summed span durations (microseconds). */
    public Map<String, Long> serviceTimeMicros = new HashMap<>();

    public TraceSummary() {}
}
