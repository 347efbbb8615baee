package io.recolens.jobs.functions;

import io.recolens.jobs.config.CardinalityLimits;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Bounds the distinct values of each aggregate dimension within one task: the first N values seen pass, the
 * rest become {@link #OVERFLOW}, so a bad client cannot blow up the tables while the totals still add up.
 */
public final class CardinalityLimiter {
    public static final String OVERFLOW = "__overflow__";
    /** Longest dimension value kept; longer ones are cut, since they are almost always IDs leaking into names. */
    static final int MAX_VALUE_LENGTH = 200;

    private final CardinalityLimits limits;
    private final Set<String> experiments = new HashSet<>();
    private final Map<String, Set<String>> variants = new HashMap<>();
    private final Set<String> surfaces = new HashSet<>();
    private final Set<String> segments = new HashSet<>();
    private final Set<String> services = new HashSet<>();
    private final Map<String, Set<String>> operations = new HashMap<>();

    public CardinalityLimiter(CardinalityLimits limits) {
        this.limits = limits;
    }

    public String experiment(String experiment) {
        return admit(experiments, experiment, limits.experiments);
    }

    public String variant(String experiment, String variant) {
        if (OVERFLOW.equals(experiment)) return OVERFLOW;
        return admit(variants.computeIfAbsent(experiment, k -> new HashSet<>()), variant, limits.variantsPerExperiment);
    }

    public String surface(String surface) {
        return admit(surfaces, surface, limits.surfaces);
    }

    public String segment(String segment) {
        return admit(segments, segment, limits.segments);
    }

    public String service(String service) {
        return admit(services, service, limits.services);
    }

    public String operation(String service, String operation) {
        if (OVERFLOW.equals(service)) return OVERFLOW;
        return admit(operations.computeIfAbsent(service, k -> new HashSet<>()), operation, limits.operationsPerService);
    }

    private static String admit(Set<String> seen, String value, int limit) {
        String v = value == null ? "" : value.length() > MAX_VALUE_LENGTH ? value.substring(0, MAX_VALUE_LENGTH) : value;
        if (seen.contains(v)) return v;
        if (seen.size() < limit) {
            seen.add(v);
            return v;
        }
        return OVERFLOW;
    }
}
