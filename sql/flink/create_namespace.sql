-- Creates the namespace (a Flink "database") that holds the recolens tables, for users who create the tables by
-- hand with ddl/*.sql. The job creates its namespace itself (catalog.namespace, default recolens).
-- Placeholders: CATALOG (registered by catalog.sql), NAMESPACE.
CREATE DATABASE IF NOT EXISTS ${CATALOG}.${NAMESPACE};
