-- retention_state (Trino): per table, its rows, the oldest and newest day of data (from the Iceberg
-- "$partitions" metadata table, without scanning data files), the declared retention in days (the table
-- property recolens.retention.days, from the "$properties" metadata table), the oldest day that retention
-- keeps, and whether older data is still there.
-- Why: retention is declared but not yet enforced by a job (docs/tables.md, Retention); this shows what a
-- manual DELETE on a day boundary would remove.
-- How: every table is partitioned by a UTC day (day transform, or the identity `day` column of lineage_completeness and
-- experiment_unit_daily), so partition values are the days; record_count sums to the row count when
-- there are no delete files (recolens only appends).
-- Deviations: Spark cannot read table properties in a query and writes the retention days as literals;
-- Trino reads them from the tables. current_date is in the session time zone: SET TIME ZONE 'UTC' first.
WITH partition_days AS (
  SELECT 'variant_engagement' AS table_name, "partition".window_start_day AS day, record_count
  FROM ${CATALOG}.${NAMESPACE}."variant_engagement$partitions"
  UNION ALL
  SELECT 'experiment_unit_daily' AS table_name, "partition".day AS day, record_count
  FROM ${CATALOG}.${NAMESPACE}."experiment_unit_daily$partitions"
  UNION ALL
  SELECT 'variant_side_effects' AS table_name, "partition".window_start_day AS day, record_count
  FROM ${CATALOG}.${NAMESPACE}."variant_side_effects$partitions"
  UNION ALL
  SELECT 'experiment_exposures' AS table_name, "partition".first_exposure_at_day AS day, record_count
  FROM ${CATALOG}.${NAMESPACE}."experiment_exposures$partitions"
  UNION ALL
  SELECT 'lineage_history' AS table_name, "partition".served_at_day AS day, record_count
  FROM ${CATALOG}.${NAMESPACE}."lineage_history$partitions"
  UNION ALL
  SELECT 'lineage_anomalies' AS table_name, "partition".event_time_day AS day, record_count
  FROM ${CATALOG}.${NAMESPACE}."lineage_anomalies$partitions"
  UNION ALL
  SELECT 'dead_letters' AS table_name, "partition".recorded_at_day AS day, record_count
  FROM ${CATALOG}.${NAMESPACE}."dead_letters$partitions"
  UNION ALL
  SELECT 'lineage_completeness' AS table_name, "partition".day AS day, record_count
  FROM ${CATALOG}.${NAMESPACE}."lineage_completeness$partitions"
), retention AS (
  SELECT 'variant_engagement' AS table_name, CAST(value AS INTEGER) AS retention_days
  FROM ${CATALOG}.${NAMESPACE}."variant_engagement$properties"
  WHERE key = 'recolens.retention.days'
  UNION ALL
  SELECT 'experiment_unit_daily' AS table_name, CAST(value AS INTEGER) AS retention_days
  FROM ${CATALOG}.${NAMESPACE}."experiment_unit_daily$properties"
  WHERE key = 'recolens.retention.days'
  UNION ALL
  SELECT 'variant_side_effects' AS table_name, CAST(value AS INTEGER) AS retention_days
  FROM ${CATALOG}.${NAMESPACE}."variant_side_effects$properties"
  WHERE key = 'recolens.retention.days'
  UNION ALL
  SELECT 'experiment_exposures' AS table_name, CAST(value AS INTEGER) AS retention_days
  FROM ${CATALOG}.${NAMESPACE}."experiment_exposures$properties"
  WHERE key = 'recolens.retention.days'
  UNION ALL
  SELECT 'lineage_history' AS table_name, CAST(value AS INTEGER) AS retention_days
  FROM ${CATALOG}.${NAMESPACE}."lineage_history$properties"
  WHERE key = 'recolens.retention.days'
  UNION ALL
  SELECT 'lineage_anomalies' AS table_name, CAST(value AS INTEGER) AS retention_days
  FROM ${CATALOG}.${NAMESPACE}."lineage_anomalies$properties"
  WHERE key = 'recolens.retention.days'
  UNION ALL
  SELECT 'dead_letters' AS table_name, CAST(value AS INTEGER) AS retention_days
  FROM ${CATALOG}.${NAMESPACE}."dead_letters$properties"
  WHERE key = 'recolens.retention.days'
  UNION ALL
  SELECT 'lineage_completeness' AS table_name, CAST(value AS INTEGER) AS retention_days
  FROM ${CATALOG}.${NAMESPACE}."lineage_completeness$properties"
  WHERE key = 'recolens.retention.days'
), per_table AS (
  SELECT table_name,
         SUM(record_count) AS row_count,
         MIN(day)          AS oldest_day,
         MAX(day)          AS newest_day
  FROM partition_days
  GROUP BY table_name
)
SELECT p.table_name,
       p.row_count,
       p.oldest_day,
       p.newest_day,
       r.retention_days,
       date_add('day', -r.retention_days, current_date)                AS oldest_allowed_day,
       p.oldest_day < date_add('day', -r.retention_days, current_date) AS beyond_retention
FROM per_table p
LEFT JOIN retention r ON r.table_name = p.table_name
ORDER BY p.table_name;
