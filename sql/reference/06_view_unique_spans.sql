-- One row per span (trace ID, span ID), flattened from the OTLP batches, with its service.
CREATE TEMPORARY VIEW unique_spans AS
SELECT trace_id, service, start_ms, duration_micros, error
FROM (
  SELECT LOWER(sp.traceId) AS trace_id, ra.`value`.stringValue AS service,
    CAST(sp.startTimeUnixNano AS BIGINT) / 1000000 AS start_ms,
    (CAST(sp.endTimeUnixNano AS BIGINT) - CAST(sp.startTimeUnixNano AS BIGINT)) / 1000 AS duration_micros,
    CASE WHEN sp.status.code = 2 THEN 1 ELSE 0 END AS error,
    ROW_NUMBER() OVER (PARTITION BY sp.traceId, sp.spanId ORDER BY sp.startTimeUnixNano) AS rn
  FROM otlp_spans
  CROSS JOIN UNNEST(resourceSpans) AS rs(resource, scopeSpans)
  CROSS JOIN UNNEST(rs.resource.attributes) AS ra(key, `value`)
  CROSS JOIN UNNEST(rs.scopeSpans) AS ss(spans)
  CROSS JOIN UNNEST(ss.spans) AS sp(traceId, spanId, name, startTimeUnixNano, endTimeUnixNano, status)
  WHERE ra.key = 'service.name' AND sp.traceId IS NOT NULL AND sp.spanId IS NOT NULL
)
WHERE rn = 1
