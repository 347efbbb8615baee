package io.recolens.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trino.sql.parser.ParsingException;
import io.trino.sql.parser.SqlParser;
import io.trino.sql.tree.DereferenceExpression;
import io.trino.sql.tree.Identifier;
import io.trino.sql.tree.Query;
import io.trino.sql.tree.QuerySpecification;
import io.trino.sql.tree.SelectItem;
import io.trino.sql.tree.SingleColumn;
import io.trino.sql.tree.Statement;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every file of {@code sql/trino/} parses with Trino's own SQL parser (trino-parser 435, the newest built for
 * Java 17) after placeholder substitution, is one query, and returns the agreed columns. Parsing only: no
 * Trino server runs here, so names of tables, columns and functions are not resolved.
 */
class TrinoSqlParseTest {

    /** Values shaped like real ones, so a placeholder inside a literal still yields valid SQL. */
    private static final Map<String, String> VALUES = Map.of(
            "CATALOG", "iceberg",
            "NAMESPACE", "recolens",
            "FROM", "2026-11-20 00:00:00",
            "TO", "2026-11-21 00:00:00",
            "IMPRESSION_ID", "imp-0001",
            "TRACE_ID", "0af7651916cd43dd8448eb211c80319c");

    private final SqlParser parser = new SqlParser();

    @Test
    void trinoAndSparkFoldersHoldTheSameQueries() {
        TreeSet<String> trino = new TreeSet<>(SqlFiles.list("trino").stream().map(SqlFiles::queryName).toList());
        TreeSet<String> spark = new TreeSet<>(SqlFiles.list("spark").stream().map(SqlFiles::queryName).toList());
        assertThat(trino).isEqualTo(spark);
        assertThat(trino).isEqualTo(new TreeSet<>(QueryColumns.BY_QUERY.keySet()));
    }

    @TestFactory
    Stream<DynamicTest> everyTrinoQueryParsesAndReturnsTheAgreedColumns() {
        return SqlFiles.list("trino").stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            Statement statement = parse(file);
            assertThat(statement).as("%s is one query", file.getFileName()).isInstanceOf(Query.class);
            assertThat(outputColumns((Query) statement)).as("columns of %s", file.getFileName())
                    .containsExactlyElementsOf(QueryColumns.BY_QUERY.get(SqlFiles.queryName(file)));
        }));
    }

    /** The parser is strict enough to catch a Spark-only construct: the check can fail. */
    @Test
    void sparkSyntaxDoesNotPassForTrino() {
        Path sparkSideEffects = SqlFiles.repoDir().resolve("sql/spark/side_effects_by_service.sql");
        assertThatThrownBy(() -> parse(sparkSideEffects)).isInstanceOf(ParsingException.class);
    }

    private Statement parse(Path file) {
        return parser.createStatement(SqlFiles.fill(file, VALUES));
    }

    /** Names of the outermost SELECT's columns: the alias, else the column or field name. */
    private static List<String> outputColumns(Query query) {
        assertThat(query.getQueryBody()).isInstanceOf(QuerySpecification.class);
        List<SelectItem> items = ((QuerySpecification) query.getQueryBody()).getSelect().getSelectItems();
        return items.stream().map(item -> {
            assertThat(item).as("no SELECT *: the columns are a contract").isInstanceOf(SingleColumn.class);
            SingleColumn column = (SingleColumn) item;
            if (column.getAlias().isPresent()) return column.getAlias().get().getValue();
            if (column.getExpression() instanceof Identifier id) return id.getValue();
            if (column.getExpression() instanceof DereferenceExpression d && d.getField().isPresent()) return d.getField().get().getValue();
            throw new AssertionError("column without a name: " + column);
        }).toList();
    }
}
