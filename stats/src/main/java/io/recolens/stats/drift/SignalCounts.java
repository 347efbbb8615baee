package io.recolens.stats.drift;

import java.util.Map;
import java.util.TreeMap;

/**
 * Counts of one signal in one range (baseline or window) of one experiment variant: per bin, and per bin within
 * each group of each grouping kind ({@code segment}, {@code service}, {@code feature:<name>}), for attribution.
 */
public final class SignalCounts {
    private final Map<String, Long> bins = new TreeMap<>();
    private final Map<String, Map<String, Map<String, Long>>> groups = new TreeMap<>();

    /** Adds {@code n} observations to {@code bin}; {@code groupOf} names the row's group per grouping kind. */
    public void add(String bin, long n, Map<String, String> groupOf) {
        if (n <= 0) return;
        bins.merge(bin, n, Long::sum);
        for (Map.Entry<String, String> g : groupOf.entrySet()) {
            if (g.getValue() == null) continue;
            groups.computeIfAbsent(g.getKey(), k -> new TreeMap<>()).computeIfAbsent(g.getValue(), k -> new TreeMap<>())
                    .merge(bin, n, Long::sum);
        }
    }

    public Map<String, Long> bins() {
        return bins;
    }

    /** Group → bin → count for one grouping kind (empty when no row named one). */
    public Map<String, Map<String, Long>> groups(String kind) {
        return groups.getOrDefault(kind, Map.of());
    }

    /** The grouping kinds seen. */
    public java.util.Set<String> kinds() {
        return groups.keySet();
    }

    public long total() {
        long n = 0;
        for (long c : bins.values()) n += c;
        return n;
    }
}
