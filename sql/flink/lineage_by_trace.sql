-- Every impression one request trace served, with its variants, model, trace cost and click count, from
-- lineage_history, oldest first. Use it from a trace ID seen in a tracing UI; anomalies of the trace are in
-- lineage_anomalies (see anomalies_by_variant.sql).
-- trace_id is lowercase hex, as OpenTelemetry writes it.
-- Placeholders: CATALOG, NAMESPACE, TRACE_ID.
SELECT trace_id,
       impression_id,
       served_at,
       surface,
       segment,
       experiments,
       variant_sources,
       model_name,
       model_version,
       trace.span_count           AS span_count,
       trace.error_count          AS error_count,
       trace.root_duration_micros AS root_duration_micros,
       CARDINALITY(items)         AS slate_size,
       CARDINALITY(clicks)        AS click_count
FROM ${CATALOG}.${NAMESPACE}.lineage_history
WHERE trace_id = '${TRACE_ID}'
ORDER BY served_at, impression_id;
