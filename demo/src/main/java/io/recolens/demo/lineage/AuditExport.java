package io.recolens.demo.lineage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.connectors.iceberg.TableDefinitions;
import io.recolens.connectors.iceberg.TableReader;
import io.recolens.jobs.pipeline.JobConfigurationRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;

/**
 * The audit bundle of one experiment over [from, to): its exposures (one row per unit: the first exposure) and
 * assignments (units per variant and their share), the daily lineage completeness per variant, the lineage
 * anomalies of its impressions, and the configuration the job recorded when it started — each as JSON and CSV, plus
 * one self-contained HTML page (no scripts, styles or fonts from elsewhere) and a manifest.
 */
public final class AuditExport {
    private final Catalog catalog;
    private final RecolensCatalog recolens;

    public AuditExport(Catalog catalog, RecolensCatalog recolens) {
        this.catalog = catalog;
        this.recolens = recolens;
    }

    /** The bundle's sections, each a list of flat rows (column → value) in a stable order. */
    public Map<String, List<Map<String, Object>>> sections(String experiment, Instant from, Instant to) {
        Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
        List<Map<String, Object>> exposures = exposures(experiment, from, to);
        out.put("assignments", assignments(exposures));
        out.put("exposures", exposures);
        out.put("completeness", completeness(experiment, from, to));
        out.put("anomalies", anomalies(experiment, from, to));
        out.put("configuration", configuration());
        return out;
    }

    /** Writes {@code <section>.json}, {@code <section>.csv}, {@code report.html} and {@code manifest.json} into {@code dir}. */
    public Map<String, Object> write(String experiment, Instant from, Instant to, Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, List<Map<String, Object>>> sections = sections(experiment, from, to);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        List<String> files = new ArrayList<>();
        Map<String, Object> counts = new LinkedHashMap<>();
        for (Map.Entry<String, List<Map<String, Object>>> s : sections.entrySet()) {
            json.writeValue(dir.resolve(s.getKey() + ".json").toFile(), s.getValue());
            Files.writeString(dir.resolve(s.getKey() + ".csv"), AuditFormats.csv(s.getValue()), StandardCharsets.UTF_8);
            files.add(s.getKey() + ".json");
            files.add(s.getKey() + ".csv");
            counts.put(s.getKey(), s.getValue().size());
        }
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("experiment", experiment);
        manifest.put("from", from.toString());
        manifest.put("to", to.toString());
        manifest.put("namespace", recolens.namespace().toString());
        manifest.put("generated_at", Instant.now().toString());
        manifest.put("rows", counts);
        Files.writeString(dir.resolve("report.html"), AuditFormats.html(manifest, sections), StandardCharsets.UTF_8);
        files.add("report.html");
        manifest.put("files", files);
        json.writeValue(dir.resolve("manifest.json").toFile(), manifest);
        return manifest;
    }

    private List<Map<String, Object>> exposures(String experiment, Instant from, Instant to) {
        // A unit's first exposure is the earliest of its rows (streaming may repeat one after a restore).
        Map<String, Record> first = new TreeMap<>();
        for (Record r : read(TableDefinitions.EXPERIMENT_EXPOSURES, Expressions.equal("experiment", experiment))) {
            String unit = (String) r.getField("unit_key");
            Record seen = first.get(unit);
            if (seen == null || time(r, "first_exposure_at").isBefore(time(seen, "first_exposure_at"))) first.put(unit, r);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Record r : first.values()) {
            Instant at = time(r, "first_exposure_at");
            if (at.isBefore(from) || !at.isBefore(to)) continue;
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("variant", r.getField("variant"));
            row.put("unit_key", r.getField("unit_key"));
            row.put("first_exposure_at", at.toString());
            row.put("impression_id", r.getField("impression_id"));
            row.put("surface", r.getField("surface"));
            row.put("segment", r.getField("segment"));
            out.add(row);
        }
        return out;
    }

    private static List<Map<String, Object>> assignments(List<Map<String, Object>> exposures) {
        Map<String, Long> units = new TreeMap<>();
        for (Map<String, Object> e : exposures) units.merge((String) e.get("variant"), 1L, Long::sum);
        long total = units.values().stream().mapToLong(Long::longValue).sum();
        List<Map<String, Object>> out = new ArrayList<>();
        units.forEach((variant, n) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("variant", variant);
            row.put("units", n);
            row.put("share", n / (double) total);
            out.add(row);
        });
        return out;
    }

    private List<Map<String, Object>> completeness(String experiment, Instant from, Instant to) {
        LocalDate first = from.atZone(ZoneOffset.UTC).toLocalDate();
        LocalDate last = to.minusNanos(1).atZone(ZoneOffset.UTC).toLocalDate();
        Map<String, long[]> sums = new TreeMap<>();
        for (Record r : read(TableDefinitions.LINEAGE_COMPLETENESS, Expressions.equal("experiment", experiment))) {
            LocalDate day = (LocalDate) r.getField("day");
            if (day.isBefore(first) || day.isAfter(last)) continue;
            long[] acc = sums.computeIfAbsent(day + "\u0000" + r.getField("variant"), k -> new long[5]);
            String[] measures = {"impressions", "complete_impressions", "features", "features_with_ancestry", "stale_features"};
            for (int i = 0; i < measures.length; i++) acc[i] += ((Number) r.getField(measures[i])).longValue();
        }
        List<Map<String, Object>> out = new ArrayList<>();
        sums.forEach((key, s) -> {
            String[] parts = key.split("\u0000");
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("day", parts[0]);
            row.put("variant", parts[1]);
            row.put("impressions", s[0]);
            row.put("complete_impressions", s[1]);
            row.put("completeness", s[0] == 0 ? null : s[1] / (double) s[0]);
            row.put("features_missing_ancestry", s[2] - s[3]);
            row.put("stale_features", s[4]);
            out.add(row);
        });
        return out;
    }

    /** Findings that name the experiment, or that are about one of its impressions served in [from, to). */
    private List<Map<String, Object>> anomalies(String experiment, Instant from, Instant to) {
        Set<String> impressions = new HashSet<>();
        Map<String, String> variantOf = new TreeMap<>();
        for (Record r : read(TableDefinitions.LINEAGE_HISTORY, Expressions.and(
                Expressions.greaterThanOrEqual("served_at", from.toEpochMilli() * 1000),
                Expressions.lessThan("served_at", to.toEpochMilli() * 1000)))) {
            @SuppressWarnings("unchecked")
            Map<String, String> experiments = (Map<String, String>) r.getField("experiments");
            if (experiments != null && experiments.containsKey(experiment)) {
                impressions.add((String) r.getField("impression_id"));
                variantOf.put((String) r.getField("impression_id"), experiments.get(experiment));
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Record a : read(TableDefinitions.LINEAGE_ANOMALIES, Expressions.and(
                Expressions.greaterThanOrEqual("event_time", from.toEpochMilli() * 1000),
                Expressions.lessThan("event_time", to.toEpochMilli() * 1000)))) {
            String impression = (String) a.getField("impression_id");
            boolean named = experiment.equals(a.getField("experiment"));
            if (!named && (impression == null || !impressions.contains(impression))) continue;
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("kind", a.getField("kind"));
            row.put("event_time", time(a, "event_time").toString());
            row.put("variant", named ? a.getField("variant") : variantOf.get(impression));
            row.put("impression_id", impression);
            row.put("trace_id", a.getField("trace_id"));
            row.put("click_id", a.getField("click_id"));
            row.put("lineage_id", a.getField("lineage_id"));
            row.put("detail", a.getField("detail"));
            out.add(row);
        }
        out.sort((x, y) -> ((String) x.get("event_time") + x.get("kind") + x.get("impression_id") + x.get("detail"))
                .compareTo((String) y.get("event_time") + y.get("kind") + y.get("impression_id") + y.get("detail")));
        return out;
    }

    /** The settings the job recorded at its last start, plus each table's retention. */
    private List<Map<String, Object>> configuration() {
        List<Map<String, Object>> out = new ArrayList<>();
        Table lineage = catalog.loadTable(recolens.tableId(TableDefinitions.LINEAGE_HISTORY));
        JobConfigurationRecord.parse(lineage.properties().get(JobConfigurationRecord.PROPERTY))
                .forEach((k, v) -> out.add(setting("job", k, v)));
        for (String table : TableDefinitions.JOB_TABLES) {
            Table t = catalog.loadTable(recolens.tableId(table));
            out.add(setting("table " + table, "recolens.retention.days", t.properties().get("recolens.retention.days")));
        }
        return out;
    }

    private static Map<String, Object> setting(String scope, String key, String value) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("scope", scope);
        row.put("key", key);
        row.put("value", value);
        return row;
    }

    private List<Record> read(String table, org.apache.iceberg.expressions.Expression filter) {
        return TableReader.read(catalog.loadTable(recolens.tableId(table)), filter);
    }

    private static Instant time(Record r, String field) {
        return ((OffsetDateTime) r.getField(field)).toInstant();
    }
}
