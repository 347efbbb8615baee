package org.apache.iceberg.flink.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.connectors.iceberg.TableBootstrap;
import io.recolens.connectors.iceberg.TableDefinition;
import io.recolens.connectors.iceberg.TableDefinitions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableSummary;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.iceberg.flink.TableLoader;
import org.apache.iceberg.io.WriteResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestoreAwareIcebergSinkTest {

    @TempDir
    Path warehouse;

    private TableLoader lineageTable() {
        RecolensCatalog recolens = RecolensCatalog.fromProperties(Map.of("warehouse", warehouse.toString()));
        TableDefinition lineage = TableDefinitions.loadAll().get("lineage_history");
        TableBootstrap.ensureTables(recolens.open(), recolens.namespace(), List.of(lineage));
        return TableLoader.fromCatalog(recolens.loader(), recolens.tableId(lineage.name()));
    }

    private static OneInputStreamOperatorTestHarness<CommittableMessage<WriteResult>, CommittableMessage<IcebergCommittable>> harness(
            TableLoader table) throws Exception {
        return new OneInputStreamOperatorTestHarness<>(new RestoreAwareIcebergSink.StatefulAggregator(table));
    }

    @Test
    void theAggregatorSnapshotsStateSoThatFlinkRestoresItsTaskWithTheCheckpointId() throws Exception {
        // Flink gives the restored checkpoint id only to tasks with state; Iceberg's own aggregator has none.
        try (var h = harness(lineageTable())) {
            h.open();
            OperatorSubtaskState snapshot = h.snapshot(7, 1);
            assertThat(snapshot.getManagedOperatorState()).isNotEmpty();
        }
    }

    @Test
    void givenTheRestoredCheckpointIdTheFinalFlushIsLabelledWithTheNextCheckpoint() throws Exception {
        // The Iceberg behaviour the workaround relies on: with the id restored, finish() labels its committable id + 1.
        TableLoader table = lineageTable();
        OperatorSubtaskState snapshot;
        try (var h = harness(table)) {
            h.open();
            snapshot = h.snapshot(7, 1);
        }
        try (var h = harness(table)) {
            h.setRestoredCheckpointId(7);
            h.initializeState(snapshot);
            h.open();
            h.endInput();
            h.getOperator().finish();
            List<Long> labelled = h.extractOutputValues().stream()
                    .filter(m -> m instanceof CommittableSummary)
                    .map(m -> ((CommittableSummary<IcebergCommittable>) m).getCheckpointIdOrEOI())
                    .toList();
            assertThat(labelled).containsExactly(8L);
        }
    }
}
