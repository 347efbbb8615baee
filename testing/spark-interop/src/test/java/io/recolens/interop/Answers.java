package io.recolens.interop;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Turns Spark rows into the plain values {@code expected.json} holds, and compares answers: numbers with a
 * relative tolerance (sums of doubles may be added in another order), everything else exactly, rows in any
 * order (the expected file and the engine may order NULLs differently).
 */
final class Answers {

    static final double RELATIVE_TOLERANCE = 1e-9;

    private Answers() {}

    static Map<String, Object> row(Row row) {
        Map<String, Object> out = new LinkedHashMap<>();
        StructField[] fields = row.schema().fields();
        for (int i = 0; i < fields.length; i++) {
            out.put(fields[i].name(), value(row.get(i)));
        }
        return out;
    }

    /** Spark values (Scala collections, nested rows, java.time) to JSON-shaped Java values. */
    static Object value(Object v) {
        if (v == null) return null;
        if (v instanceof Row r) return row(r);
        if (v instanceof scala.collection.Map<?, ?> m) {
            Map<String, Object> out = new TreeMap<>();
            CollectionConverters.asJava(m).forEach((k, x) -> out.put(String.valueOf(k), value(x)));
            return out;
        }
        if (v instanceof scala.collection.Iterable<?> s) {
            List<Object> out = new ArrayList<>();
            CollectionConverters.asJava(s).forEach(x -> out.add(value(x)));
            return out;
        }
        if (v instanceof Instant || v instanceof LocalDate) return v.toString();
        if (v instanceof Double d && d.isInfinite()) return d > 0 ? "Infinity" : "-Infinity";
        return v;
    }

    /** Null when the answers agree; otherwise a message naming the first row that has no counterpart. */
    static String difference(List<Map<String, Object>> expected, List<Map<String, Object>> actual) {
        if (expected.size() != actual.size()) {
            return "expected " + expected.size() + " rows, got " + actual.size() + "\nexpected: " + expected + "\nactual:   " + actual;
        }
        List<Map<String, Object>> unmatched = new ArrayList<>(actual);
        for (Map<String, Object> e : expected) {
            int found = -1;
            for (int i = 0; i < unmatched.size() && found < 0; i++) {
                if (same(e, unmatched.get(i))) found = i;
            }
            if (found < 0) {
                return "no row of the engine matches expected row " + e + "\nactual rows: " + unmatched;
            }
            unmatched.remove(found);
        }
        return null;
    }

    static boolean same(Object expected, Object actual) {
        if (expected == null || actual == null) return expected == actual;
        if (expected instanceof Number e && actual instanceof Number a) {
            double x = e.doubleValue();
            double y = a.doubleValue();
            return x == y || Math.abs(x - y) <= RELATIVE_TOLERANCE * Math.max(1.0, Math.max(Math.abs(x), Math.abs(y)));
        }
        if (expected instanceof Map<?, ?> e && actual instanceof Map<?, ?> a) {
            if (!e.keySet().equals(a.keySet())) return false;
            return e.keySet().stream().allMatch(k -> same(e.get(k), a.get(k)));
        }
        if (expected instanceof List<?> e && actual instanceof List<?> a) {
            if (e.size() != a.size()) return false;
            for (int i = 0; i < e.size(); i++) {
                if (!same(e.get(i), a.get(i))) return false;
            }
            return true;
        }
        return Objects.equals(expected, actual);
    }
}
