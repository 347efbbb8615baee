-- provenance_by_impression (Trino): one row per feature of the recommendation ${IMPRESSION_ID}: the version and
-- hash it was served with, and its provenance joined by lineage ID (the feature pipeline's source, the trace of the
-- pipeline run and when it produced the feature). NULL provenance means no provenance span of the lineage was
-- seen within lineage.provenance-wait (a missing_ancestry finding), or a row written before the lineage join.
-- Why: "where did this feature come from?" for a wrong recommendation; the pipeline_trace_id leads to the run.
-- Add a served_at range to the WHERE clause on large tables (partitioned by day(served_at)).
-- Deviations: Trino unnests the feature array with CROSS JOIN UNNEST; Spark uses LATERAL VIEW explode.
SELECT h.impression_id,
       h.lineage_id,
       h.model_name,
       h.model_version,
       f.name              AS feature,
       f.version           AS feature_version,
       f.hash              AS feature_hash,
       f.source            AS source,
       f.pipeline_trace_id AS pipeline_trace_id,
       f.produced_at       AS produced_at
FROM ${CATALOG}.${NAMESPACE}.lineage_history h
CROSS JOIN UNNEST(h.features) AS f (name, version, hash, source, pipeline_trace_id, produced_at)
WHERE h.impression_id = '${IMPRESSION_ID}'
ORDER BY f.name;
