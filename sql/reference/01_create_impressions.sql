-- Impressions as served: one JSON object per Kafka record. The timestamp is an ISO-8601 instant or epoch ms.
CREATE TEMPORARY TABLE impressions (
  impression_id STRING,
  trace_id STRING,
  `timestamp` STRING,
  surface STRING,
  experiments MAP<STRING, STRING>
) WITH (
  'connector' = 'kafka',
  'topic' = '${impressions_topic}',
  'properties.bootstrap.servers' = '${bootstrap}',
  'properties.group.id' = 'recolens-sql-reference',
  'scan.startup.mode' = 'earliest-offset',
  'scan.bounded.mode' = 'latest-offset',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true'
)
