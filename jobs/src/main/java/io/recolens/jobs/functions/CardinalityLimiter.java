package io.recolens.jobs.functions;

import io.recolens.jobs.config.CardinalityLimits;
import java.util.Map;
import java.util.Set;

/**
 * The admission rule of the cardinality limits, over slots kept elsewhere ({@link CardinalityLimit} keeps them in
 * keyed state): a value already admitted passes and is marked used at {@code now}; a registered experiment or
 * variant ({@code experiments.known}) always passes and takes no slot; any other value takes a free slot of its
 * scope or becomes {@link #OVERFLOW}. Rows stay additive: an overflowed value's counts go to the overflow bucket.
 */
public final class CardinalityLimiter implements LimitedDimensions.Dimensions {
    public static final String OVERFLOW = "__overflow__";
    /** Longest dimension value kept; longer ones are cut, since they are almost always IDs leaking into names. */
    static final int MAX_VALUE_LENGTH = 200;

    static final String EXPERIMENTS = "experiment";
    static final String VARIANTS = "variant";
    static final String SURFACES = "surface";
    static final String SEGMENTS = "segment";
    static final String SERVICES = "service";
    static final String OPERATIONS = "operation";
    private static final char SEP = '\u0000';

    /** Where admitted values and their last use live. A scope is one dimension, or one per parent value. */
    public interface Slots {
        Long lastUsed(String scope, String value) throws Exception;

        /** Admits the value or refreshes its last use. */
        void use(String scope, String value, long time) throws Exception;

        int size(String scope) throws Exception;
    }

    private final CardinalityLimits limits;
    private final Map<String, Set<String>> known;
    private final Slots slots;
    private final long now;
    private final boolean admitNew;

    /**
     * @param admitNew false: only mark already-admitted values as used at {@code now} and return every value as it is
     *     (the first pass over an instant's rows, so a value used again is not forgotten at that same instant)
     */
    public CardinalityLimiter(CardinalityLimits limits, Map<String, Set<String>> known, Slots slots, long now, boolean admitNew) {
        this.limits = limits;
        this.known = known;
        this.slots = slots;
        this.now = now;
        this.admitNew = admitNew;
    }

    @Override
    public String experiment(String experiment) throws Exception {
        String e = cut(experiment);
        if (known.containsKey(e)) return e;
        return admit(EXPERIMENTS, e, limits.experiments);
    }

    @Override
    public String variant(String experiment, String variant) throws Exception {
        String v = cut(variant);
        if (OVERFLOW.equals(experiment)) return OVERFLOW;
        Set<String> registered = known.get(experiment);
        if (registered != null && registered.contains(v)) return v;
        return admit(VARIANTS + SEP + experiment, v, limits.variantsPerExperiment);
    }

    @Override
    public String surface(String surface) throws Exception {
        return admit(SURFACES, cut(surface), limits.surfaces);
    }

    @Override
    public String segment(String segment) throws Exception {
        return admit(SEGMENTS, cut(segment), limits.segments);
    }

    @Override
    public String service(String service) throws Exception {
        return admit(SERVICES, cut(service), limits.services);
    }

    @Override
    public String operation(String service, String operation) throws Exception {
        String o = cut(operation);
        if (OVERFLOW.equals(service)) return OVERFLOW;
        return admit(OPERATIONS + SEP + service, o, limits.operationsPerService);
    }

    /** Whether a value is always admitted without a slot: a registered experiment, or a registered variant of one. */
    static boolean isKnown(Map<String, Set<String>> known, String experiment, String variant) {
        Set<String> registered = known.get(experiment);
        return registered != null && registered.contains(variant);
    }

    private String admit(String scope, String value, int limit) throws Exception {
        Long last = slots.lastUsed(scope, value);
        if (last != null) {
            if (now > last) slots.use(scope, value, now);
            return value;
        }
        if (!admitNew) return value;
        if (slots.size(scope) < limit) {
            slots.use(scope, value, now);
            return value;
        }
        return OVERFLOW;
    }

    /** Cut to the longest kept; the separators of state and aggregate keys are taken out so no value can forge a scope. */
    static String cut(String value) {
        if (value == null) return "";
        String v = value.length() > MAX_VALUE_LENGTH ? value.substring(0, MAX_VALUE_LENGTH) : value;
        return v.indexOf('\u0000') < 0 && v.indexOf('\u0001') < 0 ? v : v.replace('\u0000', ' ').replace('\u0001', ' ');
    }
}
