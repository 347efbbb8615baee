package io.recolens.jobs.restore;

import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.jobs.config.JobSettings;
import io.recolens.jobs.config.RecolensOptions;
import io.recolens.jobs.pipeline.IcebergOutputs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Refuses a streaming start without state when an earlier run left output and committed offsets: such a
 * start resumes at the committed offsets with empty state, silently dropping every open trace, pending
 * attribution and partial aggregate of the earlier run.
 */
public final class StartGuard {
    /** Tables whose rows only come out of state (closed traces, windows, partial sums): output there means state existed. */
    static final List<String> STATEFUL_OUTPUTS = List.of(IcebergOutputs.LINEAGE_HISTORY, IcebergOutputs.VARIANT_ENGAGEMENT,
            IcebergOutputs.EXPERIMENT_UNIT_DAILY, IcebergOutputs.VARIANT_SIDE_EFFECTS, IcebergOutputs.EXPERIMENT_EXPOSURES);

    private StartGuard() {}

    /** Thrown at start instead of running without state; the message names the way out. */
    public static final class StateRequiredException extends IllegalStateException {
        StateRequiredException(String message) {
            super(message);
        }
    }

    /**
     * Checks before the job is submitted; {@code flink} is the environment's configuration (its
     * {@code execution.state-recovery.path} says whether this start restores).
     *
     * @throws StateRequiredException when the start would silently drop state
     */
    public static void check(JobSettings settings, ReadableConfig flink) {
        if (!settings.requireState || flink.getOptional(StateRecoveryOptions.SAVEPOINT_PATH).isPresent()) {
            return;
        }
        List<String> withOutput = tablesWithOutput(settings);
        if (withOutput.isEmpty()) return;
        Map<TopicPartition, Long> committed = committedOffsets(settings);
        if (committed.isEmpty()) return;
        Optional<String> newest = flink.getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY).flatMap(StartGuard::newestUnder);
        throw new StateRequiredException(message(settings.kafkaGroupId, withOutput, committed, newest));
    }

    /** The refusal, naming what was found and both ways out. */
    static String message(String group, List<String> withOutput, Map<TopicPartition, Long> committed, Optional<String> newest) {
        return "recolens: refusing to start without state: the tables " + withOutput + " already hold output of an earlier run and "
                + "the consumer group '" + group + "' has committed offsets on " + committed.size() + " partitions, so this start "
                + "would resume there with empty state and silently drop every open trace, pending click attribution and partial "
                + "aggregate of that run. Restore with --restore PATH (newest found: " + newest.orElse("none under the checkpoint directory")
                + "), or start over on purpose with --fresh. On a cluster: set execution.state-recovery.path (flink run -s), or "
                + RecolensOptions.RESTORE_REQUIRE_STATE.key() + "=false (docs/operations.md).";
    }

    private static Optional<String> newestUnder(String dir) {
        try {
            return RestorePoints.newest(dir).map(p -> p.path() + " (" + p.describe() + ")");
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Tables of the configured namespace that have at least one snapshot. */
    static List<String> tablesWithOutput(JobSettings settings) {
        RecolensCatalog catalog = RecolensCatalog.fromProperties(settings.catalogProperties);
        Catalog opened = catalog.open();
        List<String> found = new ArrayList<>();
        try {
            for (String name : STATEFUL_OUTPUTS) {
                if (!opened.tableExists(catalog.tableId(name))) continue;
                Table table = opened.loadTable(catalog.tableId(name));
                if (table.currentSnapshot() != null) found.add(name);
            }
        } finally {
            if (opened instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // Closing a catalog client after a read-only look must not fail the start.
                }
            }
        }
        return found;
    }

    /** Committed offsets of the job's consumer group on its three input topics. */
    static Map<TopicPartition, Long> committedOffsets(JobSettings settings) {
        Properties p = new Properties();
        p.putAll(settings.kafkaProperties);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafkaBootstrap);
        p.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        Set<String> topics = Set.of(settings.topicImpressions, settings.topicClicks, settings.topicSpans);
        Map<TopicPartition, Long> out = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        try (Admin admin = Admin.create(p)) {
            Map<TopicPartition, OffsetAndMetadata> all = admin.listConsumerGroupOffsets(settings.kafkaGroupId)
                    .partitionsToOffsetAndMetadata().get(60, TimeUnit.SECONDS);
            all.forEach((tp, o) -> {
                if (o != null && topics.contains(tp.topic())) out.put(tp, o.offset());
            });
            return out;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("recolens: cannot read the committed offsets of consumer group '" + settings.kafkaGroupId
                    + "' to check for earlier state (" + e + "); fix the Kafka connection, or skip the check with "
                    + RecolensOptions.RESTORE_REQUIRE_STATE.key() + "=false", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading committed offsets", e);
        }
    }
}
