package io.recolens.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The query files of one engine folder under {@code sql/}, read from the repository and filled in. */
final class SqlFiles {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z_]+)}");

    private SqlFiles() {}

    /** The repository root: Maven passes it; running from the module folder in an IDE falls back to "../..". */
    static Path repoDir() {
        return Path.of(System.getProperty("recolens.repo.dir", "../..")).toAbsolutePath().normalize();
    }

    /** Every {@code *.sql} file of {@code sql/<engine>/}, sorted by name; fails if the folder is missing or empty. */
    static List<Path> list(String engine) {
        Path dir = repoDir().resolve("sql").resolve(engine);
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> sql = files.filter(p -> p.getFileName().toString().endsWith(".sql")).sorted().toList();
            if (sql.isEmpty()) {
                throw new IllegalStateException("no .sql files in " + dir);
            }
            return sql;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    static String queryName(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - ".sql".length());
    }

    /**
     * The file's text with every {@code ${NAME}} replaced and the closing semicolon removed (the engines' APIs
     * take one statement without it). An unknown placeholder is an error: it would otherwise reach the engine
     * as text and fail with a confusing parse error, or worse, not fail.
     */
    static String fill(Path file, Map<String, String> values) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException(file.getFileName() + " uses ${" + m.group(1) + "}, which has no value; known: " + values.keySet());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        String sql = out.toString().strip();
        return sql.endsWith(";") ? sql.substring(0, sql.length() - 1) : sql;
    }
}
