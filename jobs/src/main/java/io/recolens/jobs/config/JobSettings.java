package io.recolens.jobs.config;

import io.recolens.connectors.decode.RecordLimits;
import io.recolens.connectors.decode.UnitKeySecret;
import io.recolens.connectors.iceberg.CatalogConfig;
import io.recolens.connectors.iceberg.SinkWriteMode;
import io.recolens.jobs.config.RecolensOptions.InputKind;
import io.recolens.jobs.config.RecolensOptions.Mode;
import java.io.Serializable;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/** The validated settings the job's functions read; built once at start from a {@link Configuration}. */
public final class JobSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Used only when demo=true; anything outside the demo must bring its own key. */
    public static final String DEMO_UNIT_KEY_SECRET = UnitKeySecret.DEMO_SECRET;

    public final Mode mode;
    public final InputKind input;
    public final String inputPath;
    public final String kafkaBootstrap;
    public final String kafkaGroupId;
    public final String startingOffsets;
    public final String stoppingOffsets;
    public final Map<String, String> kafkaProperties;
    public final String topicImpressions;
    public final String topicClicks;
    public final String topicSpans;
    public final String spansEncoding;
    public final Map<String, String> catalogProperties;
    public final long traceGapMs;
    /** lateness.allowed (deprecated key state.late-retention). */
    public final long allowedLatenessMs;
    public final int traceMaxSpans;
    public final long traceMaxDurationMs;
    public final int maxPendingClicks;
    public final long attributionWindowMs;
    public final long orphanTimeoutMs;
    public final long aggregateWindowMs;
    public final long unitDailyFlushMs;
    public final long outOfOrdernessMs;
    public final long idlenessMs;
    public final long exposureRetentionMs;
    public final long checkpointIntervalMs;
    /** Where tasks read the HMAC key at open(), with its key id; never the key itself (docs/privacy.md). */
    public final UnitKeySecret unitKey;
    /** Flink options given as flink.* (prefix stripped), checked against Flink's and the job's needs. */
    public final Map<String, String> flinkOptions;
    public final boolean demo;
    /** Experiment → its registered variants; empty when no registry is configured. */
    public final Map<String, Set<String>> knownExperiments;
    public final List<String> baggageAllowList;
    public final CardinalityLimits limits;
    public final RecordLimits recordLimits;
    public final int sinkParallelism;
    /** Writers of lineage_history; 0 means the parallelism of the operator that makes its rows. */
    public final int sinkLineageParallelism;
    /** Streaming only: refuse a stateless start over earlier output (restore.require-state). */
    public final boolean requireState;
    /** append or overwrite-partitions (docs/backfill.md); validated against the mode and the Kafka bounds. */
    public final SinkWriteMode sinkWriteMode;
    /** Join 3 (docs/lineage.md): lineage.provenance-wait, lineage.stale-after, lineage.salts, lineage.provenance-retention. */
    public final long provenanceWaitMs;
    public final long staleAfterMs;
    public final int lineageSalts;
    public final long provenanceRetentionMs;
    /** archive.enabled, off when the job reads the archive itself (docs/lineage.md). */
    public final boolean archive;
    /** archive.retention in whole days, rounded up. */
    public final int archiveRetentionDays;
    /** input=archive: catalog properties of the archive read (catalog.* with archive.read-namespace as namespace). */
    public final Map<String, String> archiveCatalogProperties;

    private JobSettings(Configuration c, Map<String, String> env) {
        mode = c.get(RecolensOptions.MODE);
        input = c.get(RecolensOptions.INPUT);
        inputPath = c.get(RecolensOptions.INPUT_PATH);
        kafkaBootstrap = c.get(RecolensOptions.KAFKA_BOOTSTRAP);
        kafkaGroupId = c.get(RecolensOptions.KAFKA_GROUP_ID);
        startingOffsets = c.getOptional(RecolensOptions.KAFKA_STARTING_OFFSETS).orElse(mode == Mode.BATCH ? "earliest" : "committed-or-earliest");
        stoppingOffsets = c.getOptional(RecolensOptions.KAFKA_STOPPING_OFFSETS).orElse(mode == Mode.BATCH ? "latest" : "none");
        kafkaProperties = withPrefix(c, RecolensOptions.KAFKA_PROPERTIES_PREFIX);
        KafkaKeys.check(kafkaProperties);
        topicImpressions = c.get(RecolensOptions.TOPIC_IMPRESSIONS);
        topicClicks = c.get(RecolensOptions.TOPIC_CLICKS);
        topicSpans = c.get(RecolensOptions.TOPIC_SPANS);
        spansEncoding = c.get(RecolensOptions.SPANS_ENCODING);
        catalogProperties = withPrefix(c, RecolensOptions.CATALOG_PREFIX);
        // Parsed here only to refuse a bad catalog (an unknown key, a missing uri) at start, before any table is touched.
        try {
            CatalogConfig.fromPrefixedProperties(c.toMap(), RecolensOptions.CATALOG_PREFIX);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(RecolensOptions.CATALOG_PREFIX + "*", e.getMessage(), "use a key the catalog type reads (docs/configuration.md, section catalog.*)");
        }
        flinkOptions = withPrefix(c, FlinkOptions.PREFIX);
        FlinkOptions.check(flinkOptions, mode);
        traceGapMs = positive(c, RecolensOptions.TRACE_GAP);
        allowedLatenessMs = positive(c, RecolensOptions.ALLOWED_LATENESS);
        traceMaxSpans = atLeastOne(c, RecolensOptions.TRACE_MAX_SPANS);
        traceMaxDurationMs = positive(c, RecolensOptions.TRACE_MAX_DURATION);
        maxPendingClicks = atLeastOne(c, RecolensOptions.ATTRIBUTION_MAX_PENDING_CLICKS);
        attributionWindowMs = positive(c, RecolensOptions.ATTRIBUTION_WINDOW);
        orphanTimeoutMs = positive(c, RecolensOptions.ORPHAN_TIMEOUT);
        aggregateWindowMs = positive(c, RecolensOptions.AGGREGATE_WINDOW);
        unitDailyFlushMs = positive(c, RecolensOptions.UNIT_DAILY_FLUSH);
        if (86_400_000L % unitDailyFlushMs != 0) {
            throw new ConfigException(RecolensOptions.UNIT_DAILY_FLUSH.key(), "does not divide a day evenly",
                    "use a divisor of 24 h such as 15 min, 1 h or 6 h, so no partial sum spans two days");
        }
        outOfOrdernessMs = c.get(RecolensOptions.OUT_OF_ORDERNESS).toMillis();
        idlenessMs = positive(c, RecolensOptions.SOURCE_IDLENESS);
        exposureRetentionMs = positive(c, RecolensOptions.EXPOSURE_RETENTION);
        checkpointIntervalMs = positive(c, RecolensOptions.CHECKPOINT_INTERVAL);
        demo = c.get(RecolensOptions.DEMO);
        unitKey = UnitKeySources.resolve(c, env, demo);
        knownExperiments = parseKnownExperiments(c.get(RecolensOptions.KNOWN_EXPERIMENTS));
        baggageAllowList = List.copyOf(c.get(RecolensOptions.BAGGAGE_ALLOW_LIST));
        limits = new CardinalityLimits(
                atLeastOne(c, RecolensOptions.MAX_EXPERIMENTS), atLeastOne(c, RecolensOptions.MAX_VARIANTS),
                atLeastOne(c, RecolensOptions.MAX_SURFACES), atLeastOne(c, RecolensOptions.MAX_SEGMENTS),
                atLeastOne(c, RecolensOptions.MAX_SERVICES), atLeastOne(c, RecolensOptions.MAX_OPERATIONS),
                positive(c, RecolensOptions.LIMITS_FORGET_AFTER));
        recordLimits = recordLimits(c);
        sinkParallelism = atLeastOne(c, RecolensOptions.SINK_PARALLELISM);
        sinkLineageParallelism = atLeastZero(c, RecolensOptions.SINK_LINEAGE_PARALLELISM);
        requireState = mode == Mode.STREAMING && c.get(RecolensOptions.RESTORE_REQUIRE_STATE);
        sinkWriteMode = writeMode(c, mode);
        // The row is written at the end of its attribution window anyway: waiting as long costs no latency.
        provenanceWaitMs = c.getOptional(RecolensOptions.LINEAGE_PROVENANCE_WAIT).map(Duration::toMillis).orElse(attributionWindowMs);
        staleAfterMs = positive(c, RecolensOptions.LINEAGE_STALE_AFTER);
        lineageSalts = atLeastOne(c, RecolensOptions.LINEAGE_SALTS);
        provenanceRetentionMs = positive(c, RecolensOptions.LINEAGE_PROVENANCE_RETENTION);
        archive = c.get(RecolensOptions.ARCHIVE_ENABLED) && input != InputKind.ARCHIVE;
        archiveRetentionDays = archiveRetentionDays(c);
        Map<String, String> archiveCatalog = new HashMap<>(catalogProperties);
        c.getOptional(RecolensOptions.ARCHIVE_READ_NAMESPACE).filter(n -> !n.isBlank())
                .ifPresent(n -> archiveCatalog.put(CatalogConfig.NAMESPACE, n.trim()));
        archiveCatalogProperties = Map.copyOf(archiveCatalog);
        validateInputs();
        validateWriteMode();
    }

    /** Reads and validates; throws {@link ConfigException} naming the key and the fix. */
    public static JobSettings from(Configuration conf, Map<String, String> env) {
        try {
            return new JobSettings(conf, env);
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }

    public boolean batch() {
        return mode == Mode.BATCH;
    }

    /** archive.retention in whole days (rounded up): retention drops whole day partitions. */
    public static int archiveRetentionDays(Configuration c) {
        long ms = positive(c, RecolensOptions.ARCHIVE_RETENTION);
        return (int) Math.max(1, (ms + 86_400_000L - 1) / 86_400_000L);
    }

    private void validateInputs() {
        if (input == InputKind.ARCHIVE) {
            if (mode != Mode.BATCH) {
                throw new ConfigException("input", "the archive is read in batch mode only", "add --mode batch (bin/recolens backfill --from-archive)");
            }
        } else if (input == InputKind.FILES) {
            if (mode != Mode.BATCH) {
                throw new ConfigException("input", "files are read in batch mode only", "add --mode batch, or read from Kafka");
            }
            if (inputPath == null || inputPath.isBlank()) {
                throw new ConfigException("input.path", "missing while input=files", "set input.path to a folder with impressions/, clicks/, spans/");
            }
        } else if (kafkaBootstrap == null || kafkaBootstrap.isBlank()) {
            throw new ConfigException("kafka.bootstrap-servers", "missing", "set kafka.bootstrap-servers=host:port (or input=files with --mode batch)");
        }
        if (!spansEncoding.equals("otlp_proto") && !spansEncoding.equals("otlp_json")) {
            throw new ConfigException("spans.encoding", "'" + spansEncoding + "' is not supported", "use otlp_proto or otlp_json, as the Collector's Kafka exporter");
        }
        if (!startingOffsets.matches("earliest|latest|committed-or-earliest|timestamp:\\d+")) {
            throw new ConfigException("kafka.starting-offsets", "'" + startingOffsets + "' is not understood", "use earliest, latest, committed-or-earliest or timestamp:<epoch-ms>");
        }
        if (!stoppingOffsets.matches("none|latest|timestamp:\\d+")) {
            throw new ConfigException("kafka.stopping-offsets", "'" + stoppingOffsets + "' is not understood", "use none, latest or timestamp:<epoch-ms>");
        }
        if (mode == Mode.BATCH && stoppingOffsets.equals("none")) {
            throw new ConfigException("kafka.stopping-offsets", "batch mode needs a bound", "use latest or timestamp:<epoch-ms>, or run --mode streaming");
        }
        if (orphanTimeoutMs < attributionWindowMs) {
            throw new ConfigException("attribution.orphan-timeout", "shorter than attribution.window", "make the orphan timeout at least as long as the attribution window");
        }
    }

    private static SinkWriteMode writeMode(Configuration c, Mode mode) {
        String name = c.get(RecolensOptions.SINK_WRITE_MODE);
        if (name == null || name.isBlank()) {
            return mode == Mode.BATCH ? SinkWriteMode.OVERWRITE_PARTITIONS : SinkWriteMode.APPEND;
        }
        SinkWriteMode m = SinkWriteMode.fromConfigName(name.trim());
        if (m == null) {
            throw new ConfigException(RecolensOptions.SINK_WRITE_MODE.key(), "'" + name + "' is not understood", "use append or overwrite-partitions");
        }
        return m;
    }

    /**
     * Overwrite replaces whole day partitions, so it must only see whole days: a streaming commit holds one
     * checkpoint's rows, and a Kafka bound inside a day would replace that day with part of it.
     */
    private void validateWriteMode() {
        if (sinkWriteMode != SinkWriteMode.OVERWRITE_PARTITIONS) return;
        String key = RecolensOptions.SINK_WRITE_MODE.key();
        if (mode != Mode.BATCH) {
            throw new ConfigException(key, "overwrite-partitions is refused in streaming mode (each checkpoint would replace whole days"
                    + " with its own rows)", "use sink.write-mode=append for streaming; backfill with --mode batch");
        }
        if (input != InputKind.FILES) {
            requireDayBoundary(RecolensOptions.KAFKA_STARTING_OFFSETS.key(), startingOffsets);
            requireDayBoundary(RecolensOptions.KAFKA_STOPPING_OFFSETS.key(), stoppingOffsets);
        }
    }

    private static void requireDayBoundary(String key, String bound) {
        if (!bound.startsWith("timestamp:")) return;
        long ms = Long.parseLong(bound.substring("timestamp:".length()));
        if (ms % 86_400_000L != 0) {
            throw new ConfigException(key, bound + " (" + java.time.Instant.ofEpochMilli(ms) + ") is not at 00:00Z, and with"
                    + " sink.write-mode=overwrite-partitions the backfill would replace that whole day with part of it",
                    "align --from/--to to 00:00Z (a multiple of 86400000 ms), or use sink.write-mode=append into another"
                    + " catalog.namespace");
        }
    }

    /** The HMAC key the job would use with this configuration (for bin/recolens forget): same sources, precedence and checks. */
    public static String unitKeySecret(Configuration c, Map<String, String> env) {
        return UnitKeySources.resolve(c, env, c.get(RecolensOptions.DEMO)).resolve();
    }

    static Map<String, Set<String>> parseKnownExperiments(String spec) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            return Collections.emptyMap();
        }
        for (String part : spec.split(";")) {
            if (part.isBlank()) continue;
            int eq = part.indexOf('=');
            if (eq <= 0 || eq == part.length() - 1) {
                throw new ConfigException("experiments.known", "'" + part + "' is not experiment=variantA|variantB", "write e.g. rec_algorithm_v3=control|hybrid;ranking_boost_v2=control|recency_boost");
            }
            Set<String> variants = new HashSet<>(List.of(part.substring(eq + 1).trim().split("\\|")));
            out.put(part.substring(0, eq).trim(), variants);
        }
        return out;
    }

    private static Map<String, String> withPrefix(Configuration c, String prefix) {
        Map<String, String> out = new HashMap<>();
        for (Map.Entry<String, String> e : c.toMap().entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                out.put(e.getKey().substring(prefix.length()), e.getValue());
            }
        }
        return out;
    }

    private static long positive(Configuration c, ConfigOption<Duration> option) {
        Duration d = c.get(option);
        if (d.isNegative() || d.isZero()) {
            throw new ConfigException(option.key(), "must be positive, was " + d, "use a duration like 30 s, 5 min or 1 h");
        }
        return d.toMillis();
    }

    private static RecordLimits recordLimits(Configuration c) {
        int depth = c.get(RecolensOptions.RECORD_JSON_DEPTH);
        if (depth < 4) {
            throw new ConfigException(RecolensOptions.RECORD_JSON_DEPTH.key(), "must be at least 4, was " + depth,
                    "impressions nest 3 levels deep (items[].item_id); use the default 32");
        }
        int numberChars = c.get(RecolensOptions.RECORD_NUMBER_CHARS);
        if (numberChars < 20) {
            throw new ConfigException(RecolensOptions.RECORD_NUMBER_CHARS.key(), "must be at least 20, was " + numberChars,
                    "an epoch-nanosecond timestamp has 19 digits; use the default 64");
        }
        return new RecordLimits(atLeastOne(c, RecolensOptions.RECORD_EXPERIMENTS), atLeastOne(c, RecolensOptions.RECORD_SLATE_ITEMS),
                atLeastOne(c, RecolensOptions.RECORD_FEATURES), atLeastOne(c, RecolensOptions.RECORD_STRING_CHARS),
                atLeastOne(c, RecolensOptions.RECORD_SPANS_PER_MESSAGE), atLeastOne(c, RecolensOptions.RECORD_ATTRIBUTES_PER_SPAN),
                depth, numberChars, positiveMillis(c, RecolensOptions.RECORD_SPAN_DURATION));
    }

    private static long positiveMillis(Configuration c, ConfigOption<Duration> option) {
        Duration v = c.get(option);
        if (v.isNegative() || v.isZero()) {
            throw new ConfigException(option.key(), "must be positive, was " + v, "use a duration such as 24 h");
        }
        return v.toMillis();
    }

    private static int atLeastZero(Configuration c, ConfigOption<Integer> option) {
        int v = c.get(option);
        if (v < 0) {
            throw new ConfigException(option.key(), "must be 0 or more, was " + v, "use 0 for the job's parallelism or a positive number of writers");
        }
        return v;
    }

    private static int atLeastOne(Configuration c, ConfigOption<Integer> option) {
        int v = c.get(option);
        if (v < 1) {
            throw new ConfigException(option.key(), "must be at least 1, was " + v, "use a positive number");
        }
        return v;
    }
}
