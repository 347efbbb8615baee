-- lineage_completeness_by_variant (Spark SQL): per day, experiment and variant, the impressions served and the share
-- whose every feature has known ancestry (a provenance span of its lineage ID within lineage.provenance-wait),
-- for the UTC days from ${FROM} to ${TO} (both days included).
-- Why: an audit checks the trend of lineage completeness; a variant whose feature pipeline broke stands out
-- with a lower share. The table is additive (streaming writes partial sums): always SUM by key.
-- Deviations: none from the Trino version (CAST of a TIMESTAMP ... UTC literal to DATE is the UTC day in both).
SELECT day,
       experiment,
       variant,
       SUM(impressions)                                                     AS impressions,
       SUM(complete_impressions)                                            AS complete_impressions,
       CAST(SUM(complete_impressions) AS DOUBLE) / NULLIF(SUM(impressions), 0) AS completeness,
       SUM(features) - SUM(features_with_ancestry)                          AS features_missing_ancestry,
       SUM(stale_features)                                                  AS stale_features
FROM ${CATALOG}.${NAMESPACE}.lineage_completeness
WHERE day >= CAST(TIMESTAMP '${FROM} UTC' AS DATE)
  AND day <= CAST(TIMESTAMP '${TO} UTC' AS DATE)
GROUP BY day, experiment, variant
ORDER BY day, experiment, variant;
