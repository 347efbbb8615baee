-- ctr_by_variant (Spark SQL): impressions, clicks and CTR per experiment and variant over [${FROM}, ${TO}).
-- Why: the engagement read-out of an A/B test. variant_engagement rows are additive partial sums
-- (streaming may write several rows per key), so every measure is SUM-med per key and every ratio is
-- a ratio of sums. ctr = clicks per impression (slate served), item_ctr = clicks per item shown,
-- slate_ctr = share of impressions with at least one click.
-- Deviations: none from the Trino version (CAST to DOUBLE, NULLIF and TIMESTAMP '... UTC' are the same).
SELECT experiment,
       variant,
       SUM(impressions)                                                        AS impressions,
       SUM(item_impressions)                                                   AS item_impressions,
       SUM(clicks)                                                             AS clicks,
       SUM(clicked_impressions)                                                AS clicked_impressions,
       CAST(SUM(clicks) AS DOUBLE) / NULLIF(SUM(impressions), 0)               AS ctr,
       CAST(SUM(clicks) AS DOUBLE) / NULLIF(SUM(item_impressions), 0)          AS item_ctr,
       CAST(SUM(clicked_impressions) AS DOUBLE) / NULLIF(SUM(impressions), 0)  AS slate_ctr
FROM ${CATALOG}.${NAMESPACE}.variant_engagement
WHERE window_start >= TIMESTAMP '${FROM} UTC'
  AND window_start <  TIMESTAMP '${TO} UTC'
GROUP BY experiment, variant
ORDER BY experiment, variant;
