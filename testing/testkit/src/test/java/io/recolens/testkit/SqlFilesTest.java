package io.recolens.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQL file loader: substitution, refusals, one statement per file, listing, and the repository lookup. */
class SqlFilesTest {

    @TempDir
    Path dir;

    private SqlFiles files(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return SqlFiles.at(dir);
    }

    @Test
    void substitutesPlaceholdersAndDropsTheTrailingSemicolon() throws Exception {
        SqlFiles sql = files("flink/q.sql", "-- header: uses ${NS}\nSELECT * FROM ${CAT}.${NS}.t WHERE a = '${ID}';\n");
        assertThat(sql.placeholders("flink/q.sql")).containsExactly("NS", "CAT", "ID");
        assertThat(sql.statement("flink/q.sql", Map.of("CAT", "c", "NS", "n", "ID", "x-1", "UNUSED", "ok")))
                .isEqualTo("-- header: uses n\nSELECT * FROM c.n.t WHERE a = 'x-1'");
    }

    @Test
    void refusesAPlaceholderWithoutValue() throws Exception {
        SqlFiles sql = files("q.sql", "SELECT ${A}, ${B}");
        assertThatThrownBy(() -> sql.statement("q.sql", Map.of("A", "1")))
                .hasMessageContaining("without a value").hasMessageContaining("[B]");
    }

    @Test
    void refusesValuesThatCouldBreakOutOfALiteral() throws Exception {
        SqlFiles sql = files("q.sql", "SELECT '${A}'");
        assertThatThrownBy(() -> sql.statement("q.sql", Map.of("A", "x' OR '1'='1"))).hasMessageContaining("'''");
        assertThatThrownBy(() -> sql.statement("q.sql", Map.of("A", "x; DROP TABLE t"))).hasMessageContaining("';'");
    }

    @Test
    void refusesASecondStatementButNotSemicolonsInQuotesOrComments() throws Exception {
        SqlFiles sql = files("q.sql", "-- a; b\nSELECT 'a;b', `c;d` /* e; */ FROM t;\n");
        assertThat(sql.statement("q.sql", Map.of())).endsWith("FROM t");
        SqlFiles two = files("two.sql", "SELECT 1; SELECT 2;");
        assertThatThrownBy(() -> two.statement("two.sql", Map.of())).hasMessageContaining("more than one statement");
        SqlFiles escaped = files("esc.sql", "SELECT 'it''s; fine'");
        assertThat(escaped.statement("esc.sql", Map.of())).isEqualTo("SELECT 'it''s; fine'");
        SqlFiles empty = files("empty.sql", "-- nothing\n");
        assertThatThrownBy(() -> empty.statement("empty.sql", Map.of())).hasMessageContaining("no statement");
    }

    @Test
    void listsSqlFilesRecursivelyAndSorted() throws Exception {
        files("flink/b.sql", "SELECT 1");
        files("flink/ddl/a.sql", "SELECT 1");
        files("flink/notes.md", "not sql");
        files("spark/c.sql", "SELECT 1");
        assertThat(SqlFiles.at(dir).list("flink")).containsExactly("b.sql", "ddl/a.sql");
        assertThat(SqlFiles.at(dir).list("trino")).isEmpty();
    }

    @Test
    void refusesPathsOutsideTheRoot() throws Exception {
        SqlFiles sql = files("q.sql", "SELECT 1");
        assertThatThrownBy(() -> sql.read("../etc/passwd")).hasMessageContaining("outside");
    }
}
