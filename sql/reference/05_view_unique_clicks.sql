-- One row per click ID, with its event time.
CREATE TEMPORARY VIEW unique_clicks AS
SELECT click_id, impression_id, clicked_at
FROM (
  SELECT click_id, impression_id,
    CASE WHEN `timestamp` SIMILAR TO '[0-9]+'
      THEN TO_TIMESTAMP_LTZ(CAST(`timestamp` AS BIGINT), 3)
      ELSE CAST(TO_TIMESTAMP(REPLACE(REPLACE(`timestamp`, 'T', ' '), 'Z', ''), 'yyyy-MM-dd HH:mm:ss.SSS') AS TIMESTAMP_LTZ(3))
    END AS clicked_at,
    ROW_NUMBER() OVER (PARTITION BY click_id ORDER BY `timestamp`) AS rn
  FROM clicks
  WHERE click_id IS NOT NULL AND impression_id IS NOT NULL AND item_id IS NOT NULL AND `timestamp` IS NOT NULL
)
WHERE rn = 1 AND clicked_at IS NOT NULL
