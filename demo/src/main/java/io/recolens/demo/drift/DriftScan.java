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
        Map<String, Long> itemCounts = new HashMap<>();
        double[] reservoir = new double[MAX_SCORE_SAMPLE];
        long[] seen = {0};
        // Reservoir sampling with a fixed seed: bounded memory on long baselines, and the same edges on every run.
        SplittableRandom random = new SplittableRandom(1);
        Consumer<Record> census = r -> {
            for (Record item : list(r.getField("items"))) {
                itemCounts.merge((String) item.getField("item_id"), 1L, Long::sum);
            }
        };
        lineage(baseline, r -> {
            census.accept(r);
            for (Record item : list(r.getField("items"))) {
                Object s = item.getField("score");
                if (s == null) continue;
                long i = seen[0]++;
                if (i < MAX_SCORE_SAMPLE) {
                    reservoir[(int) i] = (Double) s;
                } else {
                    long j = random.nextLong(i + 1);
                    if (j < MAX_SCORE_SAMPLE) reservoir[(int) j] = (Double) s;
                }
            }
        });
        lineage(window, census);
        Map<String, String> tiers = Bins.popularityTiers(itemCounts);
        double[] edges = Bins.decileEdges(java.util.Arrays.copyOf(reservoir, (int) Math.min(seen[0], MAX_SCORE_SAMPLE)));
        return new Counts(counts(baseline, tiers, edges), counts(window, tiers, edges));
    }

    private Map<Key, SignalCounts> counts(Range range, Map<String, String> tiers, double[] edges) {
        Map<Key, SignalCounts> out = new TreeMap<>(java.util.Comparator.comparing(Key::experiment).thenComparing(Key::variant)
                .thenComparing(Key::signal));
        lineage(range, r -> {
            Map<String, String> experiments = map(r.getField("experiments"));
            if (experiments.isEmpty()) return;
            String segment = r.getField("segment") == null ? "none" : (String) r.getField("segment");
            Map<String, String> groups = new LinkedHashMap<>();
            groups.put(DriftAnalysis.SEGMENT, segment);
            List<String> features = new ArrayList<>();
            for (Record f : list(r.getField("features"))) {
                String fv = f.getField("name") + "@" + f.getField("version");
                features.add(fv);
                groups.put(DriftAnalysis.FEATURE_PREFIX + f.getField("name"), fv);
            }
            Map<String, String> segmentOnly = Map.of(DriftAnalysis.SEGMENT, segment);
            for (Map.Entry<String, String> e : experiments.entrySet()) {
                for (String fv : features) {
                    at(out, e, FEATURE_VERSIONS).add(fv, 1, segmentOnly);
                }
                for (Record item : list(r.getField("items"))) {
                    at(out, e, POPULARITY_SERVED).add(tiers.getOrDefault((String) item.getField("item_id"), "unseen"), 1, groups);
                    Object s = item.getField("score");
                    if (s != null && edges.length > 0) at(out, e, RANKING_SCORE).add(Bins.scoreBin((Double) s, edges), 1, groups);
                }
                for (Record click : list(r.getField("clicks"))) {
                    at(out, e, POPULARITY_CLICKED).add(tiers.getOrDefault((String) click.getField("item_id"), "unseen"), 1, groups);
                }
            }
        });
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
