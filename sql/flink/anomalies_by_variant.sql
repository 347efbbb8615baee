-- Lineage and join anomalies per kind, experiment and variant over an event-time range, from lineage_anomalies:
-- variant_conflict, orphan_click, span_without_impression, unknown_variant, click_outside_window,
-- click_item_not_in_slate, late_click. Kinds that concern no single variant (an orphan click, a span without
-- impression) have experiment and variant NULL and are kept as their own group.
-- One row per finding, so COUNT(*) is right here (this table is not additive).
-- Placeholders: CATALOG, NAMESPACE; FROM (inclusive) and TO (exclusive) as 'yyyy-MM-dd HH:mm:ss' in UTC.
SELECT kind,
       experiment,
       `variant`,
       COUNT(*)        AS anomalies,
       MIN(event_time) AS first_seen,
       MAX(event_time) AS last_seen
FROM ${CATALOG}.${NAMESPACE}.lineage_anomalies
WHERE event_time >= TO_TIMESTAMP_LTZ('${FROM}', 'yyyy-MM-dd HH:mm:ss', 'UTC')
  AND event_time <  TO_TIMESTAMP_LTZ('${TO}', 'yyyy-MM-dd HH:mm:ss', 'UTC')
GROUP BY kind, experiment, `variant`
ORDER BY kind, experiment, `variant`;
