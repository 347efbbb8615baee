package io.recolens.jobs.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.recolens.connectors.iceberg.TableDefinition;
import io.recolens.connectors.iceberg.TableDefinitions;
import io.recolens.testkit.SqlFiles;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.catalog.CatalogBaseTable;
import org.apache.flink.table.catalog.CatalogTable;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Each {@code sql/flink/ddl/<table>.sql} declares the columns, types, nullability, column docs, identity
 * partitions and properties of {@code iceberg-schemas/<table>.json}. Parsed by Flink's planner into its
 * in-memory catalog (no cluster, no Iceberg catalog) and converted with Iceberg's {@link FlinkSchemaUtil}, so
 * the check is what Iceberg's Flink catalog would create. The ITCase then creates them in a real catalog.
 */
class FlinkDdlMatchesTableDefinitionsTest {
    private static final String CATALOG = "default_catalog";
    private static final String DATABASE = "default_database";

    private static TableEnvironment tEnv;
    private static final SqlFiles SQL = SqlFiles.repository();

    @BeforeAll
    static void createTables() {
        tEnv = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        for (String table : TableDefinitions.JOB_TABLES) {
            tEnv.executeSql(SQL.statement("flink/ddl/" + table + ".sql", Map.of("CATALOG", CATALOG, "NAMESPACE", DATABASE)));
        }
    }

    static List<String> tables() {
        return TableDefinitions.JOB_TABLES;
    }

    @Test
    void thereIsOneDdlFilePerJobTableAndNoOther() {
        List<String> ddl = SQL.list("flink").stream().filter(f -> f.startsWith("ddl/"))
                .map(f -> f.substring("ddl/".length(), f.length() - ".sql".length())).sorted().toList();
        assertThat(ddl).containsExactlyElementsOf(TableDefinitions.JOB_TABLES.stream().sorted().toList());
    }

    @ParameterizedTest
    @MethodSource("tables")
    void columnsTypesAndNullabilityMatchTheJsonDefinition(String table) {
        ResolvedSchema flink = tEnv.from(CATALOG + "." + DATABASE + ".`" + table + "`").getResolvedSchema();
        TableDefinition definition = TableDefinitions.load(table);
        assertThat(SchemaShapes.of(FlinkSchemaUtil.convert(flink))).as(table)
                .containsExactlyElementsOf(SchemaShapes.of(definition.schema()));
    }

    @ParameterizedTest
    @MethodSource("tables")
    void columnCommentsAreTheJsonDocs(String table) {
        ResolvedSchema flink = tEnv.from(CATALOG + "." + DATABASE + ".`" + table + "`").getResolvedSchema();
        Map<String, String> comments = new LinkedHashMap<>();
        for (Column c : flink.getColumns()) {
            comments.put(c.getName(), c.getComment().orElse(null));
        }
        Map<String, String> docs = TableDefinitions.load(table).schema().columns().stream()
                .collect(Collectors.toMap(f -> f.name(), f -> f.doc(), (a, b) -> a, LinkedHashMap::new));
        assertThat(comments).as(table).containsExactlyEntriesOf(docs);
    }

    @ParameterizedTest
    @MethodSource("tables")
    void identityPartitionsAndPropertiesMatchTheJsonDefinition(String table) throws Exception {
        CatalogBaseTable created = tEnv.getCatalog(CATALOG).orElseThrow().getTable(new ObjectPath(DATABASE, table));
        TableDefinition definition = TableDefinitions.load(table);
        List<String> identity = definition.spec().fields().stream().filter(f -> f.transform().isIdentity())
                .map(PartitionField::sourceId).map(id -> definition.schema().findColumnName(id)).toList();
        assertThat(((CatalogTable) created).getPartitionKeys()).as(table).containsExactlyElementsOf(identity);
        assertThat(created.getOptions()).as(table).containsExactlyInAnyOrderEntriesOf(definition.properties());
        assertThat(created.getComment()).as(table).isEqualTo(definition.description());
    }
}
