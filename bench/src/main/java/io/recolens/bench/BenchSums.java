package io.recolens.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** The shape both the pipeline and the SQL reference report their totals in, so they compare as plain maps. */
final class BenchSums {
    private BenchSums() {}

    /** experiment/variant → {impressions, clicks}. */
    static Map<String, Map<String, Long>> engagement(Map<String, long[]> sums) {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        sums.forEach((k, s) -> out.put(k, Map.of("impressions", s[0], "clicks", s[1])));
        return out;
    }

    /** experiment/variant/service → {spans, errors, duration_micros}. */
    static Map<String, Map<String, Long>> sideEffects(Map<String, long[]> sums) {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        sums.forEach((k, s) -> out.put(k, Map.of("spans", s[0], "errors", s[1], "duration_micros", s[2])));
        return out;
    }
}
