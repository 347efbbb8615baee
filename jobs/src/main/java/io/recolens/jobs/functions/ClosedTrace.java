package io.recolens.jobs.functions;

import io.recolens.model.TraceSummary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What a closed trace leaves behind to de-duplicate and enrich records that arrive after it closed. */
public class ClosedTrace {
    public Map<String, String> variants = new HashMap<>();
    public Map<String, String> sources = new HashMap<>();
    public TraceSummary summary = new TraceSummary();
    /** Impression and span IDs already counted. */
    public List<String> seenIds = new ArrayList<>();

    public ClosedTrace() {}
}
