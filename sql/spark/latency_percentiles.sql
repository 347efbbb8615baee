-- latency_percentiles (Spark SQL): p50, p95 and p99 span latency per experiment, variant and service over
-- [${FROM}, ${TO}), from the exponential histograms of variant_side_effects.
-- Why: latency guardrails need percentiles precise enough to compare variants (the 16 fixed buckets of
-- latency_histogram give a bucket bound, e.g. 50 ms for a true 20 ms).
-- How: latency_exp_histogram maps a bucket index i to a span count; bucket i holds durations d (microseconds)
-- with 2^(i/128) < d <= 2^((i+1)/128) (base-2 exponential, scale 7, table property
-- recolens.latency.exp-histogram). Rows are partial sums: explode every map, SUM the counts per index, walk the
-- buckets in index order; the q-percentile is the upper bound 2^((i+1)/128) / 1000 ms of the first bucket whose
-- running count reaches max(1, ceil(q * total)), exactly as ExponentialHistogram.percentileMillis. It is never
-- below the exact nearest-rank value and at most 0.55% above it.
-- histogram_spans counts the spans the histograms hold: rows written before the column was added have none.
-- Deviations: Spark has no UNNEST of a map (Trino, Flink): LATERAL VIEW explode gives (key, value).
WITH filtered AS (
  SELECT experiment, variant, service, latency_exp_histogram
  FROM ${CATALOG}.${NAMESPACE}.variant_side_effects
  WHERE window_start >= TIMESTAMP '${FROM} UTC'
    AND window_start <  TIMESTAMP '${TO} UTC'
), buckets AS (
  SELECT f.experiment, f.variant, f.service, b.idx, SUM(b.cnt) AS cnt
  FROM filtered f
  LATERAL VIEW explode(f.latency_exp_histogram) b AS idx, cnt
  GROUP BY f.experiment, f.variant, f.service, b.idx
), walk AS (
  SELECT experiment, variant, service, idx,
         SUM(cnt) OVER (PARTITION BY experiment, variant, service ORDER BY idx) AS running,
         SUM(cnt) OVER (PARTITION BY experiment, variant, service)              AS total
  FROM buckets
), ranks AS (
  SELECT experiment, variant, service, MAX(total) AS histogram_spans,
         MIN(CASE WHEN running >= GREATEST(1, CEIL(0.50D * total)) THEN idx END) AS i50,
         MIN(CASE WHEN running >= GREATEST(1, CEIL(0.95D * total)) THEN idx END) AS i95,
         MIN(CASE WHEN running >= GREATEST(1, CEIL(0.99D * total)) THEN idx END) AS i99
  FROM walk
  GROUP BY experiment, variant, service
)
SELECT experiment,
       variant,
       service,
       histogram_spans,
       power(2D, (i50 + 1) / 128D) / 1000D AS p50_ms,
       power(2D, (i95 + 1) / 128D) / 1000D AS p95_ms,
       power(2D, (i99 + 1) / 128D) / 1000D AS p99_ms
FROM ranks
ORDER BY experiment, variant, service;
