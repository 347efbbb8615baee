-- exposures_srm (Trino): units first exposed in [${FROM}, ${TO}) per experiment and variant, and each
-- variant's share of its experiment's units: the input of a sample-ratio-mismatch (SRM) check.
-- Why: if the observed shares differ from the planned split more than chance allows (chi-square test on
-- units against the planned weights), the assignment or the logging is broken and the read-out is not to
-- be trusted. The planned weights are not in the tables: compare the shares with your experiment config.
-- How: a unit can have several rows per variant (seen again after exposures.retention, restarts, late
-- data), so the earliest exposure per experiment, variant and unit is taken first (MIN), then counted.
-- A unit exposed to two variants counts in both.
-- Deviations: none from the Spark version.
WITH first_seen AS (
  SELECT experiment, variant, unit_key, MIN(first_exposure_at) AS first_exposure_at
  FROM ${CATALOG}.${NAMESPACE}.experiment_exposures
  GROUP BY experiment, variant, unit_key
), units AS (
  SELECT experiment, variant, COUNT(*) AS units
  FROM first_seen
  WHERE first_exposure_at >= TIMESTAMP '${FROM} UTC'
    AND first_exposure_at <  TIMESTAMP '${TO} UTC'
  GROUP BY experiment, variant
)
SELECT experiment,
       variant,
       units,
       CAST(units AS DOUBLE) / SUM(units) OVER (PARTITION BY experiment) AS share
FROM units
ORDER BY experiment, variant;
