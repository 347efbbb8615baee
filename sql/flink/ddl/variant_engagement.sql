-- variant_engagement: a partial sum of impressions, item impressions, clicks per window x experiment x variant x surface x segment (additive: always SUM).
--
-- The source of truth is iceberg-schemas/variant_engagement.json: the job creates this table from it at start. This DDL is
-- for creating the table by hand (e.g. before granting a service account write access) and as documentation;
-- FlinkDdlMatchesTableDefinitionsTest and FlinkSqlFilesITCase check that it gives the same columns and types.
-- Column docs are the JSON docs, as COMMENTs on top-level columns (nested fields carry none here).
--
-- Deviation: the job partitions this table by the hidden transform day(window_start). Flink DDL can only declare
-- identity partitions of existing columns, so this DDL creates the table UNPARTITIONED rather than adding an
-- explicit date column: an extra column would change the schema the job writes, and the job refuses both
-- that and a different partition spec. Before the job writes to a table created here, add the partition
-- field with an engine that can, e.g. Spark SQL:
--   ALTER TABLE <catalog>.<namespace>.variant_engagement ADD PARTITION FIELD days(window_start)
-- or Iceberg's Java API: table.updateSpec().addField(Expressions.day("window_start")).commit().
-- The job then finds the spec it expects (checked by FlinkSqlFilesITCase).
-- The sort order (experiment, variant, window_start; it only guides compaction) cannot be declared in Flink DDL; the job leaves it alone.
-- Reserved words are quoted with backquotes (`variant`, `day`, `partition`, `offset`, ...): all columns are, for uniformity.
-- Placeholders: CATALOG, NAMESPACE (create it with create_namespace.sql).
CREATE TABLE IF NOT EXISTS ${CATALOG}.${NAMESPACE}.`variant_engagement` (
  `window_start`        TIMESTAMP_LTZ(6) NOT NULL COMMENT 'Start of the event-time window (inclusive).',
  `window_end`          TIMESTAMP_LTZ(6) NOT NULL COMMENT 'End of the event-time window (exclusive).',
  `experiment`          STRING NOT NULL COMMENT 'Experiment key.',
  `variant`             STRING NOT NULL COMMENT 'Variant of the experiment the rows were served under.',
  `surface`             STRING COMMENT 'Where the slate was shown (home, pdp, ...); null when unknown.',
  `segment`             STRING COMMENT 'Cohort the unit belongs to (allow-listed baggage user.cohort or the impression''s segment); null when unknown.',
  `impressions`         BIGINT COMMENT 'Slates served (one per impression). Additive: SUM by key.',
  `item_impressions`    BIGINT COMMENT 'Items shown across those slates. Additive.',
  `clicks`              BIGINT COMMENT 'Clicks attributed to those impressions. Additive.',
  `clicked_impressions` BIGINT COMMENT 'Impressions with at least one attributed click. Additive.'
)
COMMENT 'Additive engagement counts per event-time window x experiment x variant x surface x segment. Streaming may write several partial rows per key: always SUM.'
WITH (
  'format-version' = '2',
  'write.format.default' = 'parquet',
  'write.parquet.compression-codec' = 'zstd',
  'write.parquet.compression-level' = '3',
  'write.metadata.delete-after-commit.enabled' = 'true',
  'write.metadata.previous-versions-max' = '50',
  'recolens.retention.days' = '400'
);
