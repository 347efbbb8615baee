package io.recolens.connectors.iceberg;

import java.util.Map;
import java.util.Objects;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;

/**
 * One recolens table as {@code iceberg-schemas/<name>.json} defines it: schema, partition spec, sort
 * order and properties, bound to the definition's own schema.
 *
 * @param name table name inside the recolens namespace, e.g. {@code variant_engagement}
 * @param description what the table holds, one paragraph
 * @param schema columns with their field IDs and docs
 * @param spec partition spec bound to {@code schema}
 * @param sortOrder sort order bound to {@code schema}
 * @param properties table properties, {@code format-version} and {@code recolens.*} included; unmodifiable
 */
public record TableDefinition(
        String name,
        String description,
        Schema schema,
        PartitionSpec spec,
        SortOrder sortOrder,
        Map<String, String> properties) {

    /** Property holding the retention in days that the maintenance job applies. */
    public static final String RETENTION_DAYS = "recolens.retention.days";

    /** Properties starting with this prefix are owned by recolens and kept in step by {@link TableBootstrap}. */
    public static final String RECOLENS_PROPERTY_PREFIX = "recolens.";

    public TableDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(sortOrder, "sortOrder");
        properties = Map.copyOf(properties);
    }

    /** Days of data the table keeps; the maintenance job drops older day partitions. */
    public int retentionDays() {
        String value = properties.get(RETENTION_DAYS);
        if (value == null) {
            throw new IllegalStateException("table " + name + " has no " + RETENTION_DAYS + " property");
        }
        return Integer.parseInt(value);
    }

    /** The same definition keeping {@code days} of data (the archive's retention comes from archive.retention). */
    public TableDefinition withRetentionDays(int days) {
        if (days < 1) {
            throw new IllegalArgumentException("retention must be at least one day, got " + days);
        }
        Map<String, String> changed = new java.util.LinkedHashMap<>(properties);
        changed.put(RETENTION_DAYS, String.valueOf(days));
        return new TableDefinition(name, description, schema, spec, sortOrder, changed);
    }

    /** Where the definition comes from, for messages. */
    public String sourceFile() {
        return TableDefinitions.RESOURCE_FOLDER + "/" + name + ".json";
    }
}
