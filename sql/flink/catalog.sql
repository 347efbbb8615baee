-- Registers the Iceberg catalog the recolens job writes to, so the Flink SQL client or SQL gateway
-- can read the tables (queries in this folder) or create them by hand (ddl/).
--
-- Run it first in every session; the other files name tables as ${CATALOG}.${NAMESPACE}.<table>.
-- Needs iceberg-flink-runtime-2.1 (1.11.0) and the Hadoop client jars on the SQL client's classpath.
--
-- Placeholders:
--   CATALOG       Flink name of the catalog, e.g. recolens
--   CATALOG_TYPE  Iceberg's built-in catalog types for Flink: hadoop, hive or rest
--   WAREHOUSE     warehouse location, e.g. s3://analytics/warehouse or /data/warehouse (the job's catalog.warehouse)
--   CATALOG_URI   catalog endpoint: the REST server (rest) or metastore thrift URI (hive); ignored by hadoop, leave it empty
--
-- Variants:
--   hadoop  'catalog-type'='hadoop' + warehouse: the job's default (catalog.type=hadoop); a file-system catalog that
--           Trino cannot read. The uri is not used.
--   rest    'catalog-type'='rest' + 'uri'='http://iceberg-rest:8181' (+ warehouse if the server wants one).
--   jdbc, glue, nessie: Flink's Iceberg catalog has no catalog-type for them. Replace the 'catalog-type' line by
--           'catalog-impl'='org.apache.iceberg.jdbc.JdbcCatalog' (or ...aws.glue.GlueCatalog, ...nessie.NessieCatalog);
--           catalog-type and catalog-impl must not both be set. JDBC also takes 'jdbc.user' / 'jdbc.password':
--           pass credentials from the SQL client's environment, never commit them in this file.
-- Any other option the job passes as catalog.<key> (io-impl, s3.endpoint, ...) goes into WITH unchanged.
CREATE CATALOG ${CATALOG} WITH (
  'type' = 'iceberg',
  'catalog-type' = '${CATALOG_TYPE}',
  'warehouse' = '${WAREHOUSE}',
  'uri' = '${CATALOG_URI}'
);
