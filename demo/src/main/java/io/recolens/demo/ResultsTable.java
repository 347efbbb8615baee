package io.recolens.demo;

import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.connectors.iceberg.TableBootstrap;
import io.recolens.connectors.iceberg.TableDefinition;
import io.recolens.connectors.iceberg.TableDefinitions;
import io.recolens.stats.ExperimentAnalysis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.parquet.Parquet;

/** Appends one report's rows to {@code experiment_results} (created or evolved from {@code iceberg-schemas/} first). */
public final class ResultsTable {
    private ResultsTable() {}

    /** Rows of one report, in the table's layout. */
    static List<Record> rows(ExperimentReport.Data d, Schema schema) {
        ExperimentAnalysis.Result a = d.analysis();
        List<Record> out = new ArrayList<>();
        Record srm = base(d, schema, "srm", "srm");
        srm.setField("control_variant", a.control());
        srm.setField("value", a.srm().chi2());
        srm.setField("p_value", a.srm().pValue());
        srm.setField("units", a.units().values().stream().mapToLong(Long::longValue).sum());
        srm.setField("flag", a.srm().mismatch() ? "srm_mismatch" : null);
        out.add(srm);
        for (ExperimentAnalysis.MetricResult m : a.metrics()) {
            Record r = base(d, schema, "metric", m.metric());
            r.setField("variant", m.variant());
            r.setField("control_variant", m.control());
            r.setField("value", finite(m.value()));
            r.setField("control_value", finite(m.controlValue()));
            r.setField("absolute_lift", finite(m.absoluteLift()));
            r.setField("absolute_ci_low", finite(m.absoluteCi()[0]));
            r.setField("absolute_ci_high", finite(m.absoluteCi()[1]));
            r.setField("relative_lift", finite(m.relativeLift()));
            r.setField("relative_ci_low", finite(m.relativeCi()[0]));
            r.setField("relative_ci_high", finite(m.relativeCi()[1]));
            r.setField("p_value", finite(m.pValue()));
            r.setField("adjusted_p_value", finite(m.adjustedPValue()));
            r.setField("always_valid_p_value", finite(m.alwaysValidPValue()));
            r.setField("always_valid_ci_low", finite(m.alwaysValidCi()[0]));
            r.setField("always_valid_ci_high", finite(m.alwaysValidCi()[1]));
            r.setField("units", m.units());
            r.setField("control_units", m.controlUnits());
            r.setField("cuped_applied", m.cupedApplied());
            r.setField("flag", m.adjustedPValue() < 0.05 ? "significant" : null);
            out.add(r);
        }
        for (ExperimentReport.Guardrail g : d.guardrails()) {
            Record r = base(d, schema, "guardrail", g.metric());
            r.setField("variant", g.variant());
            r.setField("control_variant", g.control());
            r.setField("service", g.service());
            r.setField("value", finite(g.value()));
            r.setField("control_value", finite(g.controlValue()));
            r.setField("absolute_lift", finite(g.difference()));
            r.setField("absolute_ci_low", finite(g.low()));
            r.setField("absolute_ci_high", finite(g.high()));
            r.setField("relative_lift", g.controlValue() == 0 ? null : finite(g.value() / g.controlValue() - 1));
            r.setField("p_value", finite(g.pValue()));
            r.setField("always_valid_p_value", finite(g.alwaysValidP()));
            r.setField("always_valid_ci_low", finite(g.alwaysValidLow()));
            r.setField("always_valid_ci_high", finite(g.alwaysValidHigh()));
            r.setField("units", g.n());
            r.setField("control_units", g.controlN());
            r.setField("flag", g.regression() ? "regression" : null);
            out.add(r);
            if (g.alert()) {
                // The alert row: a guardrail regression significant by the always-valid test, safe to act on at any run.
                Record alert = r.copy();
                alert.setField("kind", "alert");
                alert.setField("flag", "regression");
                out.add(alert);
            }
        }
        return out;
    }

    /** Creates or evolves the table, then appends the rows in one commit; returns the number of rows. */
    static int append(Catalog catalog, RecolensCatalog recolens, ExperimentReport.Data d) {
        return appendRows(catalog, recolens, TableDefinitions.EXPERIMENT_RESULTS, schema -> rows(d, schema));
    }

    /**
     * Creates or evolves a table written by a command (not the job) from its {@code iceberg-schemas/} definition, then
     * appends the rows built for its current schema in one commit; returns the number of rows. The rows must fall in
     * one partition (commands stamp every row of a run with one time).
     */
    public static int appendRows(Catalog catalog, RecolensCatalog recolens, String tableName,
            java.util.function.Function<Schema, List<Record>> build) {
        TableDefinition definition = TableDefinitions.load(tableName);
        RecolensCatalog.ensureNamespace(catalog, recolens.namespace());
        TableBootstrap.ensureTable(catalog, recolens.tableId(tableName), definition);
        Table table = catalog.loadTable(recolens.tableId(tableName));
        List<Record> rows = build.apply(table.schema());
        if (rows.isEmpty()) return 0;
        PartitionKey key = new PartitionKey(table.spec(), table.schema());
        key.partition(new InternalRecordWrapper(table.schema().asStruct()).wrap(rows.get(0)));
        String file = FileFormat.PARQUET.addExtension(tableName + "-" + UUID.randomUUID());
        OutputFile output = table.io().newOutputFile(table.locationProvider().newDataLocation(table.spec(), key, file));
        DataWriter<Record> writer;
        try {
            writer = Parquet.writeData(output)
                    .schema(table.schema())
                    .createWriterFunc((schema, type) -> GenericParquetWriter.create(schema, type))
                    .withSpec(table.spec())
                    .withPartition(key)
                    .overwrite()
                    .build();
            try (DataWriter<Record> w = writer) {
                rows.forEach(w::write);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + output.location() + ": " + e.getMessage(), e);
        }
        DataFile dataFile = writer.toDataFile();
        table.newAppend().appendFile(dataFile).commit();
        return rows.size();
    }

    private static Record base(ExperimentReport.Data d, Schema schema, String kind, String metric) {
        Record r = GenericRecord.create(schema);
        r.setField("computed_at", OffsetDateTime.ofInstant(d.computedAt(), ZoneOffset.UTC));
        r.setField("experiment", d.options().experiment());
        r.setField("kind", kind);
        r.setField("metric", metric);
        r.setField("range_from", time(d.options().from()));
        r.setField("range_to", time(d.options().to()));
        return r;
    }

    private static OffsetDateTime time(Instant i) {
        return i == null ? null : OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
