-- retention_state (Spark SQL): per table, its rows, the oldest and newest day of data (from the Iceberg
-- partitions metadata table, without scanning data files), the declared retention in days, the oldest day
-- that retention keeps, and whether older data is still there.
-- Why: retention is declared (table property recolens.retention.days) but not yet enforced by a job
-- (docs/tables.md, Retention); this shows what a manual DELETE on a day boundary would remove.
-- How: every table is partitioned by a UTC day (day transform, or the identity `day` column of lineage_completeness and
-- experiment_unit_daily), so partition values are the days; record_count sums to the row count when
-- there are no delete files (recolens only appends).
-- Deviations: Spark SQL cannot read a table property inside a query (only SHOW TBLPROPERTIES, a separate
-- statement), so retention_days are the values of iceberg-schemas/<table>.json written as literals.
-- Check them with SHOW TBLPROPERTIES ${CATALOG}.${NAMESPACE}.<table> ('recolens.retention.days');
-- the interoperability test compares them with the tables' properties. Trino reads "<table>$properties".
-- current_date() is in the session time zone: set spark.sql.session.timeZone=UTC.
WITH partition_days AS (
  SELECT 'variant_engagement' AS table_name, 400 AS retention_days,
         partition.window_start_day AS day, record_count
  FROM ${CATALOG}.${NAMESPACE}.variant_engagement.partitions
  UNION ALL
  SELECT 'experiment_unit_daily' AS table_name, 400 AS retention_days,
         partition.day AS day, record_count
  FROM ${CATALOG}.${NAMESPACE}.experiment_unit_daily.partitions
  UNION ALL
  SELECT 'variant_side_effects' AS table_name, 400 AS retention_days,
         partition.window_start_day AS day, record_count
  FROM ${CATALOG}.${NAMESPACE}.variant_side_effects.partitions
  UNION ALL
  SELECT 'experiment_exposures' AS table_name, 400 AS retention_days,
         partition.first_exposure_at_day AS day, record_count
  FROM ${CATALOG}.${NAMESPACE}.experiment_exposures.partitions
  UNION ALL
  SELECT 'lineage_history' AS table_name, 183 AS retention_days,
         partition.served_at_day AS day, record_count
  FROM ${CATALOG}.${NAMESPACE}.lineage_history.partitions
  UNION ALL
  SELECT 'lineage_anomalies' AS table_name, 183 AS retention_days,
         partition.event_time_day AS day, record_count
  FROM ${CATALOG}.${NAMESPACE}.lineage_anomalies.partitions
  UNION ALL
  SELECT 'dead_letters' AS table_name, 14 AS retention_days,
         partition.recorded_at_day AS day, record_count
  FROM ${CATALOG}.${NAMESPACE}.dead_letters.partitions
  UNION ALL
  SELECT 'lineage_completeness' AS table_name, 400 AS retention_days,
         partition.day AS day, record_count
  FROM ${CATALOG}.${NAMESPACE}.lineage_completeness.partitions
), per_table AS (
  SELECT table_name,
         MAX(retention_days)  AS retention_days,
         SUM(record_count)    AS row_count,
         MIN(day)             AS oldest_day,
         MAX(day)             AS newest_day
  FROM partition_days
  GROUP BY table_name
)
SELECT table_name,
       row_count,
       oldest_day,
       newest_day,
       retention_days,
       date_sub(current_date(), retention_days)              AS oldest_allowed_day,
       oldest_day < date_sub(current_date(), retention_days) AS beyond_retention
FROM per_table
ORDER BY table_name;
