-- anomalies_by_variant (Spark SQL): lineage and join findings per kind, experiment and variant whose event
-- time is in [${FROM}, ${TO}).
-- Why: a variant that loses its baggage, conflicts with a flag service or orphans clicks skews its own
-- read-out; this shows which variants are affected. experiment/variant are NULL when the finding names no
-- single experiment (e.g. most click findings): those rows are kept as their own group.
-- Findings are not de-duplicated across job restarts: read the counts as "at least".
-- Deviations: none from the Trino version (NULLS FIRST written out because the engines' defaults differ).
SELECT kind,
       experiment,
       variant,
       COUNT(*) AS findings
FROM ${CATALOG}.${NAMESPACE}.lineage_anomalies
WHERE event_time >= TIMESTAMP '${FROM} UTC'
  AND event_time <  TIMESTAMP '${TO} UTC'
GROUP BY kind, experiment, variant
ORDER BY kind, experiment NULLS FIRST, variant NULLS FIRST;
