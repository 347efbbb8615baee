-- variant_side_effects: a partial sum of spans, errors, latency histograms (fixed and exponential), db time, cache hits/misses per window x experiment x variant x service x operation (additive; the histogram element-wise).
--
-- The source of truth is iceberg-schemas/variant_side_effects.json: the job creates this table from it at start. This DDL is
-- for creating the table by hand (e.g. before granting a service account write access) and as documentation;
-- FlinkDdlMatchesTableDefinitionsTest and FlinkSqlFilesITCase check that it gives the same columns and types.
-- Column docs are the JSON docs, as COMMENTs on top-level columns (nested fields carry none here).
--
-- Deviation: the job partitions this table by the hidden transform day(window_start). Flink DDL can only declare
-- identity partitions of existing columns, so this DDL creates the table UNPARTITIONED rather than adding an
-- explicit date column: an extra column would change the schema the job writes, and the job refuses both
-- that and a different partition spec. Before the job writes to a table created here, add the partition
-- field with an engine that can, e.g. Spark SQL:
--   ALTER TABLE <catalog>.<namespace>.variant_side_effects ADD PARTITION FIELD days(window_start)
-- or Iceberg's Java API: table.updateSpec().addField(Expressions.day("window_start")).commit().
-- The job then finds the spec it expects (checked by FlinkSqlFilesITCase).
-- The sort order (experiment, variant, service, operation, window_start; it only guides compaction) cannot be declared in Flink DDL; the job leaves it alone.
-- Reserved words are quoted with backquotes (`variant`, `day`, `partition`, `offset`, ...): all columns are, for uniformity.
-- Placeholders: CATALOG, NAMESPACE (create it with create_namespace.sql).
CREATE TABLE IF NOT EXISTS ${CATALOG}.${NAMESPACE}.`variant_side_effects` (
  `window_start`        TIMESTAMP_LTZ(6) NOT NULL COMMENT 'Start of the event-time window (inclusive).',
  `window_end`          TIMESTAMP_LTZ(6) NOT NULL COMMENT 'End of the event-time window (exclusive).',
  `experiment`          STRING NOT NULL COMMENT 'Experiment key.',
  `variant`             STRING NOT NULL COMMENT 'Variant of the experiment the rows were served under.',
  `service`             STRING NOT NULL COMMENT 'Resource attribute service.name of the spans.',
  `operation`           STRING NOT NULL COMMENT 'Span name.',
  `span_count`          BIGINT COMMENT 'Spans counted. Additive.',
  `error_count`         BIGINT COMMENT 'Spans with status ERROR or an exception event. Additive.',
  `duration_sum_micros` BIGINT COMMENT 'Sum of span durations in microseconds. Additive.',
  `latency_histogram`   ARRAY<BIGINT NOT NULL> COMMENT 'Span counts per latency bucket; element i counts durations in (bound[i-1], bound[i]] ms with bounds from property recolens.latency.bucket-bounds-ms, the last element is the overflow bucket. Merge by element-wise SUM.',
  `db_calls`            BIGINT COMMENT 'Database spans (db.system set). Additive.',
  `db_time_micros`      BIGINT COMMENT 'Summed duration of database spans in microseconds. Additive.',
  `cache_hits`          BIGINT COMMENT 'Cache lookups with cache.hit=true. Additive.',
  `cache_misses`        BIGINT COMMENT 'Cache lookups with cache.hit=false. Additive.',
  `latency_exp_histogram` MAP<INT NOT NULL, BIGINT NOT NULL> COMMENT 'Span counts per base-2 exponential latency bucket, scale 7 (property recolens.latency.exp-histogram): key i counts durations d in microseconds with 2^(i/128) < d <= 2^((i+1)/128); under 1 us counts in key -1. Sparse: empty buckets are absent. Merge by SUM of the values per key. A percentile reported as its bucket''s upper bound is at most 0.55% above the exact value. Null in rows written before the column was added (use latency_histogram there).'
)
COMMENT 'Additive backend cost per event-time window x experiment x variant x service x operation, from OpenTelemetry spans. The latency histogram is mergeable: SUM it element-wise; bucket bounds in property recolens.latency.bucket-bounds-ms. latency_exp_histogram (added later, scale-7 exponential buckets, <= 0.55% relative error) is merged by SUM per key.'
WITH (
  'format-version' = '2',
  'write.format.default' = 'parquet',
  'write.parquet.compression-codec' = 'zstd',
  'write.parquet.compression-level' = '3',
  'write.metadata.delete-after-commit.enabled' = 'true',
  'write.metadata.previous-versions-max' = '50',
  'recolens.retention.days' = '400',
  'recolens.latency.bucket-bounds-ms' = '0.5,1,2,5,10,20,50,100,200,500,1000,2000,5000,10000,30000,Infinity',
  'recolens.latency.exp-histogram' = 'base2-exponential;scale=7;unit=us;bucket=(b^i,b^(i+1)];max-relative-error=0.00543'
);
