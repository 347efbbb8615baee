-- lineage_by_impression (Trino): everything recorded about one served recommendation, ${IMPRESSION_ID}:
-- trace, unit, resolved variants and where each came from, model and feature versions and hashes,
-- slate size, attributed clicks, and the trace's cost summary.
-- Why: "which signals produced this recommendation?" when a user or a model owner asks about one slate.
-- Normally one row; a duplicate delivered after the job forgot the impression can add a second one.
-- Add a served_at range to the WHERE clause on large tables: the table is partitioned by day(served_at)
-- and sorted by trace_id, impression_id, so a day bound prunes partitions.
-- Deviations: none from the Spark version (cardinality, struct field access and maps are the same).
SELECT impression_id,
       trace_id,
       lineage_id,
       unit_key,
       session_id,
       surface,
       segment,
       served_at,
       experiments,
       variant_sources,
       model_name,
       model_version,
       features,
       cardinality(items)         AS item_count,
       cardinality(clicks)        AS click_count,
       trace.span_count           AS trace_span_count,
       trace.error_count          AS trace_error_count,
       trace.root_duration_micros AS trace_root_duration_micros,
       trace.db_time_micros       AS trace_db_time_micros
FROM ${CATALOG}.${NAMESPACE}.lineage_history
WHERE impression_id = '${IMPRESSION_ID}'
ORDER BY served_at;
