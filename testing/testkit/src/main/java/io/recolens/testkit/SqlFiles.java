package io.recolens.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Loads the repository's SQL files ({@code sql/<engine>/...}) for tests, substituting {@code ${VAR}}
 * placeholders, so tests run exactly the statements users run and no inline copy can drift.
 *
 * <p>Rules, all enforced: a placeholder without a value is refused (a silently empty value would
 * turn a typo into a query over nothing); a value with a single quote, backquote, semicolon or line
 * break is refused, since values are pasted verbatim into string literals and identifiers; a file
 * holds exactly one statement, its trailing semicolon optional and removed (Flink's
 * {@code executeSql} takes one statement without it).
 */
public final class SqlFiles {

    /** System property naming the {@code sql/} folder; without it the folder is searched upwards from the working directory. */
    public static final String ROOT_PROPERTY = "recolens.sql.dir";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private final Path root;

    private SqlFiles(Path root) {
        this.root = root;
    }

    /** The repository's {@code sql/} folder: {@value #ROOT_PROPERTY}, else the nearest {@code sql/} beside a {@code pom.xml} upwards from the working directory. */
    public static SqlFiles repository() {
        String configured = System.getProperty(ROOT_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return at(Path.of(configured));
        }
        // Surefire and Failsafe run in the module folder (e.g. jobs/); the sql/ folder is at the repository top.
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isDirectory(dir.resolve("sql")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return at(dir.resolve("sql"));
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("no sql/ folder next to a pom.xml above " + Path.of("").toAbsolutePath()
                + "; set -D" + ROOT_PROPERTY + "=<repository>/sql");
    }

    /** SQL files under an explicit folder (tests of this class use a temporary one). */
    public static SqlFiles at(Path root) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("not a folder: " + root);
        }
        return new SqlFiles(root.toAbsolutePath().normalize());
    }

    public Path root() {
        return root;
    }

    /** Every {@code .sql} file under {@code folder} (e.g. {@code "flink"}), as paths relative to it with {@code /}, sorted. */
    public List<String> list(String folder) {
        Path base = root.resolve(folder);
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(base)) {
            Set<String> names = new TreeSet<>();
            files.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".sql"))
                    .forEach(p -> names.add(base.relativize(p).toString().replace('\\', '/')));
            return List.copyOf(names);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + base, e);
        }
    }

    /** The raw text of a file, e.g. {@code read("flink/ctr_by_variant.sql")}. */
    public String read(String file) {
        Path path = root.resolve(file).normalize();
        if (!path.startsWith(root)) {
            throw new IllegalArgumentException(file + " is outside " + root);
        }
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read SQL file " + path, e);
        }
    }

    /** The placeholder names a file uses, in order of first use. */
    public Set<String> placeholders(String file) {
        return placeholdersIn(read(file));
    }

    /** The one statement of {@code file} with every placeholder replaced by its value from {@code values}. */
    public String statement(String file, Map<String, String> values) {
        return statement(file, read(file), values);
    }

    /** Like {@link #statement(String, Map)} for text already read; {@code name} is for messages. */
    public static String statement(String name, String text, Map<String, String> values) {
        Set<String> missing = new LinkedHashSet<>(placeholdersIn(text));
        missing.removeAll(values.keySet());
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(name + " uses placeholders without a value: " + missing);
        }
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            checkValue(name, m.group(1), value);
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return singleStatement(name, out.toString());
    }

    private static Set<String> placeholdersIn(String text) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static void checkValue(String file, String name, String value) {
        for (char c : new char[] {'\'', '`', ';', '\n', '\r'}) {
            if (value.indexOf(c) >= 0) {
                throw new IllegalArgumentException("value of ${" + name + "} for " + file
                        + " contains " + (c == '\n' || c == '\r' ? "a line break" : "'" + c + "'")
                        + ": values are pasted verbatim into the SQL, so this is refused");
            }
        }
    }

    /**
     * Strips the trailing semicolon and refuses a second statement. Scans outside comments, string
     * literals and quoted identifiers, so a semicolon inside them does not count.
     */
    private static String singleStatement(String file, String sql) {
        List<Integer> semicolons = new ArrayList<>();
        int lastCode = -1;
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int eol = sql.indexOf('\n', i);
                i = eol < 0 ? n : eol + 1;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                if (end < 0) {
                    throw new IllegalArgumentException(file + ": unterminated /* comment");
                }
                i = end + 2;
            } else if (c == '\'' || c == '`' || c == '"') {
                int end = i + 1;
                // A doubled quote character inside the quotes is an escaped quote, not the end.
                while (true) {
                    end = sql.indexOf(c, end);
                    if (end < 0) {
                        throw new IllegalArgumentException(file + ": unterminated " + c + " quote");
                    }
                    if (end + 1 < n && sql.charAt(end + 1) == c) {
                        end += 2;
                    } else {
                        break;
                    }
                }
                lastCode = end;
                i = end + 1;
            } else {
                if (c == ';') {
                    semicolons.add(i);
                } else if (!Character.isWhitespace(c)) {
                    lastCode = i;
                }
                i++;
            }
        }
        if (lastCode < 0) {
            throw new IllegalArgumentException(file + " holds no statement");
        }
        for (int s : semicolons) {
            if (s < lastCode) {
                throw new IllegalArgumentException(file + " holds more than one statement (';' at offset " + s
                        + "): one statement per file");
            }
        }
        return sql.substring(0, lastCode + 1);
    }
}
