-- OTLP/JSON TracesData batches as the Collector's Kafka exporter writes them (int64 as strings).
CREATE TEMPORARY TABLE otlp_spans (
  resourceSpans ARRAY<ROW<
    resource ROW<attributes ARRAY<ROW<key STRING, `value` ROW<stringValue STRING>>>>,
    scopeSpans ARRAY<ROW<spans ARRAY<ROW<
      traceId STRING,
      spanId STRING,
      name STRING,
      startTimeUnixNano STRING,
      endTimeUnixNano STRING,
      status ROW<code INT>>>>>>>
) WITH (
  'connector' = 'kafka',
  'topic' = '${spans_topic}',
  'properties.bootstrap.servers' = '${bootstrap}',
  'properties.group.id' = 'recolens-sql-reference',
  'scan.startup.mode' = 'earliest-offset',
  'scan.bounded.mode' = 'latest-offset',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true'
)
