package io.recolens.jobs.config;

import static org.apache.flink.configuration.ConfigOptions.key;

import io.recolens.connectors.decode.RecordLimits;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.MemorySize;

/** Every configuration key of the recolens job, with its default and what it does. */
public final class RecolensOptions {
    private RecolensOptions() {}

    /** How the job reads its inputs. */
    public enum Mode { STREAMING, BATCH }

    /** Where a batch run reads from. */
    public enum InputKind { KAFKA, FILES, ARCHIVE }

    public static final ConfigOption<Mode> MODE = key("mode").enumType(Mode.class).defaultValue(Mode.STREAMING)
            .withDescription("streaming: unbounded Kafka with checkpoints; batch: Kafka bounded by offsets/timestamps, or files.");

    public static final ConfigOption<InputKind> INPUT = key("input").enumType(InputKind.class).defaultValue(InputKind.KAFKA)
            .withDescription("kafka, files or archive (files and archive only in batch mode; see input.path, and archive.enabled for "
                    + "the raw_* tables input=archive reads).");

    public static final ConfigOption<String> INPUT_PATH = key("input.path").stringType().noDefaultValue()
            .withDescription("Directory with impressions/, clicks/ and spans/ subfolders (docs/inputs.md) when input=files.");

    public static final ConfigOption<String> KAFKA_BOOTSTRAP = key("kafka.bootstrap-servers").stringType().noDefaultValue()
            .withDescription("Kafka bootstrap servers, e.g. broker-1:9092.");

    public static final ConfigOption<String> KAFKA_GROUP_ID = key("kafka.group-id").stringType().defaultValue("recolens")
            .withDescription("Consumer group id; offsets are committed on checkpoints.");

    public static final ConfigOption<String> KAFKA_STARTING_OFFSETS = key("kafka.starting-offsets").stringType().noDefaultValue()
            .withDescription("earliest | latest | committed-or-earliest | timestamp:<epoch-ms>. Default: committed-or-earliest in streaming, earliest in batch. "
                    + "With input=archive a timestamp selects records by event time.");

    public static final ConfigOption<String> KAFKA_STOPPING_OFFSETS = key("kafka.stopping-offsets").stringType().noDefaultValue()
            .withDescription("none | latest | timestamp:<epoch-ms>. Default: latest in batch mode (the bound of a backfill), none in streaming. "
                    + "With input=archive a timestamp selects records by event time (exclusive).");

    public static final ConfigOption<String> TOPIC_IMPRESSIONS = key("topics.impressions").stringType().defaultValue("reco.impressions")
            .withDescription("Topic of impression JSON records.");
    public static final ConfigOption<String> TOPIC_CLICKS = key("topics.clicks").stringType().defaultValue("reco.clicks")
            .withDescription("Topic of click JSON records.");
    public static final ConfigOption<String> TOPIC_SPANS = key("topics.spans").stringType().defaultValue("otlp_spans")
            .withDescription("Topic the OpenTelemetry Collector's Kafka exporter writes traces to.");

    public static final ConfigOption<String> SPANS_ENCODING = key("spans.encoding").stringType().defaultValue("otlp_proto")
            .withDescription("otlp_proto or otlp_json, as the Collector's Kafka exporter 'encoding' setting.");

    public static final ConfigOption<Duration> TRACE_GAP = key("trace.gap").durationType().defaultValue(Duration.ofSeconds(30))
            .withDescription("Event-time gap after a trace's latest span or impression before the trace is closed.");

    // --- Bounded event-time state and late data (docs/lateness.md) ---
    public static final ConfigOption<Duration> ALLOWED_LATENESS = key("lateness.allowed").durationType().defaultValue(Duration.ofMinutes(10))
            .withDeprecatedKeys("state.late-retention")
            .withDescription("Event time a closed trace or attributed impression is remembered to de-duplicate and enrich late records "
                    + "(a late impression brings its trace's side effects, a late span enters its trace summary). Later records are counted "
                    + "(metric lateRecordsDropped) and written as late_record anomalies. Deprecated key: state.late-retention.");

    public static final ConfigOption<Integer> TRACE_MAX_SPANS = key("trace.max-spans").intType().defaultValue(2000)
            .withDescription("Spans kept raw per open trace. Further spans are not stored (metric spansOverCap, one trace_cap anomaly "
                    + "per trace naming how many) but still summed into the trace summary and side-effect rows; they are not de-duplicated "
                    + "and their experiment attributes are not read.");

    public static final ConfigOption<Duration> TRACE_MAX_DURATION = key("trace.max-duration").durationType().defaultValue(Duration.ofMinutes(10))
            .withDescription("Event time from a trace's first record after which it is closed even if records keep coming (metric "
                    + "tracesOverMaxDuration, a trace_cap anomaly); its later records are late records.");

    public static final ConfigOption<Integer> ATTRIBUTION_MAX_PENDING_CLICKS = key("attribution.max-pending-clicks").intType().defaultValue(1000)
            .withDescription("Clicks kept per impression while it waits for attribution. Further clicks are not kept (metric clicksOverCap, "
                    + "one click_cap anomaly per impression naming how many).");
    // --- end of bounded state and late data ---

    public static final ConfigOption<Duration> ATTRIBUTION_WINDOW = key("attribution.window").durationType().defaultValue(Duration.ofMinutes(30))
            .withDescription("A click counts for its impression when it lands within this event-time window after it.");

    public static final ConfigOption<Duration> ORPHAN_TIMEOUT = key("attribution.orphan-timeout").durationType().defaultValue(Duration.ofMinutes(35))
            .withDescription("How long a click waits for its impression before it is reported as an orphan.");

    public static final ConfigOption<Duration> AGGREGATE_WINDOW = key("aggregate.window").durationType().defaultValue(Duration.ofMinutes(1))
            .withDescription("Width of the event-time windows of variant_engagement and variant_side_effects.");

    public static final ConfigOption<Duration> UNIT_DAILY_FLUSH = key("unit-daily.flush-interval").durationType().defaultValue(Duration.ofHours(1))
            .withDescription("Streaming: how often per-unit partial sums of experiment_unit_daily are written (batch writes one row per unit and day).");

    public static final ConfigOption<Duration> OUT_OF_ORDERNESS = key("watermark.out-of-orderness").durationType().defaultValue(Duration.ofSeconds(30))
            .withDescription("Bounded out-of-orderness of the event-time watermarks.");

    public static final ConfigOption<Duration> SOURCE_IDLENESS = key("watermark.idleness").durationType().defaultValue(Duration.ofMinutes(1))
            .withDescription("A source split without data for this long stops holding back the watermark.");

    public static final ConfigOption<Duration> EXPOSURE_RETENTION = key("exposures.retention").durationType().defaultValue(Duration.ofDays(30))
            .withDescription("How long a unit's first exposure is remembered (state TTL); a unit seen again later gets a new row.");

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL = key("checkpoint.interval").durationType().defaultValue(Duration.ofSeconds(30))
            .withDescription("Streaming: checkpoint interval, which is also the Iceberg commit interval.");

    public static final ConfigOption<String> UNIT_KEY_SECRET = key("unit-key.secret").stringType().noDefaultValue()
            .withDescription("HMAC key that turns user IDs into unit keys, for local runs only: it is not shipped to a cluster's "
                    + "TaskManagers, which read unit-key.secret-file or RECOLENS_UNIT_KEY_SECRET. If more than one of the three is "
                    + "set they must hold the same key, else the job refuses to start naming both (docs/privacy.md).");

    // --- HMAC key sources (docs/privacy.md, "The HMAC key") ---
    public static final ConfigOption<String> UNIT_KEY_SECRET_FILE = key("unit-key.secret-file").stringType().noDefaultValue()
            .withDescription("File holding the HMAC key (e.g. a mounted Kubernetes secret); read where the job starts and again by "
                    + "every TaskManager at open(), so the key never travels in the job graph. Surrounding whitespace is ignored. "
                    + "Precedence on a TaskManager: this file, then RECOLENS_UNIT_KEY_SECRET, then a key known to the starting JVM.");

    public static final ConfigOption<Boolean> DEMO = key("demo").booleanType().defaultValue(false)
            .withDescription("Demo mode: allows the built-in demo HMAC key. Never in production.");

    public static final ConfigOption<String> KNOWN_EXPERIMENTS = key("experiments.known").stringType().defaultValue("")
            .withDescription("Optional registry 'exp=variantA|variantB;exp2=...'. Variants outside it are reported as unknown_variant.");

    public static final ConfigOption<List<String>> BAGGAGE_ALLOW_LIST = key("baggage.allow-list").stringType().asList()
            .defaultValues("experiment.*", "user.cohort")
            .withDescription("Baggage keys read (a trailing * matches a prefix). Nothing else of the baggage is read or stored.");

    public static final ConfigOption<Integer> MAX_EXPERIMENTS = key("limits.experiments").intType().defaultValue(64)
            .withDescription("Distinct experiments per aggregate; more go to the __overflow__ bucket.");
    public static final ConfigOption<Integer> MAX_VARIANTS = key("limits.variants-per-experiment").intType().defaultValue(16)
            .withDescription("Distinct variants per experiment; more go to __overflow__.");
    public static final ConfigOption<Integer> MAX_SEGMENTS = key("limits.segments").intType().defaultValue(32)
            .withDescription("Distinct segments (cohorts); more go to __overflow__.");
    public static final ConfigOption<Integer> MAX_SURFACES = key("limits.surfaces").intType().defaultValue(32)
            .withDescription("Distinct surfaces; more go to __overflow__.");
    public static final ConfigOption<Integer> MAX_SERVICES = key("limits.services").intType().defaultValue(128)
            .withDescription("Distinct services; more go to __overflow__.");
    public static final ConfigOption<Integer> MAX_OPERATIONS = key("limits.operations-per-service").intType().defaultValue(256)
            .withDescription("Distinct operations (span names) per service; more go to __overflow__.");

    // Per-record limits, checked at decode time (docs/limits.md). Hard: the record becomes a dead letter naming the
    // limit. Soft: the record is trimmed and a record_trimmed anomaly says what was dropped.
    public static final ConfigOption<Integer> RECORD_EXPERIMENTS = key(RecordLimits.KEY_EXPERIMENTS).intType()
            .defaultValue(RecordLimits.DEFAULTS.maxExperiments())
            .withDescription("Hard: experiments one impression or click may name (each is an exposure and an aggregate row).");
    public static final ConfigOption<Integer> RECORD_SLATE_ITEMS = key(RecordLimits.KEY_SLATE_ITEMS).intType()
            .defaultValue(RecordLimits.DEFAULTS.maxSlateItems())
            .withDescription("Soft: slate items kept per impression, in slate order; the rest are dropped and reported.");
    public static final ConfigOption<Integer> RECORD_FEATURES = key(RecordLimits.KEY_FEATURES).intType()
            .defaultValue(RecordLimits.DEFAULTS.maxFeatures())
            .withDescription("Soft: feature references kept per impression; the rest are dropped and reported.");
    public static final ConfigOption<Integer> RECORD_STRING_CHARS = key(RecordLimits.KEY_STRING_CHARS).intType()
            .defaultValue(RecordLimits.DEFAULTS.maxStringChars())
            .withDescription("Hard for impression and click fields (IDs, labels, experiment and variant names); span and service names are cut to it.");
    public static final ConfigOption<Integer> RECORD_SPANS_PER_MESSAGE = key(RecordLimits.KEY_SPANS_PER_MESSAGE).intType()
            .defaultValue(RecordLimits.DEFAULTS.maxSpansPerMessage())
            .withDescription("Soft: spans read from one OTLP message; the rest are counted and reported, not read.");
    public static final ConfigOption<Integer> RECORD_ATTRIBUTES_PER_SPAN = key(RecordLimits.KEY_ATTRIBUTES_PER_SPAN).intType()
            .defaultValue(RecordLimits.DEFAULTS.maxAttributesPerSpan())
            .withDescription("Soft: attributes (and events) read per span; the rest are ignored and reported.");
    public static final ConfigOption<Integer> RECORD_JSON_DEPTH = key(RecordLimits.KEY_JSON_DEPTH).intType()
            .defaultValue(RecordLimits.DEFAULTS.maxJsonDepth())
            .withDescription("Hard: nesting depth of a JSON record (impressions, clicks, OTLP/JSON).");
    public static final ConfigOption<Integer> RECORD_NUMBER_CHARS = key(RecordLimits.KEY_NUMBER_CHARS).intType()
            .defaultValue(RecordLimits.DEFAULTS.maxNumberChars())
            .withDescription("Hard: characters of one JSON number.");
    public static final ConfigOption<Duration> RECORD_SPAN_DURATION = key(RecordLimits.KEY_SPAN_DURATION).durationType()
            .defaultValue(Duration.ofMillis(RecordLimits.DEFAULT_MAX_SPAN_DURATION_MS))
            .withDescription("Hard: end minus start of one span; a longer span is a clock error (a flipped timestamp bit) "
                    + "and would swamp its variant's latency sums. Raise it if feature-pipeline spans run longer.");

    public static final ConfigOption<Integer> SINK_PARALLELISM = key("sink.parallelism").intType().defaultValue(1)
            .withDescription("Writers per Iceberg table, except lineage_history (sink.lineage-parallelism).");
    public static final ConfigOption<Integer> SINK_LINEAGE_PARALLELISM = key("sink.lineage-parallelism").intType().defaultValue(0)
            .withDescription("Writers of lineage_history, the one table with a row per impression. 0 writes it where its rows are made, "
                    + "at the job's parallelism, without a shuffle of whole rows to fewer writers; each writer adds a data file per "
                    + "checkpoint, which maintain compacts.");

    // --- restore: refuse a start without state over earlier output (docs/operations.md) ---
    public static final ConfigOption<Boolean> RESTORE_REQUIRE_STATE = key("restore.require-state").booleanType().defaultValue(true)
            .withDescription("Streaming: refuse to start without a checkpoint/savepoint (execution.state-recovery.path) when the tables "
                    + "already hold output and the consumer group has committed offsets, since such a start drops everything that was in "
                    + "state. Set false for a deliberate fresh start, or where the JobManager recovers itself (Kubernetes HA, "
                    + "upgradeMode last-state). Ignored in batch mode.");

    // Backfill and cardinality-limit keys (docs/backfill.md, docs/tables.md "Cardinality limits").
    public static final ConfigOption<String> SINK_WRITE_MODE = key("sink.write-mode").stringType().noDefaultValue()
            .withDescription("append | overwrite-partitions. Default: overwrite-partitions in batch (a rerun replaces the day partitions"
                    + " it writes, so a backfill is idempotent), append in streaming (overwrite is refused there).");
    public static final ConfigOption<Duration> LIMITS_FORGET_AFTER = key("limits.forget-after").durationType().defaultValue(Duration.ofDays(7))
            .withDescription("An admitted dimension value unused for this much event time is forgotten and frees its slot under the limits.");

    // Governance (bin/recolens maintain / forget, docs/governance.md). The job itself ignores these; they live here so
    // one properties file serves run, maintain and forget.
    public static final ConfigOption<Duration> MAINTENANCE_SNAPSHOT_MAX_AGE = key("maintenance.snapshot-max-age").durationType()
            .defaultValue(Duration.ofDays(1))
            .withDescription("maintain: snapshots older than this are expired (never the current one, nor the newest maintenance.snapshot-min-keep).");
    public static final ConfigOption<Integer> MAINTENANCE_SNAPSHOT_MIN_KEEP = key("maintenance.snapshot-min-keep").intType().defaultValue(20)
            .withDescription("maintain: snapshots always kept per table, however old, for time travel and rollback.");
    public static final ConfigOption<Duration> MAINTENANCE_ORPHAN_MIN_AGE = key("maintenance.orphan-min-age").durationType()
            .defaultValue(Duration.ofDays(3))
            .withDescription("maintain: a file under a table's location that no snapshot references is deleted once it is this old"
                    + " (younger ones may belong to a checkpoint a running or restarting job has yet to commit), also with --purge.");
    public static final ConfigOption<MemorySize> MAINTENANCE_TARGET_FILE_SIZE = key("maintenance.compaction.target-file-size").memoryType()
            .defaultValue(MemorySize.parse("128 mb"))
            .withDescription("maintain: size of the files compaction writes; files under 3/4 of it count as small.");
    public static final ConfigOption<Integer> MAINTENANCE_MIN_INPUT_FILES = key("maintenance.compaction.min-input-files").intType().defaultValue(5)
            .withDescription("maintain: a partition is compacted once it holds at least this many small files.");
    // Signal lineage, join 3 by lineage ID (docs/lineage.md).
    public static final ConfigOption<Duration> LINEAGE_PROVENANCE_WAIT = key("lineage.provenance-wait").durationType()
            .noDefaultValue()
            .withDescription("Event time a lineage row waits for the provenance of its features: a provenance span (lineage.id with "
                    + "feature.name) counts when it starts no later than served_at plus this, whether it arrives before or after the "
                    + "impression. Default: attribution.window, whose end the row waits for anyway, so join 3 adds no latency; "
                    + "longer delays lineage_history rows by the difference.");
    public static final ConfigOption<Duration> LINEAGE_STALE_AFTER = key("lineage.stale-after").durationType()
            .defaultValue(Duration.ofHours(24))
            .withDescription("A feature whose provenance was produced longer than this before serving is a stale_feature anomaly.");
    public static final ConfigOption<Integer> LINEAGE_SALTS = key("lineage.salts").intType().defaultValue(16)
            .withDescription("Keys one lineage ID's impressions are spread over in join 3 (provenance spans are copied to each): "
                    + "a hot lineage uses up to this many subtasks. Changing it needs a start without join-3 state.");
    public static final ConfigOption<Duration> LINEAGE_PROVENANCE_RETENTION = key("lineage.provenance-retention").durationType()
            .defaultValue(Duration.ofDays(7))
            .withDescription("Provenance of a lineage is kept this much event time after its last impression or span.");

    // Raw archive and replay (docs/lineage.md).
    public static final ConfigOption<Boolean> ARCHIVE_ENABLED = key("archive.enabled").booleanType().defaultValue(false)
            .withDescription("Also write every decoded input record (unit keys only, no user IDs) to raw_impressions, raw_clicks and "
                    + "raw_spans, through the same exactly-once Iceberg sinks, so a backfill can read them (input=archive) after "
                    + "Kafka's retention and bin/recolens replay can rerun one trace. Ignored when input=archive.");
    public static final ConfigOption<Duration> ARCHIVE_RETENTION = key("archive.retention").durationType().defaultValue(Duration.ofDays(7))
            .withDescription("How long the raw_* tables keep data: set as their recolens.retention.days (rounded up to whole days) "
                    + "when the job starts with archive.enabled, and applied by bin/recolens maintain.");
    public static final ConfigOption<String> ARCHIVE_READ_NAMESPACE = key("archive.read-namespace").stringType().noDefaultValue()
            .withDescription("input=archive: the namespace of the catalog whose raw_* tables are read (default: catalog.namespace), "
                    + "so a backfill from the archive can write into another namespace to compare.");

    /** All recolens keys, for validating user input. Catalog keys live under the catalog. prefix. */
    public static final List<ConfigOption<?>> ALL = List.of(MODE, INPUT, INPUT_PATH, KAFKA_BOOTSTRAP, KAFKA_GROUP_ID,
            KAFKA_STARTING_OFFSETS, KAFKA_STOPPING_OFFSETS, TOPIC_IMPRESSIONS, TOPIC_CLICKS, TOPIC_SPANS, SPANS_ENCODING,
            TRACE_GAP, ALLOWED_LATENESS, TRACE_MAX_SPANS, TRACE_MAX_DURATION, ATTRIBUTION_MAX_PENDING_CLICKS, ATTRIBUTION_WINDOW, ORPHAN_TIMEOUT, AGGREGATE_WINDOW, UNIT_DAILY_FLUSH,
            OUT_OF_ORDERNESS, SOURCE_IDLENESS, EXPOSURE_RETENTION, CHECKPOINT_INTERVAL, UNIT_KEY_SECRET, UNIT_KEY_SECRET_FILE, DEMO,
            KNOWN_EXPERIMENTS, BAGGAGE_ALLOW_LIST, MAX_EXPERIMENTS, MAX_VARIANTS, MAX_SEGMENTS, MAX_SURFACES, MAX_SERVICES,
            MAX_OPERATIONS, RECORD_EXPERIMENTS, RECORD_SLATE_ITEMS, RECORD_FEATURES, RECORD_STRING_CHARS,
            RECORD_SPANS_PER_MESSAGE, RECORD_ATTRIBUTES_PER_SPAN, RECORD_JSON_DEPTH, RECORD_NUMBER_CHARS, RECORD_SPAN_DURATION,
            SINK_PARALLELISM,
            SINK_LINEAGE_PARALLELISM,
            SINK_WRITE_MODE, LIMITS_FORGET_AFTER, RESTORE_REQUIRE_STATE,
            MAINTENANCE_SNAPSHOT_MAX_AGE, MAINTENANCE_SNAPSHOT_MIN_KEEP, MAINTENANCE_ORPHAN_MIN_AGE, MAINTENANCE_TARGET_FILE_SIZE,
            MAINTENANCE_MIN_INPUT_FILES,
            LINEAGE_PROVENANCE_WAIT, LINEAGE_STALE_AFTER, LINEAGE_SALTS, LINEAGE_PROVENANCE_RETENTION,
            ARCHIVE_ENABLED, ARCHIVE_RETENTION, ARCHIVE_READ_NAMESPACE);

    /** Prefix of the Iceberg catalog properties (catalog.type, catalog.warehouse, catalog.uri, catalog.namespace, ...). */
    public static final String CATALOG_PREFIX = "catalog.";

    /** Prefix of extra Kafka consumer properties (kafka.properties.security.protocol, ...). */
    public static final String KAFKA_PROPERTIES_PREFIX = "kafka.properties.";

    /** Environment variable holding the HMAC key. */
    public static final String UNIT_KEY_ENV = "RECOLENS_UNIT_KEY_SECRET";
}
