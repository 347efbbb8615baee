package io.recolens.stats.drift;

import java.util.Map;
import java.util.TreeSet;

/**
 * Which group (a segment, or the rows that served one feature version) carries most of a bin's change in mass
 * between baseline and window. The bin's share of all observations moves from {@code p} to {@code q}; a group
 * {@code g} brings {@code n_g,bin / N} of it on each side, so its part of the move is
 * {@code window_g,bin / N_window - baseline_g,bin / N_baseline}, and the parts of a partition add up to the move.
 */
public final class Attribution {
    private Attribution() {}

    /** The group and the share of the move it carries (may exceed 1 when other groups moved the other way). */
    public record Explanation(String group, double share) {}

    /**
     * The group whose part of the bin's move is largest in the move's direction; null when the bin did not move
     * or no group moved with it.
     *
     * @param baselineByGroup counts per group and bin in the baseline
     * @param windowByGroup counts per group and bin in the window
     * @param baselineTotal all observations of the baseline (every group)
     * @param windowTotal all observations of the window
     */
    public static Explanation largestPart(String bin, Map<String, Map<String, Long>> baselineByGroup,
            Map<String, Map<String, Long>> windowByGroup, long baselineTotal, long windowTotal) {
        if (baselineTotal == 0 || windowTotal == 0) return null;
        TreeSet<String> groups = new TreeSet<>(baselineByGroup.keySet());
        groups.addAll(windowByGroup.keySet());
        double move = 0;
        String best = null;
        double bestPart = 0;
        for (String g : groups) {
            double part = count(windowByGroup, g, bin) / (double) windowTotal - count(baselineByGroup, g, bin) / (double) baselineTotal;
            move += part;
        }
        if (move == 0) return null;
        for (String g : groups) {
            double part = count(windowByGroup, g, bin) / (double) windowTotal - count(baselineByGroup, g, bin) / (double) baselineTotal;
            double aligned = part * Math.signum(move);
            if (aligned > bestPart) {
                bestPart = aligned;
                best = g;
            }
        }
        return best == null ? null : new Explanation(best, bestPart / Math.abs(move));
    }

    private static long count(Map<String, Map<String, Long>> byGroup, String group, String bin) {
        Map<String, Long> bins = byGroup.get(group);
        return bins == null ? 0 : bins.getOrDefault(bin, 0L);
    }
}
