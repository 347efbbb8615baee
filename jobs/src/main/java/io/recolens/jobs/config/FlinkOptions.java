package io.recolens.jobs.config;

import io.recolens.connectors.config.ClosestKey;
import io.recolens.jobs.config.RecolensOptions.Mode;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.StateBackendOptions;

/**
 * Flink options passed through the job's configuration as {@code flink.<flink key>} (state backend, checkpoint
 * storage, memory, restart strategy, ...): checked against Flink's own option classes, refused where they
 * contradict what the job needs, and completed by production defaults the cluster has not set itself.
 */
public final class FlinkOptions {
    private FlinkOptions() {}

    /** Prefix of Flink options in the job configuration: {@code flink.state.backend.type=rocksdb}. */
    public static final String PREFIX = "flink.";

    /** The RocksDB backend's class; {@code flink-dist} ships it on clusters, the local runner has it on its classpath. */
    static final String ROCKSDB_CLASS = "org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend";

    /** Families of keys that plugins and deployments define (file systems, metric reporters, Kubernetes, ...). */
    static final List<String> PASS_THROUGH_PREFIXES = List.of("metrics.reporter.", "s3.", "s3a.", "fs.", "gs.", "azure.",
            "kubernetes.", "env.", "yarn.", "high-availability.", "security.", "state.backend.rocksdb.");

    private static final List<String> OPTION_CLASSES = List.of(
            "org.apache.flink.configuration.CheckpointingOptions", "org.apache.flink.configuration.StateBackendOptions",
            "org.apache.flink.configuration.StateRecoveryOptions", "org.apache.flink.configuration.StateChangelogOptions",
            "org.apache.flink.configuration.StateLatencyTrackOptions", "org.apache.flink.configuration.StateSizeTrackOptions",
            "org.apache.flink.configuration.TaskManagerOptions", "org.apache.flink.configuration.JobManagerOptions",
            "org.apache.flink.configuration.ExecutionOptions", "org.apache.flink.configuration.PipelineOptions",
            "org.apache.flink.configuration.RestartStrategyOptions", "org.apache.flink.configuration.CoreOptions",
            "org.apache.flink.configuration.MetricOptions", "org.apache.flink.configuration.RestOptions",
            "org.apache.flink.configuration.WebOptions", "org.apache.flink.configuration.HighAvailabilityOptions",
            "org.apache.flink.configuration.SecurityOptions", "org.apache.flink.configuration.NettyShuffleEnvironmentOptions",
            "org.apache.flink.configuration.ClusterOptions", "org.apache.flink.configuration.DeploymentOptions",
            "org.apache.flink.configuration.BatchExecutionOptions", "org.apache.flink.configuration.AlgorithmOptions",
            "org.apache.flink.configuration.ResourceManagerOptions", "org.apache.flink.configuration.HeartbeatManagerOptions",
            "org.apache.flink.configuration.RpcOptions", "org.apache.flink.configuration.BlobServerOptions",
            "org.apache.flink.configuration.TraceOptions", "org.apache.flink.configuration.EventOptions",
            "org.apache.flink.configuration.SlowTaskDetectorOptions", "org.apache.flink.configuration.CleanupOptions",
            "org.apache.flink.configuration.SinkOptions", "org.apache.flink.configuration.OptimizerOptions",
            "org.apache.flink.state.rocksdb.RocksDBOptions", "org.apache.flink.state.rocksdb.RocksDBConfigurableOptions",
            "org.apache.flink.state.rocksdb.RocksDBNativeMetricOptions");

    static final Set<String> KNOWN = known();

    /** True when the RocksDB state backend can be loaded here. */
    public static boolean rocksDbAvailable() {
        try {
            Class.forName(ROCKSDB_CLASS, false, FlinkOptions.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Refuses unknown Flink keys (naming the closest) and options that contradict the job: the runtime mode is
     * {@code mode}, checkpoints are exactly-once at {@code checkpoint.interval}, and every type has a serializer.
     *
     * @param options the keys after {@code flink.}
     */
    static void check(Map<String, String> options, Mode mode) {
        for (String key : new TreeSet<>(options.keySet())) {
            if (!KNOWN.contains(key) && PASS_THROUGH_PREFIXES.stream().noneMatch(key::startsWith)) {
                throw new ConfigException(PREFIX + key, "not a Flink option",
                        "did you mean " + PREFIX + ClosestKey.closest(key, KNOWN).orElse("state.backend.type")
                                + "? (Flink 2.1 configuration reference; plugin keys pass under " + PASS_THROUGH_PREFIXES + ")");
            }
        }
        String runtimeMode = options.get(ExecutionOptions.RUNTIME_MODE.key());
        if (runtimeMode != null && !runtimeMode.trim().equalsIgnoreCase(mode.name())) {
            throw new ConfigException(PREFIX + ExecutionOptions.RUNTIME_MODE.key(), "'" + runtimeMode + "' contradicts mode="
                    + mode.name().toLowerCase(Locale.ROOT), "remove it: --mode streaming|batch sets the runtime mode");
        }
        if (options.containsKey(CheckpointingOptions.CHECKPOINTING_INTERVAL.key())) {
            throw new ConfigException(PREFIX + CheckpointingOptions.CHECKPOINTING_INTERVAL.key(), "is set by the job (checkpoints "
                    + "cannot be turned off in streaming: they are the Iceberg commits)",
                    "use " + RecolensOptions.CHECKPOINT_INTERVAL.key() + ", which is also the Iceberg commit interval");
        }
        String consistency = options.get(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE.key());
        if (consistency != null && !consistency.trim().equalsIgnoreCase("EXACTLY_ONCE")) {
            throw new ConfigException(PREFIX + CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE.key(), "'" + consistency
                    + "' would let a restore count records twice in the tables", "remove it: the job checkpoints EXACTLY_ONCE");
        }
        String genericTypes = options.get(PipelineOptions.GENERIC_TYPES.key());
        if (genericTypes != null && !genericTypes.trim().equalsIgnoreCase("false")) {
            throw new ConfigException(PREFIX + PipelineOptions.GENERIC_TYPES.key(), "is set false by the job (every type has a "
                    + "Flink serializer; a Kryo fallback would be a silent slowdown and break state compatibility)", "remove it");
        }
        String backend = options.get(StateBackendOptions.STATE_BACKEND.key());
        if (backend != null) {
            String b = backend.trim().toLowerCase(Locale.ROOT);
            if (b.equals("rocksdb") && !rocksDbAvailable()) {
                throw new ConfigException(PREFIX + StateBackendOptions.STATE_BACKEND.key(), "rocksdb is not on the classpath",
                        "run on a Flink distribution (it ships flink-statebackend-rocksdb) or use hashmap");
            }
            if (!b.equals("rocksdb") && !b.equals("hashmap") && !backend.contains(".")) {
                throw new ConfigException(PREFIX + StateBackendOptions.STATE_BACKEND.key(), "'" + backend + "' is not a state backend",
                        "use rocksdb (large state, incremental checkpoints) or hashmap (state on the heap)");
            }
        }
        String storage = options.get(CheckpointingOptions.CHECKPOINT_STORAGE.key());
        if (mode == Mode.STREAMING && storage != null && storage.trim().equalsIgnoreCase("jobmanager")) {
            throw new ConfigException(PREFIX + CheckpointingOptions.CHECKPOINT_STORAGE.key(), "jobmanager storage keeps checkpoints "
                    + "in the JobManager's heap, lost with it and too small for open traces and attribution windows",
                    "use filesystem with " + PREFIX + CheckpointingOptions.CHECKPOINTS_DIRECTORY.key() + "=s3://bucket/checkpoints");
        }
    }

    /**
     * Production defaults for whatever neither the cluster ({@code cluster}) nor the job's {@code flink.*} options set:
     * an explicit state backend (RocksDB with incremental checkpoints where available, else the heap), filesystem
     * checkpoint storage when a checkpoint directory is known, and checkpoints retained on cancellation so that a
     * cancelled job can be restored. Batch jobs keep no checkpoints and get none of these.
     */
    public static Configuration productionDefaults(Mode mode, Map<String, String> options, ReadableConfig cluster) {
        Configuration defaults = new Configuration();
        if (mode == Mode.BATCH) {
            return defaults;
        }
        Map<String, String> clusterMap = cluster.toMap();
        boolean backendSet = isSet(StateBackendOptions.STATE_BACKEND, options, clusterMap);
        if (!backendSet) {
            boolean rocks = rocksDbAvailable();
            defaults.set(StateBackendOptions.STATE_BACKEND, rocks ? "rocksdb" : "hashmap");
            if (rocks && !isSet(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, options, clusterMap)) {
                defaults.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
            }
        }
        if (isSet(CheckpointingOptions.CHECKPOINTS_DIRECTORY, options, clusterMap)
                && !isSet(CheckpointingOptions.CHECKPOINT_STORAGE, options, clusterMap)) {
            defaults.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        }
        if (!isSet(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, options, clusterMap)) {
            defaults.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        }
        return defaults;
    }

    /**
     * A streaming job on a cluster must know where its checkpoints go: without a directory they stay in the
     * JobManager's heap, lost with it and too small for the job's state.
     */
    public static void requireCheckpointDirectory(Mode mode, Map<String, String> options, ReadableConfig cluster) {
        if (mode == Mode.STREAMING && !isSet(CheckpointingOptions.CHECKPOINTS_DIRECTORY, options, cluster.toMap())) {
            throw new ConfigException(PREFIX + CheckpointingOptions.CHECKPOINTS_DIRECTORY.key(), "no durable checkpoint directory "
                    + "(neither in the job's configuration nor in the cluster's config.yaml)",
                    "set " + PREFIX + CheckpointingOptions.CHECKPOINTS_DIRECTORY.key() + "=s3://bucket/recolens/checkpoints or "
                            + CheckpointingOptions.CHECKPOINTS_DIRECTORY.key() + " in the cluster's configuration");
        }
    }

    private static boolean isSet(ConfigOption<?> option, Map<String, String> options, Map<String, String> cluster) {
        if (options.containsKey(option.key()) || cluster.containsKey(option.key())) return true;
        for (FallbackKey k : option.fallbackKeys()) {
            if (options.containsKey(k.getKey()) || cluster.containsKey(k.getKey())) return true;
        }
        return false;
    }

    private static Set<String> known() {
        Set<String> keys = new TreeSet<>();
        for (String name : OPTION_CLASSES) {
            Class<?> c;
            try {
                c = Class.forName(name, true, FlinkOptions.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                continue; // RocksDB's options only where RocksDB is on the classpath
            }
            for (Field f : c.getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && ConfigOption.class.isAssignableFrom(f.getType())) {
                    try {
                        ConfigOption<?> o = (ConfigOption<?>) f.get(null);
                        keys.add(o.key());
                        o.fallbackKeys().forEach(k -> keys.add(k.getKey()));
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return keys;
    }
}
