-- The full lineage of one impression from lineage_history: experiments and where each variant came from
-- (impression, baggage, span_attribute, flag_event), model, features with versions and hashes, the slate, the
-- trace's cost and the attributed clicks. Zero rows: unknown ID, older than the 183-day retention, or not yet
-- committed (rows appear at the job's next checkpoint).
-- No deviation from the Spark/Trino versions; nested columns come back as Flink ROW / ARRAY / MAP values.
-- Placeholders: CATALOG, NAMESPACE, IMPRESSION_ID.
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
       items,
       trace,
       clicks,
       CARDINALITY(clicks) AS click_count
FROM ${CATALOG}.${NAMESPACE}.lineage_history
WHERE impression_id = '${IMPRESSION_ID}';
