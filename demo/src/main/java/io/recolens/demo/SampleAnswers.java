package io.recolens.demo;

import io.recolens.connectors.iceberg.LatencyBuckets;
import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.connectors.iceberg.TableDefinitions;
import io.recolens.connectors.iceberg.TableReader;
import io.recolens.model.ExponentialHistogram;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.Record;

/**
 * The answers each query of {@code sql/<engine>/} must give on a warehouse, computed in Java from the rows the
 * project's own reader returns; column names and meanings are those of the query files.
 *
 * <p>Values are JSON-ready: numbers, strings, booleans, null, lists and maps; timestamps as ISO-8601 instants
 * ({@link Instant#toString()}), days as {@code yyyy-MM-dd}; an infinite percentile as the string
 * {@code "Infinity"} because JSON has no such number.
 */
final class SampleAnswers {

    /** How {@code ${FROM}} and {@code ${TO}} are written: UTC, the queries append the zone. */
    static final DateTimeFormatter PLACEHOLDER_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    static final double P95 = 0.95;

    private final Catalog catalog;
    private final RecolensCatalog recolens;
    private final Instant from;
    private final Instant to;
    private final LocalDate today;

    SampleAnswers(Catalog catalog, RecolensCatalog recolens, Instant from, Instant to, LocalDate today) {
        this.catalog = catalog;
        this.recolens = recolens;
        this.from = from;
        this.to = to;
        this.today = today;
    }

    Map<String, Object> all() {
        List<Record> lineage = rows(TableDefinitions.LINEAGE_HISTORY);
        List<Record> anomalies = rows(TableDefinitions.LINEAGE_ANOMALIES);
        String impressionId = sampleImpression(lineage);
        String traceId = sampleTrace(lineage, anomalies, impressionId);

        Map<String, Object> placeholders = new LinkedHashMap<>();
        placeholders.put("NAMESPACE", recolens.namespace().toString());
        placeholders.put("FROM", PLACEHOLDER_TIME.format(from));
        placeholders.put("TO", PLACEHOLDER_TIME.format(to));
        placeholders.put("IMPRESSION_ID", impressionId);
        placeholders.put("TRACE_ID", traceId);

        Map<String, Object> queries = new TreeMap<>();
        queries.put("ctr_by_variant", ctrByVariant());
        queries.put("side_effects_by_service", sideEffectsByService());
        queries.put("latency_percentiles", latencyPercentiles());
        queries.put("lineage_by_impression", lineage.stream()
                .filter(r -> impressionId.equals(r.getField("impression_id"))).map(this::lineageRow).toList());
        queries.put("lineage_by_trace", lineageByTrace(lineage, anomalies, traceId));
        queries.put("anomalies_by_variant", anomaliesByVariant(anomalies));
        queries.put("exposures_srm", exposuresSrm());
        queries.put("retention_state", retentionState());
        queries.put("lineage_completeness_by_variant", lineageCompletenessByVariant());
        queries.put("provenance_by_impression", lineage.stream()
                .filter(r -> impressionId.equals(r.getField("impression_id"))).flatMap(r -> provenanceRows(r).stream()).toList());

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("today", today.toString());
        out.put("placeholders", placeholders);
        out.put("queries", queries);
        return out;
    }

    private List<Record> rows(String table) {
        return TableReader.readAll(catalog, recolens.tableId(table));
    }

    private boolean inRange(Object timestamp) {
        Instant t = ((OffsetDateTime) timestamp).toInstant();
        return !t.isBefore(from) && t.isBefore(to);
    }

    /** SUM of the additive columns per experiment and variant over [FROM, TO), then ratios of the sums. */
    private List<Map<String, Object>> ctrByVariant() {
        Map<List<String>, long[]> sums = sumBy(rows(TableDefinitions.VARIANT_ENGAGEMENT), "window_start",
                r -> List.of((String) r.getField("experiment"), (String) r.getField("variant")),
                "impressions", "item_impressions", "clicks", "clicked_impressions");
        List<Map<String, Object>> out = new ArrayList<>();
        sums.forEach((key, s) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("experiment", key.get(0));
            row.put("variant", key.get(1));
            row.put("impressions", s[0]);
            row.put("item_impressions", s[1]);
            row.put("clicks", s[2]);
            row.put("clicked_impressions", s[3]);
            row.put("ctr", ratio(s[2], s[0]));
            row.put("item_ctr", ratio(s[2], s[1]));
            row.put("slate_ctr", ratio(s[3], s[0]));
            out.add(row);
        });
        return out;
    }

    /** Sums per experiment, variant and service over [FROM, TO); p95 from the element-wise summed histogram. */
    private List<Map<String, Object>> sideEffectsByService() {
        List<Record> rows = rows(TableDefinitions.VARIANT_SIDE_EFFECTS);
        Function<Record, List<String>> key = r -> List.of((String) r.getField("experiment"), (String) r.getField("variant"),
                (String) r.getField("service"));
        Map<List<String>, long[]> sums = sumBy(rows, "window_start", key,
                "span_count", "error_count", "duration_sum_micros", "db_calls", "db_time_micros", "cache_hits", "cache_misses");
        Map<List<String>, long[]> histograms = new TreeMap<>(LIST_ORDER);
        for (Record r : rows) {
            if (!inRange(r.getField("window_start"))) continue;
            @SuppressWarnings("unchecked")
            List<Long> h = (List<Long>) r.getField("latency_histogram");
            long[] acc = histograms.computeIfAbsent(key.apply(r), k -> LatencyBuckets.newHistogram());
            for (int i = 0; i < h.size(); i++) acc[i] += h.get(i) == null ? 0 : h.get(i);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        sums.forEach((k, s) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("experiment", k.get(0));
            row.put("variant", k.get(1));
            row.put("service", k.get(2));
            row.put("spans", s[0]);
            row.put("errors", s[1]);
            row.put("error_rate", ratio(s[1], s[0]));
            row.put("mean_ms", s[0] == 0 ? null : s[2] / (double) s[0] / 1000.0);
            row.put("db_calls", s[3]);
            row.put("db_time_ms", s[4] / 1000.0);
            row.put("cache_hits", s[5]);
            row.put("cache_misses", s[6]);
            row.put("cache_hit_rate", ratio(s[5], s[5] + s[6]));
            double p95 = LatencyBuckets.percentile(histograms.get(k), P95);
            row.put("p95_ms", Double.isNaN(p95) ? null : Double.isInfinite(p95) ? "Infinity" : p95);
            out.add(row);
        });
        return out;
    }

    /** p50/p95/p99 per experiment, variant and service over [FROM, TO) from the summed exponential histograms. */
    private List<Map<String, Object>> latencyPercentiles() {
        Map<List<String>, ExponentialHistogram> histograms = new TreeMap<>(LIST_ORDER);
        for (Record r : rows(TableDefinitions.VARIANT_SIDE_EFFECTS)) {
            if (!inRange(r.getField("window_start")) || r.getField("latency_exp_histogram") == null) continue;
            histograms.computeIfAbsent(List.of((String) r.getField("experiment"), (String) r.getField("variant"),
                    (String) r.getField("service")), k -> new ExponentialHistogram())
                    .merge(ExponentialHistogram.fromMap((Map<?, ?>) r.getField("latency_exp_histogram")));
        }
        List<Map<String, Object>> out = new ArrayList<>();
        histograms.forEach((k, h) -> {
            if (h.total() == 0) return;
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("experiment", k.get(0));
            row.put("variant", k.get(1));
            row.put("service", k.get(2));
            row.put("histogram_spans", h.total());
            row.put("p50_ms", h.percentileMillis(0.50));
            row.put("p95_ms", h.percentileMillis(0.95));
            row.put("p99_ms", h.percentileMillis(0.99));
            out.add(row);
        });
        return out;
    }

    private Map<String, Object> lineageRow(Record r) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (String f : List.of("impression_id", "trace_id", "lineage_id", "unit_key", "session_id", "surface", "segment")) {
            row.put(f, r.getField(f));
        }
        row.put("served_at", json(r.getField("served_at")));
        row.put("experiments", json(r.getField("experiments")));
        row.put("variant_sources", json(r.getField("variant_sources")));
        row.put("model_name", r.getField("model_name"));
        row.put("model_version", r.getField("model_version"));
        row.put("features", json(r.getField("features")));
        row.put("item_count", size(r.getField("items")));
        row.put("click_count", size(r.getField("clicks")));
        Record trace = (Record) r.getField("trace");
        for (String f : List.of("span_count", "error_count", "root_duration_micros", "db_time_micros")) {
            row.put("trace_" + f, trace == null ? null : trace.getField(f));
        }
        return row;
    }

    /** Every impression of the trace with the trace's summary, and how many findings name the trace. */
    private List<Map<String, Object>> lineageByTrace(List<Record> lineage, List<Record> anomalies, String traceId) {
        long findings = anomalies.stream().filter(a -> traceId.equals(a.getField("trace_id"))).count();
        List<Map<String, Object>> out = new ArrayList<>();
        for (Record r : lineage) {
            if (!traceId.equals(r.getField("trace_id"))) continue;
            Record trace = (Record) r.getField("trace");
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("trace_id", traceId);
            row.put("impression_id", r.getField("impression_id"));
            row.put("served_at", json(r.getField("served_at")));
            row.put("experiments", json(r.getField("experiments")));
            row.put("model_version", r.getField("model_version"));
            row.put("click_count", size(r.getField("clicks")));
            for (String f : List.of("span_count", "error_count", "root_duration_micros", "db_time_micros", "cache_hits", "cache_misses",
                    "service_time_micros")) {
                row.put(f, trace == null ? null : json(trace.getField(f)));
            }
            row.put("anomalies", findings);
            out.add(row);
        }
        return out;
    }

    /** Findings per kind, experiment and variant over [FROM, TO) of their event time; null experiment is a group. */
    private List<Map<String, Object>> anomaliesByVariant(List<Record> anomalies) {
        Map<List<String>, Long> counts = new TreeMap<>(LIST_ORDER);
        for (Record r : anomalies) {
            if (!inRange(r.getField("event_time"))) continue;
            counts.merge(java.util.Arrays.asList((String) r.getField("kind"), (String) r.getField("experiment"),
                    (String) r.getField("variant")), 1L, Long::sum);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        counts.forEach((k, n) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("kind", k.get(0));
            row.put("experiment", k.get(1));
            row.put("variant", k.get(2));
            row.put("findings", n);
            out.add(row);
        });
        return out;
    }

    /** SUM per UTC day, experiment and variant over the days from FROM's to TO's (both included), then the share. */
    private List<Map<String, Object>> lineageCompletenessByVariant() {
        LocalDate first = from.atZone(ZoneOffset.UTC).toLocalDate();
        LocalDate last = to.atZone(ZoneOffset.UTC).toLocalDate();
        Map<List<String>, long[]> sums = new TreeMap<>(LIST_ORDER);
        for (Record r : rows(TableDefinitions.LINEAGE_COMPLETENESS)) {
            LocalDate day = (LocalDate) r.getField("day");
            if (day.isBefore(first) || day.isAfter(last)) continue;
            long[] acc = sums.computeIfAbsent(List.of(day.toString(), (String) r.getField("experiment"), (String) r.getField("variant")),
                    k -> new long[5]);
            String[] measures = {"impressions", "complete_impressions", "features", "features_with_ancestry", "stale_features"};
            for (int i = 0; i < measures.length; i++) acc[i] += ((Number) r.getField(measures[i])).longValue();
        }
        List<Map<String, Object>> out = new ArrayList<>();
        sums.forEach((k, s) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("day", k.get(0));
            row.put("experiment", k.get(1));
            row.put("variant", k.get(2));
            row.put("impressions", s[0]);
            row.put("complete_impressions", s[1]);
            row.put("completeness", ratio(s[1], s[0]));
            row.put("features_missing_ancestry", s[2] - s[3]);
            row.put("stale_features", s[4]);
            out.add(row);
        });
        return out;
    }

    /** One row per feature of a lineage row, with its provenance. */
    private List<Map<String, Object>> provenanceRows(Record r) {
        List<Map<String, Object>> out = new ArrayList<>();
        @SuppressWarnings("unchecked")
        List<Record> features = (List<Record>) r.getField("features");
        if (features == null) return out;
        for (Record f : features) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("impression_id", r.getField("impression_id"));
            row.put("lineage_id", r.getField("lineage_id"));
            row.put("model_name", r.getField("model_name"));
            row.put("model_version", r.getField("model_version"));
            row.put("feature", f.getField("name"));
            row.put("feature_version", f.getField("version"));
            row.put("feature_hash", f.getField("hash"));
            row.put("source", f.getField("source"));
            row.put("pipeline_trace_id", f.getField("pipeline_trace_id"));
            row.put("produced_at", json(f.getField("produced_at")));
            out.add(row);
        }
        return out;
    }

    /** Units whose earliest exposure (MIN over repeated rows) is in [FROM, TO), per variant, and each variant's share. */
    private List<Map<String, Object>> exposuresSrm() {
        Map<List<String>, Instant> first = new TreeMap<>(LIST_ORDER);
        for (Record r : rows(TableDefinitions.EXPERIMENT_EXPOSURES)) {
            Instant t = ((OffsetDateTime) r.getField("first_exposure_at")).toInstant();
            first.merge(List.of((String) r.getField("experiment"), (String) r.getField("variant"), (String) r.getField("unit_key")),
                    t, (a, b) -> a.isBefore(b) ? a : b);
        }
        Map<List<String>, Long> units = new TreeMap<>(LIST_ORDER);
        Map<String, Long> perExperiment = new TreeMap<>();
        first.forEach((k, t) -> {
            if (t.isBefore(from) || !t.isBefore(to)) return;
            units.merge(k.subList(0, 2), 1L, Long::sum);
            perExperiment.merge(k.get(0), 1L, Long::sum);
        });
        List<Map<String, Object>> out = new ArrayList<>();
        units.forEach((k, n) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("experiment", k.get(0));
            row.put("variant", k.get(1));
            row.put("units", n);
            row.put("share", n / (double) perExperiment.get(k.get(0)));
            out.add(row);
        });
        return out;
    }

    /** Per table: rows, oldest and newest partition day, declared retention, and whether data is older than it. */
    private List<Map<String, Object>> retentionState() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String name : TableDefinitions.JOB_TABLES) {
            Table table = catalog.loadTable(recolens.tableId(name));
            PartitionField day = table.spec().fields().get(0);
            String column = table.schema().findColumnName(day.sourceId());
            LocalDate oldest = null;
            LocalDate newest = null;
            long count = 0;
            for (Record r : TableReader.readAll(table)) {
                count++;
                Object v = r.getField(column);
                LocalDate d = v instanceof OffsetDateTime t ? t.atZoneSameInstant(ZoneOffset.UTC).toLocalDate() : (LocalDate) v;
                oldest = oldest == null || d.isBefore(oldest) ? d : oldest;
                newest = newest == null || d.isAfter(newest) ? d : newest;
            }
            String retentionProperty = table.properties().get("recolens.retention.days");
            Integer retention = retentionProperty == null ? null : Integer.valueOf(retentionProperty);
            LocalDate oldestAllowed = retention == null ? null : today.minusDays(retention);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("table_name", name);
            row.put("row_count", count);
            row.put("oldest_day", oldest == null ? null : oldest.toString());
            row.put("newest_day", newest == null ? null : newest.toString());
            row.put("retention_days", retention);
            row.put("oldest_allowed_day", oldestAllowed == null ? null : oldestAllowed.toString());
            row.put("beyond_retention", oldest == null || oldestAllowed == null ? null : oldest.isBefore(oldestAllowed));
            out.add(row);
        }
        return out;
    }

    /**
     * The impression the lineage queries look up: one in the time range with clicks and features, so every
     * nested column has content; the smallest ID, so a rerun with the same seed picks the same one.
     */
    private String sampleImpression(List<Record> lineage) {
        return lineage.stream()
                .filter(r -> inRange(r.getField("served_at")) && size(r.getField("clicks")) > 0 && size(r.getField("features")) > 0)
                .map(r -> (String) r.getField("impression_id"))
                .min(Comparator.naturalOrder())
                .orElseGet(() -> lineage.stream().map(r -> (String) r.getField("impression_id")).min(Comparator.naturalOrder())
                        .orElseThrow(() -> new IllegalStateException("lineage_history is empty: nothing to sample")));
    }

    /** A trace that has both lineage rows and findings, so the trace query's join is exercised; else the sample impression's. */
    private String sampleTrace(List<Record> lineage, List<Record> anomalies, String impressionId) {
        java.util.Set<Object> withLineage = new java.util.HashSet<>();
        lineage.forEach(r -> withLineage.add(r.getField("trace_id")));
        return anomalies.stream()
                .map(a -> (String) a.getField("trace_id"))
                .filter(t -> t != null && withLineage.contains(t))
                .min(Comparator.naturalOrder())
                .orElseGet(() -> lineage.stream().filter(r -> impressionId.equals(r.getField("impression_id")))
                        .map(r -> (String) r.getField("trace_id")).findFirst().orElseThrow());
    }

    private Map<List<String>, long[]> sumBy(List<Record> rows, String timeColumn, Function<Record, List<String>> key, String... measures) {
        Map<List<String>, long[]> out = new TreeMap<>(LIST_ORDER);
        for (Record r : rows) {
            if (!inRange(r.getField(timeColumn))) continue;
            long[] acc = out.computeIfAbsent(key.apply(r), k -> new long[measures.length]);
            for (int i = 0; i < measures.length; i++) {
                Object v = r.getField(measures[i]);
                // SQL SUM skips nulls; so does this.
                acc[i] += v == null ? 0 : ((Number) v).longValue();
            }
        }
        return out;
    }

    private static Double ratio(long numerator, long denominator) {
        // NULLIF(denominator, 0) in the queries: no ratio rather than a division by zero.
        return denominator == 0 ? null : numerator / (double) denominator;
    }

    private static int size(Object list) {
        return list == null ? 0 : ((List<?>) list).size();
    }

    /** Iceberg generic values to JSON-ready ones: structs become maps by field name. */
    private static Object json(Object v) {
        if (v instanceof OffsetDateTime t) return t.toInstant().toString();
        if (v instanceof Record r) {
            Map<String, Object> m = new LinkedHashMap<>();
            r.struct().fields().forEach(f -> m.put(f.name(), json(r.getField(f.name()))));
            return m;
        }
        if (v instanceof List<?> l) return l.stream().map(SampleAnswers::json).toList();
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> m = new TreeMap<>();
            map.forEach((k, x) -> m.put(String.valueOf(k), json(x)));
            return m;
        }
        if (v instanceof ByteBuffer) throw new IllegalArgumentException("binary columns are not part of any query answer");
        return v;
    }

    /** Orders composite keys element by element, nulls first, so answers come out in a stable order. */
    private static final Comparator<List<String>> LIST_ORDER = (a, b) -> {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = Objects.compare(a.get(i), b.get(i), Comparator.nullsFirst(Comparator.naturalOrder()));
            if (c != 0) return c;
        }
        return Integer.compare(a.size(), b.size());
    };
}
