package org.apache.iceberg.flink.sink;

import java.util.List;
import org.apache.flink.api.common.SupportsConcurrentExecutionAttempts;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessageTypeInfo;
import org.apache.flink.streaming.api.connector.sink2.SupportsPostCommitTopology;
import org.apache.flink.streaming.api.connector.sink2.SupportsPreCommitTopology;
import org.apache.flink.streaming.api.connector.sink2.SupportsPreWriteTopology;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.table.data.RowData;
import org.apache.iceberg.flink.TableLoader;
import org.apache.iceberg.io.WriteResult;

/**
 * Recolens workaround (not Iceberg code): an {@link IcebergSink} whose pre-commit aggregator survives a restore
 * that is followed by the end of input before any new checkpoint. It lives in Iceberg's package only because the
 * sink's builder, committable and aggregator are package-private.
 *
 * <p>Why: Iceberg 1.11's aggregator labels the committable it flushes in {@code finish()} with "restored checkpoint
 * id + 1", taking that id from {@code StateInitializationContext#getRestoredCheckpointId()}. The aggregator keeps no
 * state, and Flink hands no restore information to a task none of whose operators has state, so after a failover
 * the id is empty and the last committable is labelled checkpoint 1. The committer then finds a higher
 * {@code flink.max-committed-checkpoint-id} for the same job and operator in the table and drops it as already
 * committed: a drain (or the end of bounded input) right after a restart loses everything it flushed. Keeping one
 * number in operator state makes the task stateful, so the restored id reaches the aggregator.
 *
 * <p>Everything else (writers, distribution, committer, post-commit maintenance, uids and names) is the wrapped
 * sink's own; the aggregator keeps Iceberg's uid, so existing savepoints restore unchanged.
 */
public final class RestoreAwareIcebergSink
        implements Sink<RowData>, SupportsPreWriteTopology<RowData>, SupportsCommitter<IcebergCommittable>,
                SupportsPreCommitTopology<WriteResult, IcebergCommittable>, SupportsPostCommitTopology<IcebergCommittable>,
                SupportsConcurrentExecutionAttempts {
    private static final long serialVersionUID = 1L;

    private final IcebergSink delegate;
    private final TableLoader tableLoader;
    private final String uidSuffix;

    private RestoreAwareIcebergSink(IcebergSink delegate, TableLoader tableLoader, String uidSuffix) {
        this.delegate = delegate;
        this.tableLoader = tableLoader;
        this.uidSuffix = uidSuffix;
    }

    /**
     * Appends {@code rows} like {@link IcebergSink.Builder#append()} with a non-empty uid suffix does: sink uid and
     * name are the suffix, writers run at {@code writeParallelism} or, when that is 0 or less, at the input's.
     *
     * @param builder configured with the same table loader and with {@code uidSuffix}
     */
    public static DataStreamSink<RowData> append(
            IcebergSink.Builder builder, DataStream<RowData> rows, TableLoader tableLoader, String uidSuffix, int writeParallelism) {
        if (uidSuffix == null || uidSuffix.isEmpty()) throw new IllegalArgumentException("a stable uid suffix is required");
        RestoreAwareIcebergSink sink = new RestoreAwareIcebergSink(builder.build(), tableLoader, uidSuffix);
        DataStreamSink<RowData> out = rows.sinkTo(sink).uid(uidSuffix).name(uidSuffix);
        out.setParallelism(writeParallelism > 0 ? writeParallelism : rows.getParallelism());
        return out;
    }

    @Override
    public SinkWriter<RowData> createWriter(WriterInitContext context) {
        return delegate.createWriter(context);
    }

    @Override
    public DataStream<RowData> addPreWriteTopology(DataStream<RowData> input) {
        return delegate.addPreWriteTopology(input);
    }

    @Override
    public Committer<IcebergCommittable> createCommitter(CommitterInitContext context) {
        return delegate.createCommitter(context);
    }

    @Override
    public SimpleVersionedSerializer<IcebergCommittable> getCommittableSerializer() {
        return delegate.getCommittableSerializer();
    }

    @Override
    public SimpleVersionedSerializer<WriteResult> getWriteResultSerializer() {
        return delegate.getWriteResultSerializer();
    }

    @Override
    public void addPostCommitTopology(DataStream<CommittableMessage<IcebergCommittable>> committables) {
        delegate.addPostCommitTopology(committables);
    }

    @Override
    public DataStream<CommittableMessage<IcebergCommittable>> addPreCommitTopology(DataStream<CommittableMessage<WriteResult>> writeResults) {
        // Same shape and uid as Iceberg's own pre-commit topology: one aggregator, everything routed to one committer.
        String uid = "Sink pre-commit aggregator: " + uidSuffix;
        IcebergSink committables = delegate;
        return writeResults.global()
                .transform(uid, CommittableMessageTypeInfo.of(committables::getCommittableSerializer), new StatefulAggregator(tableLoader))
                .uid(uid)
                .setParallelism(1)
                .setMaxParallelism(1)
                .global();
    }

    /** Iceberg's aggregator plus one number of operator state, only so that Flink restores the task with its checkpoint id. */
    static final class StatefulAggregator extends IcebergWriteAggregator {
        private static final long serialVersionUID = 1L;
        private transient ListState<Long> lastSnapshot;

        StatefulAggregator(TableLoader tableLoader) {
            super(tableLoader);
        }

        @Override
        public void initializeState(StateInitializationContext context) throws Exception {
            super.initializeState(context);
            lastSnapshot = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("recolens-last-snapshot", Long.class));
        }

        @Override
        public void snapshotState(StateSnapshotContext context) throws Exception {
            super.snapshotState(context);
            lastSnapshot.update(List.of(context.getCheckpointId()));
        }
    }
}
