-- lineage_by_trace (Spark SQL): every impression of one request trace, ${TRACE_ID}, with the trace's cost
-- summary (spans, errors, root duration, database time, cache hits/misses, time per service) and how many
-- lineage findings (lineage_anomalies) name the trace.
-- Why: start from a trace ID seen in a tracing UI or a log line and find what was served and why.
-- Deviations: none from the Trino version.
WITH findings AS (
  SELECT trace_id, COUNT(*) AS anomalies
  FROM ${CATALOG}.${NAMESPACE}.lineage_anomalies
  WHERE trace_id = '${TRACE_ID}'
  GROUP BY trace_id
)
SELECT h.trace_id,
       h.impression_id,
       h.served_at,
       h.experiments,
       h.model_version,
       cardinality(h.clicks)        AS click_count,
       h.trace.span_count           AS span_count,
       h.trace.error_count          AS error_count,
       h.trace.root_duration_micros AS root_duration_micros,
       h.trace.db_time_micros       AS db_time_micros,
       h.trace.cache_hits           AS cache_hits,
       h.trace.cache_misses         AS cache_misses,
       h.trace.service_time_micros  AS service_time_micros,
       COALESCE(f.anomalies, 0)     AS anomalies
FROM ${CATALOG}.${NAMESPACE}.lineage_history h
LEFT JOIN findings f ON f.trace_id = h.trace_id
WHERE h.trace_id = '${TRACE_ID}'
ORDER BY h.served_at, h.impression_id;
