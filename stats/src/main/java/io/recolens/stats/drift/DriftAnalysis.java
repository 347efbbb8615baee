package io.recolens.stats.drift;

import java.util.Locale;
import java.util.Map;

/**
 * Compares one signal of one experiment variant between a baseline and a window (Jensen–Shannon divergence) and
 * names its most likely contributing signal. Pure: the caller reads the tables and writes the findings.
 */
public final class DriftAnalysis {
    /** Grouping kind of segments (cohorts). */
    public static final String SEGMENT = "segment";
    /** Grouping kind of services (span latency). */
    public static final String SERVICE = "service";
    /** Prefix of the grouping kinds "rows that served feature F at version V" ({@code feature:F} → {@code F@V}). */
    public static final String FEATURE_PREFIX = "feature:";

    private DriftAnalysis() {}

    /** How a signal's divergence is attributed. */
    public enum Rule {
        /** The bins are themselves signals (feature@version): the top bin is the contributor. */
        BIN_IS_SIGNAL,
        /** Each bin belongs to one service: the service whose bins add up to most of the divergence. */
        SERVICE_SUM,
        /** The segment or feature version whose rows carry most of the top bin's change in mass. */
        LARGEST_PART
    }

    /** Threshold in bits, noise multiple, and the fewest observations each range needs for a comparison. */
    public record Settings(double threshold, double noiseMultiple, long minCount) {
        public static final double DEFAULT_THRESHOLD = 0.02;
        public static final double DEFAULT_NOISE_MULTIPLE = 3.0;
        public static final long DEFAULT_MIN_COUNT = 200;

        public static Settings defaults() {
            return new Settings(DEFAULT_THRESHOLD, DEFAULT_NOISE_MULTIPLE, DEFAULT_MIN_COUNT);
        }
    }

    /** One comparison; {@code drifted} when it is a finding (above the threshold and the noise floor). */
    public record Comparison(String signal, double divergence, double noiseFloor, long baselineCount, long windowCount, int bins,
            String topBin, double topBinShare, double topBinBaselineShare, double topBinWindowShare, String contributorKind,
            String contributor, double contributorShare, String segment, Double segmentShare, boolean drifted) {

        /** The finding as one sentence. */
        public String sentence() {
            String s = String.format(Locale.ROOT, "%s diverged by %.4f bits (noise floor %.4f); bin %s moved from %.1f%% to %.1f%% (%.0f%% of the divergence);"
                    + " most likely %s %s (%.0f%%)", signal, divergence, noiseFloor, topBin, 100 * topBinBaselineShare, 100 * topBinWindowShare,
                    100 * topBinShare, contributorKind, contributor, 100 * contributorShare);
            if (segment != null && !(contributorKind.equals(SEGMENT) && contributor.equals(segment))) {
                s += String.format(Locale.ROOT, ", carried by segment %s (%.0f%%)", segment, 100 * segmentShare);
            }
            return s;
        }
    }

    /** The comparison, or null when either range has fewer than {@code minCount} observations. */
    public static Comparison compare(String signal, Rule rule, SignalCounts baseline, SignalCounts window, Settings settings) {
        JensenShannon.Result r = JensenShannon.compare(baseline.bins(), window.bins());
        if (r.baselineCount() < settings.minCount() || r.windowCount() < settings.minCount()) return null;
        String top = r.topBin();
        double noise = r.noiseFloor();
        boolean drifted = r.divergence() >= settings.threshold() && r.divergence() >= settings.noiseMultiple() * noise;
        Attribution.Explanation segment = Attribution.largestPart(top, baseline.groups(SEGMENT), window.groups(SEGMENT),
                r.baselineCount(), r.windowCount());
        String kind;
        String contributor;
        double share;
        switch (rule) {
            case BIN_IS_SIGNAL -> {
                kind = "feature";
                contributor = top;
                share = r.share(top);
            }
            case SERVICE_SUM -> {
                kind = SERVICE;
                contributor = null;
                share = 0;
                java.util.Set<String> services = new java.util.TreeSet<>(baseline.groups(SERVICE).keySet());
                services.addAll(window.groups(SERVICE).keySet());
                for (String service : services) {
                    double sum = 0;
                    java.util.Set<String> bins = new java.util.TreeSet<>(baseline.groups(SERVICE).getOrDefault(service, Map.of()).keySet());
                    bins.addAll(window.groups(SERVICE).getOrDefault(service, Map.of()).keySet());
                    for (String bin : bins) sum += r.share(bin);
                    if (contributor == null || sum > share) {
                        contributor = service;
                        share = sum;
                    }
                }
            }
            default -> {
                kind = SEGMENT;
                contributor = segment == null ? null : segment.group();
                share = segment == null ? 0 : segment.share();
                for (String k : window.kinds()) {
                    if (!k.startsWith(FEATURE_PREFIX)) continue;
                    Attribution.Explanation f = Attribution.largestPart(top, baseline.groups(k), window.groups(k), r.baselineCount(), r.windowCount());
                    // A feature version is the more specific explanation: it wins ties with a segment.
                    if (f != null && (contributor == null || f.share() >= share)) {
                        kind = "feature";
                        contributor = f.group();
                        share = f.share();
                    }
                }
            }
        }
        if (contributor == null) {
            kind = "none";
            contributor = "none";
        }
        return new Comparison(signal, r.divergence(), noise, r.baselineCount(), r.windowCount(), r.bins(), top, r.share(top),
                r.baselineShares().get(top), r.windowShares().get(top), kind, contributor, share,
                segment == null ? null : segment.group(), segment == null ? null : segment.share(), drifted);
    }
}
