-- One row per impression ID (the first served) and experiment, with its variant and event time.
CREATE TEMPORARY VIEW impression_variants AS
SELECT impression_id, trace_id, served_at, experiment, `variant`
FROM (
  SELECT impression_id, LOWER(trace_id) AS trace_id, e.experiment, e.`variant`,
    CASE WHEN `timestamp` SIMILAR TO '[0-9]+'
      THEN TO_TIMESTAMP_LTZ(CAST(`timestamp` AS BIGINT), 3)
      ELSE CAST(TO_TIMESTAMP(REPLACE(REPLACE(`timestamp`, 'T', ' '), 'Z', ''), 'yyyy-MM-dd HH:mm:ss.SSS') AS TIMESTAMP_LTZ(3))
    END AS served_at,
    ROW_NUMBER() OVER (PARTITION BY impression_id, e.experiment ORDER BY `timestamp`) AS rn
  FROM impressions
  CROSS JOIN UNNEST(experiments) AS e(experiment, `variant`)
  WHERE impression_id IS NOT NULL AND trace_id IS NOT NULL AND `timestamp` IS NOT NULL
)
WHERE rn = 1 AND served_at IS NOT NULL
