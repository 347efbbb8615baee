package io.recolens.jobs.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recolens.simulator.GroundTruth;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What join 3 must write, computed from the delivered impressions (generic JSON) and the simulator's ground truth
 * of provenance runs and injected faults, with none of the job's code: per impression and feature the expected
 * provenance, and the exact number of each lineage anomaly and of the completeness per variant.
 */
final class LineageExpectations {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long DAY_MS = 86_400_000L;

    /** The provenance one served feature must carry; all null when it has no known ancestry. */
    record Expected(String source, String pipelineTraceId, Long producedAt) {}

    record Served(String impressionId, String traceId, String lineageId, String userId, long servedAt,
                  Map<String, String> experiments, List<String[]> features) {}

    /** impression ID → feature name → expected provenance. */
    final Map<String, Map<String, Expected>> provenance = new HashMap<>();
    final Map<String, Served> served = new LinkedHashMap<>();
    long missingAncestry;
    long stale;
    long modelMismatches;
    /** impression|feature of each feature_hash_mismatch: per unit, lineage and feature version, the first to serve each deviating hash. */
    final Set<String> hashMismatches = new HashSet<>();
    /** day|experiment=variant → {impressions, complete, features, with ancestry, stale}. */
    final Map<String, long[]> completeness = new TreeMap<>();

    static LineageExpectations compute(List<byte[]> impressions, GroundTruth truth, long waitMs, long staleAfterMs) throws Exception {
        LineageExpectations e = new LineageExpectations();
        for (byte[] bytes : impressions) {
            JsonNode n = JSON.readTree(bytes);
            String id = n.get("impression_id").asText();
            if (e.served.containsKey(id)) continue;
            Map<String, String> experiments = new TreeMap<>();
            n.get("experiments").fields().forEachRemaining(x -> experiments.put(x.getKey(), x.getValue().asText()));
            List<String[]> features = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.get("features").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                features.add(new String[] {f.getKey(), f.getValue().get("version").asText(), f.getValue().get("hash").asText()});
            }
            e.served.put(id, new Served(id, n.get("trace_id").asText().toLowerCase(), n.get("lineage_id").asText(),
                    n.get("user_id").asText(), time(n.get("timestamp")), experiments, features));
        }
        for (Served s : e.served.values()) {
            Map<String, Expected> perFeature = new HashMap<>();
            long withAncestry = 0;
            long staleHere = 0;
            for (String[] f : s.features()) {
                Expected x = pick(truth, s, f[0], f[1], waitMs);
                perFeature.put(f[0], x);
                if (x.pipelineTraceId() == null) {
                    e.missingAncestry++;
                } else {
                    withAncestry++;
                    if (s.servedAt() - x.producedAt() > staleAfterMs) staleHere++;
                }
            }
            e.stale += staleHere;
            e.provenance.put(s.impressionId(), perFeature);
            for (Map.Entry<String, String> x : s.experiments().entrySet()) {
                long[] c = e.completeness.computeIfAbsent(Math.floorDiv(s.servedAt(), DAY_MS) + "|" + x.getKey() + "=" + x.getValue(),
                        k -> new long[5]);
                c[0]++;
                c[1] += withAncestry == s.features().size() ? 1 : 0;
                c[2] += s.features().size();
                c[3] += withAncestry;
                c[4] += staleHere;
            }
        }
        Set<String> mismatched = new HashSet<>(truth.lineage().modelMismatchImpressionIds());
        e.modelMismatches = e.served.keySet().stream().filter(mismatched::contains).count();
        // Per unit (user), lineage, feature and version: the unit's earliest impression's hash is the reference.
        Map<String, List<Served>> byVersion = new HashMap<>();
        Map<String, String> hashOf = new HashMap<>();
        for (Served s : e.served.values()) {
            for (String[] f : s.features()) {
                byVersion.computeIfAbsent(s.userId() + "|" + s.lineageId() + "|" + f[0] + "|" + f[1], k -> new ArrayList<>()).add(s);
                hashOf.put(s.impressionId() + "|" + f[0], f[2]);
            }
        }
        byVersion.forEach((key, list) -> {
            String feature = key.split("\\|")[2];
            list.sort(Comparator.comparingLong(Served::servedAt).thenComparing(Served::impressionId));
            String reference = hashOf.get(list.get(0).impressionId() + "|" + feature);
            Set<String> reported = new HashSet<>();
            for (Served s : list) {
                String h = hashOf.get(s.impressionId() + "|" + feature);
                if (!h.equals(reference) && reported.add(h)) e.hashMismatches.add(s.impressionId() + "|" + feature);
            }
        });
        return e;
    }

    /** Latest run produced no later than serving, else the earliest after; only steps started within the wait count. */
    private static Expected pick(GroundTruth truth, Served s, String feature, String version, long waitMs) {
        GroundTruth.ProvenanceStep best = null;
        String bestTrace = null;
        boolean bestBefore = false;
        for (GroundTruth.ProvenanceRun run : truth.lineage().runs()) {
            if (!run.lineageId().equals(s.lineageId())) continue;
            for (GroundTruth.ProvenanceStep step : run.steps()) {
                if (!step.feature().equals(feature) || !step.version().equals(version) || step.startMs() > s.servedAt() + waitMs) continue;
                boolean before = step.endMs() <= s.servedAt();
                boolean better = best == null
                        || (before && !bestBefore)
                        || (before && bestBefore && step.endMs() > best.endMs())
                        || (!before && !bestBefore && step.endMs() < best.endMs());
                if (better) {
                    best = step;
                    bestTrace = run.traceId();
                    bestBefore = before;
                }
            }
        }
        return best == null ? new Expected(null, null, null) : new Expected(best.source(), bestTrace, best.endMs());
    }

    private static long time(JsonNode n) {
        return n.isNumber() ? n.asLong() : Instant.parse(n.asText()).toEpochMilli();
    }
}
