-- Sample-ratio check input: units first exposed to each variant over an event-time range, and each variant's share
-- of its experiment's units, from experiment_exposures. Compare share with the configured allocation; a gap larger
-- than chance (chi-square on the units) means assignment or logging is broken and the experiment's results are
-- not trustworthy.
-- COUNT(DISTINCT unit_key) rather than COUNT(*): a restart from an old checkpoint may write an exposure twice.
-- A unit exposed to two variants of one experiment counts in both (that is itself worth investigating).
-- The share uses an OVER window without ORDER BY: batch mode (execution.runtime-mode=batch).
-- Placeholders: CATALOG, NAMESPACE; FROM (inclusive) and TO (exclusive) as 'yyyy-MM-dd HH:mm:ss' in UTC.
SELECT experiment,
       `variant`,
       units,
       CAST(units AS DOUBLE) / SUM(units) OVER (PARTITION BY experiment) AS share
FROM (
  SELECT experiment, `variant`, COUNT(DISTINCT unit_key) AS units
  FROM ${CATALOG}.${NAMESPACE}.experiment_exposures
  WHERE first_exposure_at >= TO_TIMESTAMP_LTZ('${FROM}', 'yyyy-MM-dd HH:mm:ss', 'UTC')
    AND first_exposure_at <  TO_TIMESTAMP_LTZ('${TO}', 'yyyy-MM-dd HH:mm:ss', 'UTC')
  GROUP BY experiment, `variant`
) per_variant
ORDER BY experiment, `variant`;
