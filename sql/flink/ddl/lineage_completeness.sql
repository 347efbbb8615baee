-- lineage_completeness: a partial daily lineage-completeness sum per day x experiment x variant (additive: always SUM).
--
-- The source of truth is iceberg-schemas/lineage_completeness.json: the job creates this table from it at start. This DDL is
-- for creating the table by hand (e.g. before granting a service account write access) and as documentation;
-- FlinkDdlMatchesTableDefinitionsTest and FlinkSqlFilesITCase check that it gives the same columns and types.
-- Column docs are the JSON docs, as COMMENTs on top-level columns.
--
-- Partitioning: identity on `day`, exactly as the JSON file, so the job accepts the table as created.
-- The sort order (experiment, variant; it only guides compaction) cannot be declared in Flink DDL; the job leaves it alone.
-- Reserved words are quoted with backquotes (`variant`, `day`, ...): all columns are, for uniformity.
-- Placeholders: CATALOG, NAMESPACE (create it with create_namespace.sql).
CREATE TABLE IF NOT EXISTS ${CATALOG}.${NAMESPACE}.`lineage_completeness` (
  `day`                    DATE NOT NULL COMMENT 'UTC day the impressions were served.',
  `experiment`             STRING NOT NULL COMMENT 'Experiment key.',
  `variant`                STRING NOT NULL COMMENT 'Variant of the experiment the impressions were served under.',
  `impressions`            BIGINT NOT NULL COMMENT 'Impressions served. Additive: SUM by key.',
  `complete_impressions`   BIGINT NOT NULL COMMENT 'Impressions whose every feature has known ancestry (an impression without features counts as complete). Additive.',
  `features`               BIGINT NOT NULL COMMENT 'Features served across those impressions. Additive.',
  `features_with_ancestry` BIGINT NOT NULL COMMENT 'Of those features, the ones with a provenance span. Additive.',
  `stale_features`         BIGINT NOT NULL COMMENT 'Features whose provenance was older than lineage.stale-after when served. Additive.'
)
COMMENT 'Additive daily lineage completeness per experiment x variant: impressions, and those whose every feature has known ancestry (a provenance span within lineage.provenance-wait). Share = SUM(complete_impressions) / SUM(impressions).'
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
