package io.recolens.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** The SQL reference's statements (sql/reference/, one per file, in this order) with their placeholders filled in. */
final class BenchSql {
    private BenchSql() {}

    static final List<String> DDL = List.of(
            "01_create_impressions.sql",
            "02_create_clicks.sql",
            "03_create_spans.sql",
            "04_view_impression_variants.sql",
            "05_view_unique_clicks.sql",
            "06_view_unique_spans.sql");
    static final String ENGAGEMENT = "07_select_engagement.sql";
    static final String SIDE_EFFECTS = "08_select_side_effects.sql";

    static String load(String file, Map<String, String> values) {
        try (InputStream in = BenchSql.class.getResourceAsStream("/sql-reference/" + file)) {
            if (in == null) throw new IllegalStateException("sql-reference/" + file + " is not on the classpath");
            String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (Map.Entry<String, String> e : values.entrySet()) sql = sql.replace("${" + e.getKey() + "}", e.getValue());
            if (sql.contains("${")) throw new IllegalStateException(file + " has an unfilled placeholder: " + sql);
            return sql.strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
