-- lineage_history: one impression with its experiments, model, features, slate, trace cost and clicks.
--
-- The source of truth is iceberg-schemas/lineage_history.json: the job creates this table from it at start. This DDL is
-- for creating the table by hand (e.g. before granting a service account write access) and as documentation;
-- FlinkDdlMatchesTableDefinitionsTest and FlinkSqlFilesITCase check that it gives the same columns and types.
-- Column docs are the JSON docs, as COMMENTs on top-level columns (nested fields carry none here).
--
-- Deviation: the job partitions this table by the hidden transform day(served_at). Flink DDL can only declare
-- identity partitions of existing columns, so this DDL creates the table UNPARTITIONED rather than adding an
-- explicit date column: an extra column would change the schema the job writes, and the job refuses both
-- that and a different partition spec. Before the job writes to a table created here, add the partition
-- field with an engine that can, e.g. Spark SQL:
--   ALTER TABLE <catalog>.<namespace>.lineage_history ADD PARTITION FIELD days(served_at)
-- or Iceberg's Java API: table.updateSpec().addField(Expressions.day("served_at")).commit().
-- The job then finds the spec it expects (checked by FlinkSqlFilesITCase).
-- The sort order (trace_id, impression_id; it only guides compaction) cannot be declared in Flink DDL; the job leaves it alone.
-- Reserved words are quoted with backquotes (`variant`, `day`, `partition`, `offset`, ...): all columns are, for uniformity.
-- Placeholders: CATALOG, NAMESPACE (create it with create_namespace.sql).
CREATE TABLE IF NOT EXISTS ${CATALOG}.${NAMESPACE}.`lineage_history` (
  `impression_id`   STRING NOT NULL COMMENT 'Impression ID: the row key.',
  `trace_id`        STRING COMMENT 'W3C trace ID (lowercase hex) of the serving request.',
  `lineage_id`      STRING COMMENT 'Lineage ID that travels with the features and model.',
  `unit_key`        STRING COMMENT 'Keyed hash (HMAC) of the user ID. Never the raw user ID.',
  `session_id`      STRING COMMENT 'Session ID.',
  `surface`         STRING COMMENT 'Where the slate was shown.',
  `segment`         STRING COMMENT 'Cohort of the unit.',
  `served_at`       TIMESTAMP_LTZ(6) NOT NULL COMMENT 'Event time the slate was served.',
  `experiments`     MAP<STRING, STRING> COMMENT 'Resolved experiment to variant after precedence.',
  `variant_sources` MAP<STRING, STRING> COMMENT 'Experiment to where its variant came from: impression, baggage, span_attribute, flag_event.',
  `model_name`      STRING COMMENT 'Model that ranked the slate.',
  `model_version`   STRING COMMENT 'Version of that model.',
  `features`        ARRAY<ROW<`name` STRING, `version` STRING, `hash` STRING, `source` STRING, `pipeline_trace_id` STRING, `produced_at` TIMESTAMP_LTZ(6)>> COMMENT 'Features the slate was served with, each with its provenance (joined by lineage ID) where known.',
  `items`           ARRAY<ROW<`item_id` STRING, `position` INT, `score` DOUBLE>> COMMENT 'The served slate.',
  `trace`           ROW<`span_count` INT, `error_count` INT, `root_duration_micros` BIGINT, `db_time_micros` BIGINT, `cache_hits` INT, `cache_misses` INT, `service_time_micros` MAP<STRING, BIGINT>> COMMENT 'What the trace cost the backend.',
  `clicks`          ARRAY<ROW<`click_id` STRING, `item_id` STRING, `position` INT, `clicked_at` TIMESTAMP_LTZ(6)>> COMMENT 'Clicks attributed to the impression.'
)
COMMENT 'One row per impression: the full auditable path from experiment assignment, model and features with versions and hashes to the trace cost and the clicks.'
WITH (
  'format-version' = '2',
  'write.format.default' = 'parquet',
  'write.parquet.compression-codec' = 'zstd',
  'write.parquet.compression-level' = '3',
  'write.metadata.delete-after-commit.enabled' = 'true',
  'write.metadata.previous-versions-max' = '50',
  'recolens.retention.days' = '183'
);
