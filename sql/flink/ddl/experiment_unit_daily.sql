-- experiment_unit_daily: a partial per-unit sum per day x experiment x variant x unit (additive: always SUM).
--
-- The source of truth is iceberg-schemas/experiment_unit_daily.json: the job creates this table from it at start. This DDL is
-- for creating the table by hand (e.g. before granting a service account write access) and as documentation;
-- FlinkDdlMatchesTableDefinitionsTest and FlinkSqlFilesITCase check that it gives the same columns and types.
-- Column docs are the JSON docs, as COMMENTs on top-level columns (nested fields carry none here).
--
-- Partitioning: identity on `day`, exactly as the JSON file, so the job accepts the table as created.
-- The sort order (experiment, variant, unit_key; it only guides compaction) cannot be declared in Flink DDL; the job leaves it alone.
-- Reserved words are quoted with backquotes (`variant`, `day`, `partition`, `offset`, ...): all columns are, for uniformity.
-- Placeholders: CATALOG, NAMESPACE (create it with create_namespace.sql).
CREATE TABLE IF NOT EXISTS ${CATALOG}.${NAMESPACE}.`experiment_unit_daily` (
  `day`                 DATE NOT NULL COMMENT 'UTC day of the events.',
  `experiment`          STRING NOT NULL COMMENT 'Experiment key.',
  `variant`             STRING NOT NULL COMMENT 'Variant of the experiment the rows were served under.',
  `unit_key`            STRING NOT NULL COMMENT 'Keyed hash (HMAC) of the user ID: the experiment unit. Never the raw user ID.',
  `impressions`         BIGINT COMMENT 'Slates served (one per impression). Additive: SUM by key.',
  `item_impressions`    BIGINT COMMENT 'Items shown across those slates. Additive.',
  `clicks`              BIGINT COMMENT 'Clicks attributed to those impressions. Additive.',
  `clicked_impressions` BIGINT COMMENT 'Impressions with at least one attributed click. Additive.'
)
COMMENT 'Additive per-unit sums per day x experiment x variant x unit (keyed hash of the user): the grain for variance, CUPED and the delta method. SUM by key.'
PARTITIONED BY (`day`)
WITH (
  'format-version' = '2',
  'write.format.default' = 'parquet',
  'write.parquet.compression-codec' = 'zstd',
  'write.parquet.compression-level' = '3',
  'write.metadata.delete-after-commit.enabled' = 'true',
  'write.metadata.previous-versions-max' = '50',
  'recolens.retention.days' = '400'
);
