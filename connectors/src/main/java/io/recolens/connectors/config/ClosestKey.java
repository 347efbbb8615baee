package io.recolens.connectors.config;

import java.util.Collection;
import java.util.Optional;

/** Finds the valid key nearest to a mistyped one (Levenshtein distance), for error messages that name the fix. */
public final class ClosestKey {
    private ClosestKey() {}

    /** The candidate with the smallest edit distance to {@code key}; empty when there are no candidates. */
    public static Optional<String> closest(String key, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(key, c);
            // Ties go to the alphabetically first candidate so the message is stable across runs.
            if (d < bestDistance || (d == bestDistance && best != null && c.compareTo(best) < 0)) {
                best = c;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** True when {@code key} is within {@code max} edits of some candidate: a typo rather than a different key. */
    public static boolean isNear(String key, Collection<String> candidates, int max) {
        for (String c : candidates) {
            if (Math.abs(c.length() - key.length()) <= max && distance(key, c) <= max) {
                return true;
            }
        }
        return false;
    }

    /** Levenshtein distance: insertions, deletions and substitutions each cost one. */
    public static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
