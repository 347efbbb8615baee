-- Spans, errors and time per experiment, variant and service: every span of a trace counts for its impression's variants.
SELECT i.experiment, i.`variant`, s.service, COUNT(*) AS spans, SUM(s.error) AS errors, SUM(s.duration_micros) AS duration_micros
FROM unique_spans s
JOIN impression_variants i ON s.trace_id = i.trace_id
GROUP BY i.experiment, i.`variant`, s.service
