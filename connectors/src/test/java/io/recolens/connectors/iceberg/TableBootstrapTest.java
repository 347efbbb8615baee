package io.recolens.connectors.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Create, rerun, evolve and refuse, against a real Hadoop catalog in a temporary folder. */
class TableBootstrapTest {

    private static final Namespace NS = Namespace.of("recolens");

    @TempDir
    Path warehouse;

    private HadoopCatalog catalog;

    @BeforeEach
    void openCatalog() {
        catalog = new HadoopCatalog(new Configuration(), warehouse.toString());
    }

    @AfterEach
    void closeCatalog() throws Exception {
        catalog.close();
    }

    @Test
    void createsEveryTableFromNothingThenRerunIsANoOp() {
        List<TableBootstrap.Outcome> first = TableBootstrap.ensureTables(catalog, NS, TableDefinitions.loadAll().values());
        assertThat(first).extracting(TableBootstrap.Outcome::status).containsOnly(TableBootstrap.Status.CREATED)
                .hasSize(TableDefinitions.JOB_TABLES.size());

        Table side = catalog.loadTable(TableIdentifier.of(NS, "variant_side_effects"));
        TableDefinition def = TableDefinitions.load("variant_side_effects");
        // The files number fields the way Iceberg assigns fresh ids, so even the ids survive creation.
        assertThat(side.schema().sameSchema(def.schema())).isTrue();
        assertThat(side.schema().findField("window_start").doc()).isEqualTo("Start of the event-time window (inclusive).");
        assertThat(side.spec().fields().get(0).transform().toString()).isEqualTo("day");
        assertThat(side.sortOrder().fields()).hasSize(5);
        assertThat(side.properties()).containsEntry("recolens.retention.days", "400")
                .containsEntry(LatencyBuckets.TABLE_PROPERTY, LatencyBuckets.propertyValue())
                .containsEntry("write.parquet.compression-codec", "zstd");
        assertThat(((org.apache.iceberg.HasTableOperations) side).operations().current().formatVersion()).isEqualTo(2);

        long snapshotsBefore = metadataVersions();
        List<TableBootstrap.Outcome> second = TableBootstrap.ensureTables(catalog, NS, TableDefinitions.loadAll().values());
        assertThat(second).extracting(TableBootstrap.Outcome::status).containsOnly(TableBootstrap.Status.UNCHANGED);
        assertThat(metadataVersions()).isEqualTo(snapshotsBefore);
    }

    @Test
    void addsMissingOptionalColumnsWhereTheDefinitionPutsThem() {
        TableDefinition def = TableDefinitions.load("variant_engagement");
        createFrom(def, columns -> without(columns, "surface", "clicked_impressions"), def.properties());

        TableBootstrap.Outcome outcome = TableBootstrap.ensureTable(catalog, id(def), def);

        assertThat(outcome.status()).isEqualTo(TableBootstrap.Status.EVOLVED);
        assertThat(outcome.changes()).containsExactly(
                "added optional column surface string", "added optional column clicked_impressions long");
        Table table = catalog.loadTable(id(def));
        assertThat(table.schema().columns()).extracting(Types.NestedField::name)
                .containsExactlyElementsOf(def.schema().columns().stream().map(Types.NestedField::name).toList());
        assertThat(table.schema().findField("surface").doc()).isNotBlank();
        assertThat(TableBootstrap.ensureTable(catalog, id(def), def).status()).isEqualTo(TableBootstrap.Status.UNCHANGED);
    }

    @Test
    void addsTheExponentialHistogramToASideEffectsTableFromBeforeIt() {
        TableDefinition def = TableDefinitions.load("variant_side_effects");
        Map<String, String> oldProperties = new HashMap<>(def.properties());
        oldProperties.remove(io.recolens.model.ExponentialHistogram.TABLE_PROPERTY);
        createFrom(def, columns -> without(columns, "latency_exp_histogram"), oldProperties);

        TableBootstrap.Outcome outcome = TableBootstrap.ensureTable(catalog, id(def), def);

        // The old fixed-bucket column stays; the new one is added after it, optional, so old rows read it as null.
        assertThat(outcome.changes()).containsExactly(
                "added optional column latency_exp_histogram map<int, long>",
                "set property " + io.recolens.model.ExponentialHistogram.TABLE_PROPERTY + "="
                        + io.recolens.model.ExponentialHistogram.PROPERTY_VALUE);
        Table table = catalog.loadTable(id(def));
        assertThat(table.schema().findField("latency_histogram")).isNotNull();
        assertThat(table.schema().findField("latency_exp_histogram").isOptional()).isTrue();
        assertThat(TableBootstrap.ensureTable(catalog, id(def), def).status()).isEqualTo(TableBootstrap.Status.UNCHANGED);
    }

    @Test
    void addsFieldsInsideStructsAndPromotesIntToLong() {
        TableDefinition def = TableDefinitions.load("lineage_history");
        createFrom(def, columns -> {
            List<Types.NestedField> out = new ArrayList<>();
            for (Types.NestedField f : columns) {
                if (f.name().equals("trace")) {
                    List<Types.NestedField> sub = new ArrayList<>();
                    for (Types.NestedField s : f.type().asStructType().fields()) {
                        if (s.name().equals("cache_misses")) {
                            continue;
                        }
                        sub.add(s.name().equals("root_duration_micros")
                                ? Types.NestedField.optional(s.fieldId(), s.name(), Types.IntegerType.get(), s.doc()) : s);
                    }
                    out.add(Types.NestedField.optional(f.fieldId(), f.name(), Types.StructType.of(sub), f.doc()));
                } else {
                    out.add(f);
                }
            }
            return out;
        }, def.properties());

        TableBootstrap.Outcome outcome = TableBootstrap.ensureTable(catalog, id(def), def);

        assertThat(outcome.changes()).containsExactlyInAnyOrder(
                "promoted column trace.root_duration_micros from int to long", "added optional column trace.cache_misses int");
        Table table = catalog.loadTable(id(def));
        assertThat(table.schema().findType("trace.root_duration_micros")).isEqualTo(Types.LongType.get());
        assertThat(table.schema().findType("trace").asStructType().fields()).extracting(Types.NestedField::name)
                .containsExactly("span_count", "error_count", "root_duration_micros", "db_time_micros", "cache_hits",
                        "cache_misses", "service_time_micros");
    }

    @Test
    void addsProvenanceFieldsInsideTheFeatureListElements() {
        TableDefinition def = TableDefinitions.load("lineage_history");
        List<String> provenance = List.of("source", "pipeline_trace_id", "produced_at");
        createFrom(def, columns -> columns.stream().map(f -> {
            if (!f.name().equals("features")) return f;
            Types.ListType list = f.type().asListType();
            List<Types.NestedField> old = list.elementType().asStructType().fields().stream()
                    .filter(e -> !provenance.contains(e.name())).toList();
            return Types.NestedField.optional(f.fieldId(), f.name(),
                    Types.ListType.ofOptional(list.elementId(), Types.StructType.of(old)), f.doc());
        }).toList(), def.properties());

        TableBootstrap.Outcome outcome = TableBootstrap.ensureTable(catalog, id(def), def);

        assertThat(outcome.status()).isEqualTo(TableBootstrap.Status.EVOLVED);
        assertThat(outcome.changes()).containsExactly("added optional column features.element.source string",
                "added optional column features.element.pipeline_trace_id string",
                "added optional column features.element.produced_at timestamptz");
        Table table = catalog.loadTable(id(def));
        assertThat(table.schema().findType("features").asListType().elementType().asStructType().fields())
                .extracting(Types.NestedField::name)
                .containsExactly("name", "version", "hash", "source", "pipeline_trace_id", "produced_at");
        assertThat(table.schema().findField("features.element.produced_at").doc()).isNotBlank();
        assertThat(TableBootstrap.ensureTable(catalog, id(def), def).status()).isEqualTo(TableBootstrap.Status.UNCHANGED);
    }

    @Test
    void updatesTheRetentionProperty() {
        TableDefinition def = TableDefinitions.load("dead_letters");
        Map<String, String> props = new HashMap<>(def.properties());
        props.put(TableDefinition.RETENTION_DAYS, "30");
        createFrom(def, UnaryOperator.identity(), props);

        TableBootstrap.Outcome outcome = TableBootstrap.ensureTable(catalog, id(def), def);

        assertThat(outcome.changes()).containsExactly("set property recolens.retention.days=14 (was 30)");
        assertThat(catalog.loadTable(id(def)).properties()).containsEntry(TableDefinition.RETENTION_DAYS, "14");
    }

    @Test
    void refusesAnIncompatibleType() {
        TableDefinition def = TableDefinitions.load("variant_engagement");
        createFrom(def, columns -> replace(columns, "clicks", Types.StringType.get()), def.properties());

        assertThatThrownBy(() -> TableBootstrap.ensureTable(catalog, id(def), def))
                .isInstanceOf(IncompatibleTableException.class)
                .hasMessage("Table recolens.variant_engagement is incompatible with iceberg-schemas/variant_engagement.json:"
                        + " column 'clicks' is string in the table, expected long."
                        + " Fix: rename or drop the table, or migrate it; see docs/tables.md.");
        // Nothing was changed on the way to the refusal.
        assertThat(catalog.loadTable(id(def)).schema().findType("clicks")).isEqualTo(Types.StringType.get());
    }

    @Test
    void refusesAMissingRequiredColumn() {
        TableDefinition def = TableDefinitions.load("experiment_exposures");
        createFrom(def, columns -> without(columns, "unit_key"), def.properties());

        assertThatThrownBy(() -> TableBootstrap.ensureTable(catalog, id(def), def))
                .isInstanceOf(IncompatibleTableException.class)
                .hasMessageContaining("recolens.experiment_exposures")
                .hasMessageContaining("column 'unit_key' is missing in the table, expected required string");
    }

    @Test
    void refusesAnotherPartitionSpecAndOtherLatencyBuckets() {
        TableDefinition def = TableDefinitions.load("variant_side_effects");
        catalog.buildTable(id(def), def.schema()).withProperties(def.properties()).create();
        assertThatThrownBy(() -> TableBootstrap.ensureTable(catalog, id(def), def))
                .isInstanceOf(IncompatibleTableException.class)
                .hasMessageContaining("the partition spec is [] in the table, expected [day(window_start)]");

        catalog.dropTable(id(def));
        Map<String, String> props = new HashMap<>(def.properties());
        props.put(LatencyBuckets.TABLE_PROPERTY, "1,10,100,Infinity");
        createFrom(def, UnaryOperator.identity(), props);
        assertThatThrownBy(() -> TableBootstrap.ensureTable(catalog, id(def), def))
                .isInstanceOf(IncompatibleTableException.class)
                .hasMessageContaining("property recolens.latency.bucket-bounds-ms is 1,10,100,Infinity in the table");
    }

    @Test
    void refusesAColumnTheDefinitionLacks() {
        TableDefinition def = TableDefinitions.load("lineage_anomalies");
        createFrom(def, columns -> {
            List<Types.NestedField> out = new ArrayList<>(columns);
            out.add(Types.NestedField.optional(500, "severity", Types.StringType.get()));
            return out;
        }, def.properties());
        assertThatThrownBy(() -> TableBootstrap.ensureTable(catalog, id(def), def))
                .isInstanceOf(IncompatibleTableException.class)
                .hasMessageContaining("column 'severity' is present");
    }

    private TableIdentifier id(TableDefinition def) {
        return TableIdentifier.of(NS, def.name());
    }

    private void createFrom(TableDefinition def, UnaryOperator<List<Types.NestedField>> edit, Map<String, String> props) {
        Schema schema = new Schema(edit.apply(def.schema().columns()));
        PartitionSpec.Builder spec = PartitionSpec.builderFor(schema);
        def.spec().fields().forEach(f -> {
            String column = def.schema().findColumnName(f.sourceId());
            if (f.transform().toString().equals("day")) {
                spec.day(column);
            } else {
                spec.identity(column);
            }
        });
        catalog.buildTable(id(def), schema).withPartitionSpec(spec.build()).withSortOrder(SortOrder.unsorted())
                .withProperties(props).create();
    }

    private static List<Types.NestedField> without(List<Types.NestedField> columns, String... names) {
        List<String> drop = List.of(names);
        return columns.stream().filter(f -> !drop.contains(f.name())).toList();
    }

    private static List<Types.NestedField> replace(List<Types.NestedField> columns, String name, org.apache.iceberg.types.Type type) {
        return columns.stream()
                .map(f -> f.name().equals(name) ? Types.NestedField.of(f.fieldId(), f.isOptional(), f.name(), type, f.doc()) : f)
                .toList();
    }

    private long metadataVersions() {
        try (var files = java.nio.file.Files.walk(warehouse)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".metadata.json")).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
