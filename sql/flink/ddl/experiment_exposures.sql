-- experiment_exposures: the first exposure of a unit to an experiment variant.
--
-- The source of truth is iceberg-schemas/experiment_exposures.json: the job creates this table from it at start. This DDL is
-- for creating the table by hand (e.g. before granting a service account write access) and as documentation;
-- FlinkDdlMatchesTableDefinitionsTest and FlinkSqlFilesITCase check that it gives the same columns and types.
-- Column docs are the JSON docs, as COMMENTs on top-level columns (nested fields carry none here).
--
-- Deviation: the job partitions this table by the hidden transform day(first_exposure_at). Flink DDL can only declare
-- identity partitions of existing columns, so this DDL creates the table UNPARTITIONED rather than adding an
-- explicit date column: an extra column would change the schema the job writes, and the job refuses both
-- that and a different partition spec. Before the job writes to a table created here, add the partition
-- field with an engine that can, e.g. Spark SQL:
--   ALTER TABLE <catalog>.<namespace>.experiment_exposures ADD PARTITION FIELD days(first_exposure_at)
-- or Iceberg's Java API: table.updateSpec().addField(Expressions.day("first_exposure_at")).commit().
-- The job then finds the spec it expects (checked by FlinkSqlFilesITCase).
-- The sort order (experiment, variant, unit_key; it only guides compaction) cannot be declared in Flink DDL; the job leaves it alone.
-- Reserved words are quoted with backquotes (`variant`, `day`, `partition`, `offset`, ...): all columns are, for uniformity.
-- Placeholders: CATALOG, NAMESPACE (create it with create_namespace.sql).
CREATE TABLE IF NOT EXISTS ${CATALOG}.${NAMESPACE}.`experiment_exposures` (
  `experiment`        STRING NOT NULL COMMENT 'Experiment key.',
  `variant`           STRING NOT NULL COMMENT 'Variant of the experiment the rows were served under.',
  `unit_key`          STRING NOT NULL COMMENT 'Keyed hash (HMAC) of the user ID: the experiment unit.',
  `first_exposure_at` TIMESTAMP_LTZ(6) NOT NULL COMMENT 'Event time of the first impression that exposed the unit.',
  `impression_id`     STRING COMMENT 'The impression of that first exposure.',
  `surface`           STRING COMMENT 'Where the slate was shown (home, pdp, ...); null when unknown.',
  `segment`           STRING COMMENT 'Cohort the unit belongs to (allow-listed baggage user.cohort or the impression''s segment); null when unknown.'
)
COMMENT 'First exposure of each unit to each experiment variant: the assignment log for sample-ratio checks.'
WITH (
  'format-version' = '2',
  'write.format.default' = 'parquet',
  'write.parquet.compression-codec' = 'zstd',
  'write.parquet.compression-level' = '3',
  'write.metadata.delete-after-commit.enabled' = 'true',
  'write.metadata.previous-versions-max' = '50',
  'recolens.retention.days' = '400'
);
