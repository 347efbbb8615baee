package io.recolens.demo.drift;

import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.connectors.iceberg.TableDefinitions;
import io.recolens.stats.drift.Bins;
import io.recolens.stats.drift.DriftAnalysis;
import io.recolens.stats.drift.SignalCounts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Reads one time range of {@code lineage_history} and {@code variant_side_effects} (Iceberg generics, only the
 * columns drift needs, rows streamed rather than held) into {@link SignalCounts} per experiment, variant and signal.
 * Item popularity tiers and score deciles need both ranges first, so lineage_history is read twice.
 */
public final class DriftScan {
    public static final String POPULARITY_SERVED = "item_popularity_served";
    public static final String POPULARITY_CLICKED = "item_popularity_clicked";
    public static final String RANKING_SCORE = "ranking_score";
    public static final String FEATURE_VERSIONS = "feature_versions";
    public static final String SERVICE_LATENCY = "service_latency";

    /** Every signal with its attribution rule, in output order. */
    public static final Map<String, DriftAnalysis.Rule> SIGNALS = signals();

    /** Most baseline scores kept for the decile edges (a uniform sample beyond). */
    private static final int MAX_SCORE_SAMPLE = 500_000;

    /** A half-open time range [from, to). */
    public record Range(Instant from, Instant to) {
        public Range {
            if (!from.isBefore(to)) throw new IllegalArgumentException("empty range [" + from + ", " + to + ")");
        }
    }

    /** One experiment variant's signal. */
    public record Key(String experiment, String variant, String signal) {}

    /** The counts of both ranges, keyed alike. */
    public record Counts(Map<Key, SignalCounts> baseline, Map<Key, SignalCounts> window) {}

    private final Catalog catalog;
    private final RecolensCatalog recolens;

    public DriftScan(Catalog catalog, RecolensCatalog recolens) {
        this.catalog = catalog;
        this.recolens = recolens;
    }

    public Counts scan(Range baseline, Range window) {
        Census census = new Census();
        lineage(baseline, r -> census.baseline(impression(r)));
        lineage(window, r -> census.window(impression(r)));
        Map<String, String> tiers = census.tiers();
        double[] edges = census.scoreEdges();
        return new Counts(counts(baseline, tiers, edges), counts(window, tiers, edges));
    }

    /**
     * What the bins need from both ranges before counting: every served item's count (popularity tiers) and a sample
     * of the baseline's scores (decile edges).
     */
    public static final class Census {
        private final Map<String, Long> itemCounts = new HashMap<>();
        private final double[] reservoir = new double[MAX_SCORE_SAMPLE];
        private long scores;
        // Reservoir sampling with a fixed seed: bounded memory on long baselines, and the same edges on every run.
        private final SplittableRandom random = new SplittableRandom(1);

        public void baseline(Impression imp) {
            window(imp);
            for (Item item : imp.items()) {
                if (item.score() == null) continue;
                long i = scores++;
                if (i < MAX_SCORE_SAMPLE) {
                    reservoir[(int) i] = item.score();
                } else {
                    long j = random.nextLong(i + 1);
                    if (j < MAX_SCORE_SAMPLE) reservoir[(int) j] = item.score();
                }
            }
        }

        public void window(Impression imp) {
            for (Item item : imp.items()) itemCounts.merge(item.itemId(), 1L, Long::sum);
        }

        public Map<String, String> tiers() {
            return Bins.popularityTiers(itemCounts);
        }

        public double[] scoreEdges() {
            return Bins.decileEdges(java.util.Arrays.copyOf(reservoir, (int) Math.min(scores, MAX_SCORE_SAMPLE)));
        }
    }

    private Map<Key, SignalCounts> counts(Range range, Map<String, String> tiers, double[] edges) {
        Map<Key, SignalCounts> out = newCounts();
        lineage(range, r -> add(out, impression(r), tiers, edges));
        Table sideEffects = catalog.loadTable(recolens.tableId(TableDefinitions.VARIANT_SIDE_EFFECTS));
        scan(sideEffects, "window_start", range, List.of("window_start", "experiment", "variant", "service", "latency_exp_histogram"), r -> {
            String service = (String) r.getField("service");
            SignalCounts c = out.computeIfAbsent(new Key((String) r.getField("experiment"), (String) r.getField("variant"), SERVICE_LATENCY),
                    k -> new SignalCounts());
            Map<String, String> group = Map.of(DriftAnalysis.SERVICE, service);
            for (Map.Entry<?, ?> b : ((Map<?, ?>) r.getField("latency_exp_histogram")).entrySet()) {
                c.add(service + " " + Bins.latencyBin(((Number) b.getKey()).intValue()), ((Number) b.getValue()).longValue(), group);
            }
        });
        return out;
    }

    /** A served feature. */
    public record Feature(String name, String version) {}

    /** A slate item; {@code score} may be null. */
    public record Item(String itemId, Double score) {}

    /** What drift reads of one {@code lineage_history} row. */
    public record Impression(String segment, Map<String, String> experiments, List<Feature> features, List<Item> items,
            List<String> clickedItems) {}

    /**
     * Adds one impression to the counts of each experiment variant it ran in: its features, its items by popularity
     * tier and by score decile, its clicked items by tier. Each observation is grouped by the impression's segment and,
     * except for feature_versions itself, by the version of each feature it served.
     */
    public static void add(Map<Key, SignalCounts> out, Impression imp, Map<String, String> tiers, double[] edges) {
        if (imp.experiments().isEmpty()) return;
        String segment = imp.segment() == null ? "none" : imp.segment();
        Map<String, String> groups = new LinkedHashMap<>();
        groups.put(DriftAnalysis.SEGMENT, segment);
        List<String> features = new ArrayList<>();
        for (Feature f : imp.features()) {
            String fv = f.name() + "@" + f.version();
            features.add(fv);
            groups.put(DriftAnalysis.FEATURE_PREFIX + f.name(), fv);
        }
        Map<String, String> segmentOnly = Map.of(DriftAnalysis.SEGMENT, segment);
        for (Map.Entry<String, String> e : imp.experiments().entrySet()) {
            for (String fv : features) {
                at(out, e, FEATURE_VERSIONS).add(fv, 1, segmentOnly);
            }
            for (Item item : imp.items()) {
                at(out, e, POPULARITY_SERVED).add(tiers.getOrDefault(item.itemId(), "unseen"), 1, groups);
                if (item.score() != null && edges.length > 0) at(out, e, RANKING_SCORE).add(Bins.scoreBin(item.score(), edges), 1, groups);
            }
            for (String clicked : imp.clickedItems()) {
                at(out, e, POPULARITY_CLICKED).add(tiers.getOrDefault(clicked, "unseen"), 1, groups);
            }
        }
    }

    /** The map drift keys its counts by: experiment, variant, then signal in output order. */
    public static Map<Key, SignalCounts> newCounts() {
        return new TreeMap<>(java.util.Comparator.comparing(Key::experiment).thenComparing(Key::variant)
                .thenComparing(k -> List.copyOf(SIGNALS.keySet()).indexOf(k.signal())));
    }

    private static Impression impression(Record r) {
        List<Feature> features = new ArrayList<>();
        for (Record f : list(r.getField("features"))) features.add(new Feature((String) f.getField("name"), (String) f.getField("version")));
        List<Item> items = new ArrayList<>();
        for (Record i : list(r.getField("items"))) items.add(new Item((String) i.getField("item_id"), (Double) i.getField("score")));
        List<String> clicked = new ArrayList<>();
        for (Record c : list(r.getField("clicks"))) clicked.add((String) c.getField("item_id"));
        return new Impression((String) r.getField("segment"), map(r.getField("experiments")), features, items, clicked);
    }

    private static SignalCounts at(Map<Key, SignalCounts> out, Map.Entry<String, String> experiment, String signal) {
        return out.computeIfAbsent(new Key(experiment.getKey(), experiment.getValue(), signal), k -> new SignalCounts());
    }

    private void lineage(Range range, Consumer<Record> each) {
        scan(catalog.loadTable(recolens.tableId(TableDefinitions.LINEAGE_HISTORY)), "served_at", range,
                List.of("served_at", "segment", "experiments", "features", "items", "clicks"), each);
    }

    private static void scan(Table table, String timeColumn, Range range, List<String> columns, Consumer<Record> each) {
        table.refresh();
        try (CloseableIterable<Record> rows = IcebergGenerics.read(table).select(columns.toArray(String[]::new))
                .where(Expressions.and(Expressions.greaterThanOrEqual(timeColumn, micros(range.from())),
                        Expressions.lessThan(timeColumn, micros(range.to()))))
                .build()) {
            for (Record r : rows) each.accept(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read table " + table.name() + ": " + e.getMessage(), e);
        }
    }

    private static long micros(Instant i) {
        return Math.multiplyExact(i.getEpochSecond(), 1_000_000L) + i.getNano() / 1_000;
    }

    @SuppressWarnings("unchecked")
    private static List<Record> list(Object value) {
        return value == null ? List.of() : (List<Record>) value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> map(Object value) {
        return value == null ? Map.of() : new TreeMap<>((Map<String, String>) value);
    }

    private static Map<String, DriftAnalysis.Rule> signals() {
        Map<String, DriftAnalysis.Rule> s = new LinkedHashMap<>();
        s.put(FEATURE_VERSIONS, DriftAnalysis.Rule.BIN_IS_SIGNAL);
        s.put(POPULARITY_SERVED, DriftAnalysis.Rule.LARGEST_PART);
        s.put(POPULARITY_CLICKED, DriftAnalysis.Rule.LARGEST_PART);
        s.put(RANKING_SCORE, DriftAnalysis.Rule.LARGEST_PART);
        s.put(SERVICE_LATENCY, DriftAnalysis.Rule.SERVICE_SUM);
        return java.util.Collections.unmodifiableMap(s);
    }
}
