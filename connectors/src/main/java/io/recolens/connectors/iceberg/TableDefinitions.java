package io.recolens.connectors.iceberg;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.PartitionSpecParser;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SchemaParser;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.SortOrderParser;
import org.apache.iceberg.shaded.com.fasterxml.jackson.databind.JsonNode;
import org.apache.iceberg.shaded.com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.iceberg.util.JsonUtil;

/**
 * Loads the table definitions from {@code iceberg-schemas/*.json} on the classpath (the connectors
 * jar carries the repository's top-level folder), parsed with Iceberg's own JSON parsers.
 */
public final class TableDefinitions {

    /** Classpath folder of the definitions. */
    public static final String RESOURCE_FOLDER = "iceberg-schemas";

    public static final String VARIANT_ENGAGEMENT = "variant_engagement";
    public static final String EXPERIMENT_UNIT_DAILY = "experiment_unit_daily";
    public static final String VARIANT_SIDE_EFFECTS = "variant_side_effects";
    public static final String EXPERIMENT_EXPOSURES = "experiment_exposures";
    public static final String LINEAGE_HISTORY = "lineage_history";
    public static final String LINEAGE_ANOMALIES = "lineage_anomalies";
    public static final String DEAD_LETTERS = "dead_letters";
    public static final String LINEAGE_COMPLETENESS = "lineage_completeness";

    /** The raw archive (archive.enabled): decoded inputs, short retention; not in {@link #JOB_TABLES}. */
    public static final String RAW_IMPRESSIONS = "raw_impressions";
    public static final String RAW_CLICKS = "raw_clicks";
    public static final String RAW_SPANS = "raw_spans";

    /** Written by {@code bin/recolens report}, not by the job: not in {@link #JOB_TABLES}. */
    public static final String EXPERIMENT_RESULTS = "experiment_results";

    /** Written by {@code bin/recolens drift}, not by the job: one row per drift finding. */
    public static final String DRIFT_FINDINGS = "drift_findings";

    /** Written by bin/recolens maintain and forget, not by the job: one row per governance action. */
    public static final String MAINTENANCE_LOG = "maintenance_log";

    /** Every table the streaming/batch job writes, in a stable order. */
    public static final List<String> JOB_TABLES = List.of(
            VARIANT_ENGAGEMENT,
            EXPERIMENT_UNIT_DAILY,
            VARIANT_SIDE_EFFECTS,
            EXPERIMENT_EXPOSURES,
            LINEAGE_HISTORY,
            LINEAGE_ANOMALIES,
            DEAD_LETTERS,
            LINEAGE_COMPLETENESS);

    /** The archive tables, written only with archive.enabled and read by input=archive and bin/recolens replay. */
    public static final List<String> ARCHIVE_TABLES = List.of(RAW_IMPRESSIONS, RAW_CLICKS, RAW_SPANS);

    private TableDefinitions() {}

    /** Loads one definition from the classpath. */
    public static TableDefinition load(String table) {
        String file = RESOURCE_FOLDER + "/" + table + ".json";
        ClassLoader loader = TableDefinitions.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalArgumentException("no table definition " + file + " on the classpath: known tables are "
                        + JOB_TABLES + " (is the connectors jar built from a tree with iceberg-schemas/?)");
            }
            return parse(file, in.readAllBytes());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read table definition " + file + ": " + e.getMessage(), e);
        }
    }

    /** Loads the definitions of {@link #JOB_TABLES}, keyed by table name in that order. */
    public static Map<String, TableDefinition> loadAll() {
        Map<String, TableDefinition> all = new LinkedHashMap<>();
        for (String table : JOB_TABLES) {
            all.put(table, load(table));
        }
        return all;
    }

    /** Loads the definitions of {@link #ARCHIVE_TABLES}, keyed by table name in that order. */
    public static Map<String, TableDefinition> loadArchive() {
        Map<String, TableDefinition> all = new LinkedHashMap<>();
        for (String table : ARCHIVE_TABLES) {
            all.put(table, load(table));
        }
        return all;
    }

    /**
     * Parses one definition. Public so tools and tests can check a file outside the classpath.
     *
     * @param file the file name used in error messages
     */
    public static TableDefinition parse(String file, byte[] json) {
        try {
            JsonNode root = JsonUtil.mapper().readTree(json);
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("the file must hold one JSON object");
            }
            String name = requiredText(root, "table");
            String expectedFile = name + ".json";
            if (!file.endsWith("/" + expectedFile) && !file.equals(expectedFile)) {
                throw new IllegalArgumentException("\"table\": \"" + name + "\" does not match the file name");
            }
            String description = requiredText(root, "description");
            Schema schema = SchemaParser.fromJson(required(root, "schema"));
            requireDocs(schema);

            JsonNode specFields = required(root, "partition-spec");
            if (!specFields.isArray()) {
                throw new IllegalArgumentException("\"partition-spec\" must be the JSON array of Iceberg partition fields");
            }
            // The file holds only the fields list; Iceberg's parser wants the whole spec object.
            ObjectNode specJson = JsonUtil.mapper().createObjectNode();
            specJson.put("spec-id", 0);
            specJson.set("fields", specFields);
            PartitionSpec spec = PartitionSpecParser.fromJson(schema, specJson);

            SortOrder sortOrder = SortOrderParser.fromJson(schema, required(root, "sort-order"));

            JsonNode props = required(root, "properties");
            if (!props.isObject()) {
                throw new IllegalArgumentException("\"properties\" must be a JSON object of strings");
            }
            Map<String, String> properties = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> entry : props.properties()) {
                if (!entry.getValue().isTextual()) {
                    throw new IllegalArgumentException("property \"" + entry.getKey() + "\" must be a JSON string");
                }
                properties.put(entry.getKey(), entry.getValue().asText());
            }
            TableDefinition definition = new TableDefinition(name, description, schema, spec, sortOrder, properties);
            definition.retentionDays();
            return definition;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("malformed table definition " + file + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode required(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw new IllegalArgumentException("missing \"" + field + "\"");
        }
        return node;
    }

    private static String requiredText(JsonNode root, String field) {
        JsonNode node = required(root, field);
        if (!node.isTextual() || node.asText().isBlank()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a non-empty string");
        }
        return node.asText();
    }

    // Trino, Spark and the docs show these docs to analysts: an undocumented column is a defect.
    private static void requireDocs(Schema schema) {
        List<String> missing = new ArrayList<>();
        for (org.apache.iceberg.types.Types.NestedField field : org.apache.iceberg.types.TypeUtil.indexById(schema.asStruct()).values()) {
            boolean isCollectionPart = field.name().equals("element") || field.name().equals("key") || field.name().equals("value");
            if (!isCollectionPart && (field.doc() == null || field.doc().isBlank())) {
                missing.add(schema.findColumnName(field.fieldId()));
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("columns without \"doc\": " + missing);
        }
    }
}
