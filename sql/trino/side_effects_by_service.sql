-- side_effects_by_service (Trino): per experiment, variant and service over [${FROM}, ${TO}):
-- spans, errors, error rate, mean latency, database calls and time, cache hits/misses and hit rate,
-- and the p95 span latency.
-- Why: what each variant did to the whole backend, not only to engagement.
-- How: variant_side_effects rows are additive partial sums: SUM every measure per key. The p95 comes
-- from latency_histogram: sum the 16 buckets element-wise per key (UNNEST ... WITH ORDINALITY, 1-based
-- position), then walk them cumulatively; the answer is the upper bound (ms) of the first bucket whose
-- running count reaches max(1, ceil(0.95 * total)), exactly as LatencyBuckets.percentile. The bounds are
-- the table property recolens.latency.bucket-bounds-ms (0.5 ... 30000 ms, then Infinity); they never
-- change for a table, so they are written here as a literal array (read them with
-- SELECT value FROM ${CATALOG}.${NAMESPACE}."variant_side_effects$properties"
-- WHERE key = 'recolens.latency.bucket-bounds-ms').
-- Deviations: Spark uses posexplode (0-based); here the ordinality is 1-based, which is what element_at
-- wants. The literals are written as doubles (0.5e0) so the array is ARRAY(DOUBLE) with infinity().
WITH filtered AS (
  SELECT *
  FROM ${CATALOG}.${NAMESPACE}.variant_side_effects
  WHERE window_start >= TIMESTAMP '${FROM} UTC'
    AND window_start <  TIMESTAMP '${TO} UTC'
), totals AS (
  SELECT experiment, variant, service,
         SUM(span_count)          AS spans,
         SUM(error_count)         AS errors,
         SUM(duration_sum_micros) AS duration_micros,
         SUM(db_calls)            AS db_calls,
         SUM(db_time_micros)      AS db_time_micros,
         SUM(cache_hits)          AS cache_hits,
         SUM(cache_misses)        AS cache_misses
  FROM filtered
  GROUP BY experiment, variant, service
), buckets AS (
  SELECT f.experiment, f.variant, f.service, b.idx, SUM(b.cnt) AS cnt
  FROM filtered f
  CROSS JOIN UNNEST(f.latency_histogram) WITH ORDINALITY AS b(cnt, idx)
  GROUP BY f.experiment, f.variant, f.service, b.idx
), walk AS (
  SELECT experiment, variant, service, idx,
         SUM(cnt) OVER (PARTITION BY experiment, variant, service ORDER BY idx) AS running,
         SUM(cnt) OVER (PARTITION BY experiment, variant, service)              AS total
  FROM buckets
), p95 AS (
  SELECT experiment, variant, service,
         element_at(ARRAY[0.5e0, 1e0, 2e0, 5e0, 10e0, 20e0, 50e0, 100e0, 200e0, 500e0, 1000e0, 2000e0, 5000e0,
                          10000e0, 30000e0, infinity()],
                    CAST(MIN(idx) AS INTEGER)) AS p95_ms
  FROM walk
  WHERE total > 0 AND running >= GREATEST(1, CEIL(0.95e0 * total))
  GROUP BY experiment, variant, service
)
SELECT t.experiment,
       t.variant,
       t.service,
       t.spans,
       t.errors,
       CAST(t.errors AS DOUBLE) / NULLIF(t.spans, 0)                           AS error_rate,
       CAST(t.duration_micros AS DOUBLE) / NULLIF(t.spans, 0) / 1000           AS mean_ms,
       t.db_calls,
       CAST(t.db_time_micros AS DOUBLE) / 1000                                 AS db_time_ms,
       t.cache_hits,
       t.cache_misses,
       CAST(t.cache_hits AS DOUBLE) / NULLIF(t.cache_hits + t.cache_misses, 0) AS cache_hit_rate,
       p.p95_ms
FROM totals t
LEFT JOIN p95 p
  ON p.experiment = t.experiment AND p.variant = t.variant AND p.service = t.service
ORDER BY t.experiment, t.variant, t.service;
