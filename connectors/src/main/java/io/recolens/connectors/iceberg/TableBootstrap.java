package io.recolens.connectors.iceberg;

import io.recolens.model.ExponentialHistogram;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.Table;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.UpdateProperties;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the recolens tables from their definitions, or brings existing ones in step with them
 * through safe, logged changes only; anything else is refused with {@link IncompatibleTableException}.
 *
 * <p>Safe changes: adding an optional column (also inside a struct column), promoting int to long or
 * float to double, making a required column optional, setting or updating {@code recolens.*}
 * properties such as the retention. Refused: a column of another type, a required column the table
 * lacks, a column the definition lacks (the sink writes rows in the definition's layout), a different
 * partition spec, and other latency bucket bounds (old and new histograms could not be summed).
 * Optional fields may also be added to the struct elements of a list column (lineage_history.features gained its
 * provenance that way); adding fields inside map keys or values is refused: rare enough to migrate by hand.
 */
public final class TableBootstrap {

    private static final Logger LOG = LoggerFactory.getLogger(TableBootstrap.class);

    /** What {@link #ensureTable} did to one table. */
    public enum Status { CREATED, UNCHANGED, EVOLVED }

    /**
     * @param table the table
     * @param status what happened
     * @param changes one readable line per change made (empty unless EVOLVED)
     */
    public record Outcome(TableIdentifier table, Status status, List<String> changes) {
        public Outcome {
            changes = List.copyOf(changes);
        }
    }

    private TableBootstrap() {}

    /** Ensures the namespace, then every table; stops at the first incompatible table. */
    public static List<Outcome> ensureTables(Catalog catalog, Namespace namespace, Collection<TableDefinition> definitions) {
        RecolensCatalog.ensureNamespace(catalog, namespace);
        List<Outcome> outcomes = new ArrayList<>();
        for (TableDefinition definition : definitions) {
            outcomes.add(ensureTable(catalog, TableIdentifier.of(namespace, definition.name()), definition));
        }
        return outcomes;
    }

    /** Creates one table, or checks and evolves it. */
    public static Outcome ensureTable(Catalog catalog, TableIdentifier id, TableDefinition definition) {
        if (!catalog.tableExists(id)) {
            try {
                catalog.buildTable(id, definition.schema())
                        .withPartitionSpec(definition.spec())
                        .withSortOrder(definition.sortOrder())
                        .withProperties(definition.properties())
                        .create();
                LOG.info("Created table {} from {}", id, definition.sourceFile());
                return new Outcome(id, Status.CREATED, List.of());
            } catch (AlreadyExistsException raced) {
                LOG.info("Table {} was created concurrently; checking it against {}", id, definition.sourceFile());
            }
        }
        Table table = catalog.loadTable(id);
        return new Evolution(id.toString(), table, definition).run();
    }

    /** The comparison of one existing table with its definition, and the changes it plans. */
    private static final class Evolution {
        private final String tableName;
        private final Table table;
        private final TableDefinition definition;
        private final List<String> changes = new ArrayList<>();
        private final List<java.util.function.Consumer<UpdateSchema>> schemaOps = new ArrayList<>();
        private final List<java.util.function.Consumer<UpdateProperties>> propertyOps = new ArrayList<>();

        Evolution(String tableName, Table table, TableDefinition definition) {
            this.tableName = tableName;
            this.table = table;
            this.definition = definition;
        }

        Outcome run() {
            Schema actual = table.schema();
            compareStruct(definition.schema().asStruct(), actual.asStruct(), null, true);
            comparePartitionSpec(actual);
            compareSortOrder(actual);
            compareProperties();
            TableIdentifier id = TableIdentifier.parse(tableName);
            if (changes.isEmpty()) {
                return new Outcome(id, Status.UNCHANGED, List.of());
            }
            // One transaction: a crash halfway leaves the table as it was, never half evolved.
            Transaction tx = table.newTransaction();
            if (!schemaOps.isEmpty()) {
                UpdateSchema update = tx.updateSchema();
                schemaOps.forEach(op -> op.accept(update));
                update.commit();
            }
            if (!propertyOps.isEmpty()) {
                UpdateProperties update = tx.updateProperties();
                propertyOps.forEach(op -> op.accept(update));
                update.commit();
            }
            tx.commitTransaction();
            changes.forEach(change -> LOG.warn("Evolved table {} to match {}: {}", tableName, definition.sourceFile(), change));
            return new Outcome(id, Status.EVOLVED, changes);
        }

        private void compareStruct(Types.StructType expected, Types.StructType actual, String parent, boolean canAdd) {
            String previous = null;
            for (Types.NestedField want : expected.fields()) {
                String path = parent == null ? want.name() : parent + "." + want.name();
                Types.NestedField have = actual.field(want.name());
                if (have == null) {
                    planAdd(want, path, parent, previous, canAdd);
                } else {
                    compareField(want, have, path, canAdd);
                }
                previous = path;
            }
            for (Types.NestedField have : actual.fields()) {
                if (expected.field(have.name()) == null) {
                    String path = parent == null ? have.name() : parent + "." + have.name();
                    throw incompatible("column '" + path + "'", "present (" + describe(have) + ")",
                            "absent: recolens writes rows without it (is this recolens older than the table?)");
                }
            }
        }

        private void planAdd(Types.NestedField want, String path, String parent, String previous, boolean canAdd) {
            if (want.isRequired()) {
                throw incompatible("column '" + path + "'", "missing", describe(want)
                        + " (a required column cannot be added to a table that already has rows)");
            }
            if (!canAdd) {
                throw incompatible("column '" + path + "'", "missing", describe(want)
                        + " (recolens adds columns only at the top level, inside struct columns and inside list elements)");
            }
            Type type = want.type();
            String doc = want.doc();
            schemaOps.add(update -> {
                if (parent == null) {
                    update.addColumn(want.name(), type, doc);
                } else {
                    update.addColumn(parent, want.name(), type, doc);
                }
                // The sink checks column order against the definition, so the new column goes where the file puts it.
                if (previous == null) {
                    update.moveFirst(path);
                } else {
                    update.moveAfter(path, previous);
                }
            });
            changes.add("added optional column " + path + " " + type);
        }

        private void compareField(Types.NestedField want, Types.NestedField have, String path, boolean canAdd) {
            if (want.isOptional() && have.isRequired()) {
                schemaOps.add(update -> update.makeColumnOptional(path));
                changes.add("made column " + path + " optional");
            }
            compareType(want.type(), have.type(), path, canAdd);
        }

        private void compareType(Type want, Type have, String path, boolean canAdd) {
            if (want.isPrimitiveType() && have.isPrimitiveType()) {
                if (want.equals(have)) {
                    return;
                }
                if (isSafePromotion(have, want)) {
                    schemaOps.add(update -> update.updateColumn(path, want.asPrimitiveType()));
                    changes.add("promoted column " + path + " from " + have + " to " + want);
                    return;
                }
                throw incompatible("column '" + path + "'", have.toString(), want.toString());
            }
            if (want.typeId() != have.typeId()) {
                throw incompatible("column '" + path + "'", have.toString(), want.toString());
            }
            switch (want.typeId()) {
                case STRUCT -> compareStruct(want.asStructType(), have.asStructType(), path, canAdd);
                case LIST -> {
                    Types.ListType w = want.asListType();
                    Types.ListType h = have.asListType();
                    if (w.isElementOptional() && h.isElementRequired()) {
                        throw incompatible("column '" + path + "'", have.toString(), want.toString() + " (optional elements)");
                    }
                    // Iceberg adds a field to a list's struct element through the element's full name (path.element).
                    compareType(w.elementType(), h.elementType(), path + ".element", canAdd);
                }
                case MAP -> {
                    Types.MapType w = want.asMapType();
                    Types.MapType h = have.asMapType();
                    if (w.isValueOptional() && h.isValueRequired()) {
                        throw incompatible("column '" + path + "'", have.toString(), want.toString() + " (optional values)");
                    }
                    compareType(w.keyType(), h.keyType(), path + ".key", false);
                    compareType(w.valueType(), h.valueType(), path + ".value", false);
                }
                default -> throw incompatible("column '" + path + "'", have.toString(), want.toString());
            }
        }

        // Only the promotions whose old files stay readable as the new type and that our rows need.
        private static boolean isSafePromotion(Type from, Type to) {
            return (from.typeId() == Type.TypeID.INTEGER && to.typeId() == Type.TypeID.LONG)
                    || (from.typeId() == Type.TypeID.FLOAT && to.typeId() == Type.TypeID.DOUBLE);
        }

        private void comparePartitionSpec(Schema actual) {
            String want = describe(definition.spec(), definition.schema());
            String have = describe(table.spec(), actual);
            if (!want.equals(have)) {
                throw incompatible("the partition spec", have, want);
            }
        }

        private void compareSortOrder(Schema actual) {
            String want = describe(definition.sortOrder(), definition.schema());
            String have = describe(table.sortOrder(), actual);
            if (!want.equals(have)) {
                // Sort order only guides compaction; a different one is a tuning choice someone made, not an error.
                LOG.warn("Table {} is sorted by {}, {} says {}; leaving it as it is", tableName, have, definition.sourceFile(), want);
            }
        }

        private void compareProperties() {
            Map<String, String> have = table.properties();
            for (Map.Entry<String, String> entry : definition.properties().entrySet()) {
                String key = entry.getKey();
                String want = entry.getValue();
                if (!key.startsWith(TableDefinition.RECOLENS_PROPERTY_PREFIX)) {
                    continue;
                }
                String found = have.get(key);
                if (Objects.equals(found, want)) {
                    continue;
                }
                if ((key.equals(LatencyBuckets.TABLE_PROPERTY) || key.equals(ExponentialHistogram.TABLE_PROPERTY)) && found != null) {
                    throw incompatible("property " + key, found, want + " (histograms with other buckets cannot be summed)");
                }
                propertyOps.add(update -> update.set(key, want));
                changes.add("set property " + key + "=" + want + (found == null ? "" : " (was " + found + ")"));
            }
        }

        private IncompatibleTableException incompatible(String what, String found, String expected) {
            return new IncompatibleTableException(tableName, what, found, expected, definition.sourceFile());
        }

        private static String describe(Types.NestedField field) {
            return (field.isRequired() ? "required " : "optional ") + field.type();
        }

        private static String describe(PartitionSpec spec, Schema schema) {
            List<String> fields = new ArrayList<>();
            for (PartitionField field : spec.fields()) {
                fields.add(field.transform() + "(" + schema.findColumnName(field.sourceId()) + ")");
            }
            return fields.toString();
        }

        private static String describe(SortOrder order, Schema schema) {
            List<String> fields = new ArrayList<>();
            order.fields().forEach(field -> fields.add(field.transform() + "(" + schema.findColumnName(field.sourceId()) + ") "
                    + field.direction() + " " + field.nullOrder()));
            return fields.toString();
        }
    }
}
