-- lineage_anomalies: one lineage or join finding.
--
-- The source of truth is iceberg-schemas/lineage_anomalies.json: the job creates this table from it at start. This DDL is
-- for creating the table by hand (e.g. before granting a service account write access) and as documentation;
-- FlinkDdlMatchesTableDefinitionsTest and FlinkSqlFilesITCase check that it gives the same columns and types.
-- Column docs are the JSON docs, as COMMENTs on top-level columns (nested fields carry none here).
--
-- Deviation: the job partitions this table by the hidden transform day(event_time). Flink DDL can only declare
-- identity partitions of existing columns, so this DDL creates the table UNPARTITIONED rather than adding an
-- explicit date column: an extra column would change the schema the job writes, and the job refuses both
-- that and a different partition spec. Before the job writes to a table created here, add the partition
-- field with an engine that can, e.g. Spark SQL:
--   ALTER TABLE <catalog>.<namespace>.lineage_anomalies ADD PARTITION FIELD days(event_time)
-- or Iceberg's Java API: table.updateSpec().addField(Expressions.day("event_time")).commit().
-- The job then finds the spec it expects (checked by FlinkSqlFilesITCase).
-- The sort order (kind, event_time; it only guides compaction) cannot be declared in Flink DDL; the job leaves it alone.
-- Reserved words are quoted with backquotes (`variant`, `day`, `partition`, `offset`, ...): all columns are, for uniformity.
-- Placeholders: CATALOG, NAMESPACE (create it with create_namespace.sql).
CREATE TABLE IF NOT EXISTS ${CATALOG}.${NAMESPACE}.`lineage_anomalies` (
  `kind`          STRING NOT NULL COMMENT 'Finding kind, e.g. variant_conflict, orphan_click.',
  `event_time`    TIMESTAMP_LTZ(6) NOT NULL COMMENT 'Event time of the impression, click or first span the finding is about.',
  `trace_id`      STRING COMMENT 'Trace ID involved.',
  `impression_id` STRING COMMENT 'Impression involved.',
  `click_id`      STRING COMMENT 'Click involved.',
  `lineage_id`    STRING COMMENT 'Lineage ID involved.',
  `experiment`    STRING COMMENT 'Experiment involved.',
  `variant`       STRING COMMENT 'Variant involved.',
  `detail`        STRING COMMENT 'Human-readable explanation.'
)
COMMENT 'One row per lineage or join finding: variant conflict, orphan click, span without impression, unknown variant, click outside window, clicked item not in slate, missing ancestry, model version mismatch, feature hash mismatch, stale feature.'
WITH (
  'format-version' = '2',
  'write.format.default' = 'parquet',
  'write.parquet.compression-codec' = 'zstd',
  'write.parquet.compression-level' = '3',
  'write.metadata.delete-after-commit.enabled' = 'true',
  'write.metadata.previous-versions-max' = '50',
  'recolens.retention.days' = '183'
);
