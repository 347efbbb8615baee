-- CTR per experiment and variant over an event-time range, from variant_engagement.
-- The rows are partial sums (streaming may write several per key): SUM them, then divide the sums.
--   ctr        clicks per impression (the simulator's and the demo's definition)
--   item_ctr   clicks per shown item
--   slate_ctr  share of impressions with at least one click
-- Ratios are NULL when the denominator is 0.
-- Flink specifics: `variant` is reserved in Flink 2.1 SQL and is quoted; the range bounds are parsed as UTC
-- whatever the session's table.local-time-zone is.
-- Placeholders: CATALOG, NAMESPACE; FROM (inclusive) and TO (exclusive) as 'yyyy-MM-dd HH:mm:ss' in UTC.
SELECT experiment,
       `variant`,
       SUM(impressions)         AS impressions,
       SUM(item_impressions)    AS item_impressions,
       SUM(clicks)              AS clicks,
       SUM(clicked_impressions) AS clicked_impressions,
       CAST(SUM(clicks) AS DOUBLE) / NULLIF(SUM(impressions), 0)              AS ctr,
       CAST(SUM(clicks) AS DOUBLE) / NULLIF(SUM(item_impressions), 0)         AS item_ctr,
       CAST(SUM(clicked_impressions) AS DOUBLE) / NULLIF(SUM(impressions), 0) AS slate_ctr
FROM ${CATALOG}.${NAMESPACE}.variant_engagement
WHERE window_start >= TO_TIMESTAMP_LTZ('${FROM}', 'yyyy-MM-dd HH:mm:ss', 'UTC')
  AND window_start <  TO_TIMESTAMP_LTZ('${TO}', 'yyyy-MM-dd HH:mm:ss', 'UTC')
GROUP BY experiment, `variant`
ORDER BY experiment, `variant`;
