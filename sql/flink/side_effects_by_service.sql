-- Backend side effects per experiment, variant and service over an event-time range, from variant_side_effects:
-- spans, error rate, database calls and time, cache hit rate, and the p95 span latency.
-- All measures are SUMs of the additive rows; ratios are NULL when the denominator is 0.
-- p95: the histograms are summed element-wise (UNNEST ... WITH ORDINALITY, grouped by the 1-based bucket index), then
-- the answer is the upper bound (ms) of the first bucket whose running count reaches max(1, ceil(0.95 * total)),
-- exactly LatencyBuckets.percentile; the overflow bucket gives +Infinity ("over 30 s"). q is the double 0.95e0 so
-- that CEIL rounds as the Java code does.
-- Deviation (Flink): the running count uses OVER windows ordered by the bucket index, which Flink runs in BATCH
-- mode only (streaming OVER windows must be ordered by a time attribute): run this with execution.runtime-mode=batch.
-- Bucket bounds are those of table property recolens.latency.bucket-bounds-ms; they never change for a table.
-- Placeholders: CATALOG, NAMESPACE; FROM (inclusive) and TO (exclusive) as 'yyyy-MM-dd HH:mm:ss' in UTC.
WITH in_range AS (
  SELECT *
  FROM ${CATALOG}.${NAMESPACE}.variant_side_effects
  WHERE window_start >= TO_TIMESTAMP_LTZ('${FROM}', 'yyyy-MM-dd HH:mm:ss', 'UTC')
    AND window_start <  TO_TIMESTAMP_LTZ('${TO}', 'yyyy-MM-dd HH:mm:ss', 'UTC')
), sums AS (
  SELECT experiment, `variant`, service,
         SUM(span_count)     AS spans,
         SUM(error_count)    AS errors,
         SUM(db_calls)       AS db_calls,
         SUM(db_time_micros) AS db_time_micros,
         SUM(cache_hits)     AS cache_hits,
         SUM(cache_misses)   AS cache_misses
  FROM in_range
  GROUP BY experiment, `variant`, service
), summed AS (
  SELECT r.experiment, r.`variant`, r.service, b.idx, SUM(b.cnt) AS cnt
  FROM in_range r
  CROSS JOIN UNNEST(r.latency_histogram) WITH ORDINALITY AS b(cnt, idx)
  GROUP BY r.experiment, r.`variant`, r.service, b.idx
), walk AS (
  SELECT experiment, `variant`, service, idx,
         SUM(cnt) OVER (PARTITION BY experiment, `variant`, service ORDER BY idx
                        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running_count,
         SUM(cnt) OVER (PARTITION BY experiment, `variant`, service ORDER BY idx
                        ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS total_count
  FROM summed
), p95 AS (
  SELECT experiment, `variant`, service, MIN(idx) AS bucket
  FROM walk
  WHERE total_count > 0 AND running_count >= GREATEST(1, CEIL(0.95e0 * total_count))
  GROUP BY experiment, `variant`, service
)
SELECT s.experiment,
       s.`variant`,
       s.service,
       s.spans,
       CAST(s.errors AS DOUBLE) / NULLIF(s.spans, 0)                               AS error_rate,
       s.db_calls,
       CAST(s.db_time_micros AS DOUBLE) / 1000                                     AS db_time_ms,
       CAST(s.cache_hits AS DOUBLE) / NULLIF(s.cache_hits + s.cache_misses, 0)     AS cache_hit_rate,
       CASE p.bucket
         WHEN 1 THEN 0.5e0    WHEN 2 THEN 1e0       WHEN 3 THEN 2e0       WHEN 4 THEN 5e0
         WHEN 5 THEN 10e0     WHEN 6 THEN 20e0      WHEN 7 THEN 50e0      WHEN 8 THEN 100e0
         WHEN 9 THEN 200e0    WHEN 10 THEN 500e0    WHEN 11 THEN 1000e0   WHEN 12 THEN 2000e0
         WHEN 13 THEN 5000e0  WHEN 14 THEN 10000e0  WHEN 15 THEN 30000e0
         WHEN 16 THEN CAST('Infinity' AS DOUBLE)
       END                                                                         AS p95_ms
FROM sums s
LEFT JOIN p95 p
  ON p.experiment = s.experiment AND p.`variant` = s.`variant` AND p.service = s.service
ORDER BY s.experiment, s.`variant`, s.service;
