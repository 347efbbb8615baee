package io.recolens.connectors.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Reads a table's current snapshot into memory as generic records: for tests, the demo's summary and
 * the lineage CLI. Not for large scans; Trino and Spark are.
 */
public final class TableReader {

    private TableReader() {}

    /** Every row of the table's current snapshot. */
    public static List<Record> readAll(Table table) {
        return read(table, Expressions.alwaysTrue());
    }

    /** Every row of a table looked up in the catalog. */
    public static List<Record> readAll(Catalog catalog, TableIdentifier id) {
        return readAll(catalog.loadTable(id));
    }

    /**
     * The rows matching {@code filter}, e.g. {@code Expressions.equal("trace_id", id)}. Iceberg uses
     * the filter to skip files and partitions and then checks each row, so only matches come back.
     */
    public static List<Record> read(Table table, Expression filter) {
        // A caller may hold the Table from before the job's last commit.
        table.refresh();
        List<Record> rows = new ArrayList<>();
        try (CloseableIterable<Record> records = IcebergGenerics.read(table).where(filter).build()) {
            for (Record record : records) {
                rows.add(record);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read table " + table.name() + ": " + e.getMessage(), e);
        }
        return rows;
    }
}
