-- Oldest and newest day present in each recolens table, with rows and data files, to check that retention
-- (table property recolens.retention.days: 400, 183 or 14) really removes old days.
-- Read from Iceberg's metadata tables (<table>$partitions, which Iceberg's Flink catalog serves): only manifest
-- metadata is read, no data file. The day is the partition value: day(<time column>) for six tables, the
-- identity-partitioned `day` column for experiment_unit_daily and lineage_completeness. Empty tables give no row.
-- Deviation: this relies on the job's day partitioning; on a table created unpartitioned by ddl/*.sql and never
-- given its partition field, `partition` has no day field and the statement fails to plan.
-- Quoted: `partition` and `day` are reserved words; the $ in metadata table names needs backquotes.
-- Placeholders: CATALOG, NAMESPACE.
SELECT 'variant_engagement' AS table_name, MIN(`partition`.window_start_day) AS oldest_day,
       MAX(`partition`.window_start_day) AS newest_day, SUM(record_count) AS records, SUM(file_count) AS files
FROM ${CATALOG}.${NAMESPACE}.`variant_engagement$partitions`
UNION ALL
SELECT 'experiment_unit_daily', MIN(`partition`.`day`), MAX(`partition`.`day`), SUM(record_count), SUM(file_count)
FROM ${CATALOG}.${NAMESPACE}.`experiment_unit_daily$partitions`
UNION ALL
SELECT 'variant_side_effects', MIN(`partition`.window_start_day), MAX(`partition`.window_start_day), SUM(record_count), SUM(file_count)
FROM ${CATALOG}.${NAMESPACE}.`variant_side_effects$partitions`
UNION ALL
SELECT 'experiment_exposures', MIN(`partition`.first_exposure_at_day), MAX(`partition`.first_exposure_at_day), SUM(record_count), SUM(file_count)
FROM ${CATALOG}.${NAMESPACE}.`experiment_exposures$partitions`
UNION ALL
SELECT 'lineage_history', MIN(`partition`.served_at_day), MAX(`partition`.served_at_day), SUM(record_count), SUM(file_count)
FROM ${CATALOG}.${NAMESPACE}.`lineage_history$partitions`
UNION ALL
SELECT 'lineage_anomalies', MIN(`partition`.event_time_day), MAX(`partition`.event_time_day), SUM(record_count), SUM(file_count)
FROM ${CATALOG}.${NAMESPACE}.`lineage_anomalies$partitions`
UNION ALL
SELECT 'dead_letters', MIN(`partition`.recorded_at_day), MAX(`partition`.recorded_at_day), SUM(record_count), SUM(file_count)
FROM ${CATALOG}.${NAMESPACE}.`dead_letters$partitions`
UNION ALL
SELECT 'lineage_completeness', MIN(`partition`.`day`), MAX(`partition`.`day`), SUM(record_count), SUM(file_count)
FROM ${CATALOG}.${NAMESPACE}.`lineage_completeness$partitions`;
