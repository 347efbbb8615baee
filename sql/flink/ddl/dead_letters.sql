-- dead_letters: one rejected input record.
--
-- The source of truth is iceberg-schemas/dead_letters.json: the job creates this table from it at start. This DDL is
-- for creating the table by hand (e.g. before granting a service account write access) and as documentation;
-- FlinkDdlMatchesTableDefinitionsTest and FlinkSqlFilesITCase check that it gives the same columns and types.
-- Column docs are the JSON docs, as COMMENTs on top-level columns (nested fields carry none here).
--
-- Deviation: the job partitions this table by the hidden transform day(recorded_at). Flink DDL can only declare
-- identity partitions of existing columns, so this DDL creates the table UNPARTITIONED rather than adding an
-- explicit date column: an extra column would change the schema the job writes, and the job refuses both
-- that and a different partition spec. Before the job writes to a table created here, add the partition
-- field with an engine that can, e.g. Spark SQL:
--   ALTER TABLE <catalog>.<namespace>.dead_letters ADD PARTITION FIELD days(recorded_at)
-- or Iceberg's Java API: table.updateSpec().addField(Expressions.day("recorded_at")).commit().
-- The job then finds the spec it expects (checked by FlinkSqlFilesITCase).
-- The sort order (source, partition, offset; it only guides compaction) cannot be declared in Flink DDL; the job leaves it alone.
-- Reserved words are quoted with backquotes (`variant`, `day`, `partition`, `offset`, ...): all columns are, for uniformity.
-- Placeholders: CATALOG, NAMESPACE (create it with create_namespace.sql).
CREATE TABLE IF NOT EXISTS ${CATALOG}.${NAMESPACE}.`dead_letters` (
  `recorded_at` TIMESTAMP_LTZ(6) NOT NULL COMMENT 'Broker or file time of the record; the time the row was converted when the source gave none.',
  `source`      STRING NOT NULL COMMENT 'Topic name or file path.',
  `partition`   INT COMMENT 'Kafka partition (0 for files).',
  `offset`      BIGINT COMMENT 'Kafka offset or line/record number in the file.',
  `kind`        STRING NOT NULL COMMENT 'Decoder stage that rejected the record, e.g. impression, click, otlp_proto.',
  `error`       STRING COMMENT 'Why the record was rejected (at most 1000 characters).',
  `raw`         BYTES COMMENT 'The record''s bytes, truncated to 4096 bytes.',
  `raw_size`    INT COMMENT 'Full size of the record in bytes.'
)
COMMENT 'One row per rejected input record: where it came from, a bounded copy of its bytes, and why it was rejected.'
WITH (
  'format-version' = '2',
  'write.format.default' = 'parquet',
  'write.parquet.compression-codec' = 'zstd',
  'write.parquet.compression-level' = '3',
  'write.metadata.delete-after-commit.enabled' = 'true',
  'write.metadata.previous-versions-max' = '50',
  'recolens.retention.days' = '14'
);
