package io.recolens.demo;

import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.jobs.config.JobSettings;
import io.recolens.jobs.pipeline.IcebergOutputs;
import java.util.List;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;

/** One progress line of committed row counts, from Iceberg snapshot summaries (no data is scanned). */
final class TableProgress {
    private static final List<String> SHOWN = List.of(IcebergOutputs.LINEAGE_HISTORY, IcebergOutputs.VARIANT_SIDE_EFFECTS,
            IcebergOutputs.VARIANT_ENGAGEMENT, IcebergOutputs.LINEAGE_ANOMALIES, IcebergOutputs.DEAD_LETTERS);

    private final RecolensCatalog catalog;
    private final Catalog opened;

    TableProgress(JobSettings settings) {
        this.catalog = RecolensCatalog.fromProperties(settings.catalogProperties);
        this.opened = catalog.open();
    }

    String line() {
        StringBuilder sb = new StringBuilder("committed rows:");
        for (String name : SHOWN) {
            sb.append(' ').append(name).append('=').append(rows(name));
        }
        return sb.toString();
    }

    private String rows(String name) {
        try {
            Table table = opened.loadTable(catalog.tableId(name));
            Snapshot s = table.currentSnapshot();
            return s == null ? "0" : s.summary().getOrDefault("total-records", "?");
        } catch (RuntimeException e) {
            return "?";
        }
    }
}
