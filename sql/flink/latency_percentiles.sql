-- p50, p95 and p99 span latency per experiment, variant and service over an event-time range, from the exponential
-- histograms of variant_side_effects (latency_exp_histogram).
-- Bucket i of the map holds durations d (microseconds) with 2^(i/128) < d <= 2^((i+1)/128): base-2 exponential,
-- scale 7 (table property recolens.latency.exp-histogram). The maps are summed per index (UNNEST of the map, GROUP
-- BY the index), then the q-percentile is the upper bound 2^((i+1)/128) / 1000 ms of the first bucket whose running
-- count reaches max(1, ceil(q * total)), exactly ExponentialHistogram.percentileMillis: never below the exact
-- nearest-rank value, at most 0.55% above it. histogram_spans: the spans the histograms hold (rows written before
-- the column existed have none).
-- Deviation (Flink): the running count uses OVER windows ordered by the bucket index, which Flink runs in BATCH
-- mode only: run this with execution.runtime-mode=batch. No "latency_exp_histogram IS NOT NULL" filter: Iceberg 1.11's
-- Flink source cannot evaluate a pushed-down filter on a map column (ClassCastException); UNNEST of a NULL map gives
-- no rows anyway.
-- Placeholders: CATALOG, NAMESPACE; FROM (inclusive) and TO (exclusive) as 'yyyy-MM-dd HH:mm:ss' in UTC.
WITH in_range AS (
  SELECT experiment, `variant`, service, latency_exp_histogram
  FROM ${CATALOG}.${NAMESPACE}.variant_side_effects
  WHERE window_start >= TO_TIMESTAMP_LTZ('${FROM}', 'yyyy-MM-dd HH:mm:ss', 'UTC')
    AND window_start <  TO_TIMESTAMP_LTZ('${TO}', 'yyyy-MM-dd HH:mm:ss', 'UTC')
), summed AS (
  SELECT r.experiment, r.`variant`, r.service, b.idx, SUM(b.cnt) AS cnt
  FROM in_range r
  CROSS JOIN UNNEST(r.latency_exp_histogram) AS b(idx, cnt)
  GROUP BY r.experiment, r.`variant`, r.service, b.idx
), walk AS (
  SELECT experiment, `variant`, service, idx,
         SUM(cnt) OVER (PARTITION BY experiment, `variant`, service ORDER BY idx
                        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running_count,
         SUM(cnt) OVER (PARTITION BY experiment, `variant`, service ORDER BY idx
                        ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS total_count
  FROM summed
), ranks AS (
  SELECT experiment, `variant`, service, MAX(total_count) AS histogram_spans,
         MIN(CASE WHEN running_count >= GREATEST(1, CEIL(0.50e0 * total_count)) THEN idx END) AS i50,
         MIN(CASE WHEN running_count >= GREATEST(1, CEIL(0.95e0 * total_count)) THEN idx END) AS i95,
         MIN(CASE WHEN running_count >= GREATEST(1, CEIL(0.99e0 * total_count)) THEN idx END) AS i99
  FROM walk
  GROUP BY experiment, `variant`, service
)
SELECT experiment,
       `variant`,
       service,
       histogram_spans,
       POWER(2e0, (i50 + 1) / 128e0) / 1000e0 AS p50_ms,
       POWER(2e0, (i95 + 1) / 128e0) / 1000e0 AS p95_ms,
       POWER(2e0, (i99 + 1) / 128e0) / 1000e0 AS p99_ms
FROM ranks
ORDER BY experiment, `variant`, service;
