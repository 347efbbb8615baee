-- Clicks: one JSON object per Kafka record.
CREATE TEMPORARY TABLE clicks (
  click_id STRING,
  impression_id STRING,
  item_id STRING,
  `timestamp` STRING
) WITH (
  'connector' = 'kafka',
  'topic' = '${clicks_topic}',
  'properties.bootstrap.servers' = '${bootstrap}',
  'properties.group.id' = 'recolens-sql-reference',
  'scan.startup.mode' = 'earliest-offset',
  'scan.bounded.mode' = 'latest-offset',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true'
)
