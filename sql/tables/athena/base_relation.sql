-- How Athena sees one stored table: the Glue table over the store prefix is named {{relation}}_files (columns:
-- TABLES in data-contracts/src/parquet.ts, plus the partition `year`), and the relation the views read is this
-- view over it. infra fills in {{relation}} and {{columns}} (`t.<column> AS <column>`, one per column and `year`)
-- for each stored table at synth (infra/lib/athena-views.ts), through the SQL catalogue
-- (functions/src/warehouse/sql-catalogue.ts).
--
-- THE READ RULE (functions/src/compaction/compact.ts), the twin of sql/tables/duckdb/base_relation.sql in Trino's
-- syntax: per submission_id, only the rows of the file whose path ("$path", the object's S3 path) sorts first are
-- kept — a per-submission <uuid>.parquet before any compacted part-<run>.parquet — so every row is seen once.
CREATE OR REPLACE VIEW {{relation}} AS
SELECT
  {{columns}}
FROM {{relation}}_files AS t
JOIN (
  SELECT submission_id AS submission_id, year AS year, min("$path") AS path
  FROM {{relation}}_files
  GROUP BY submission_id, year
) AS pick
  ON pick.submission_id = t.submission_id
  AND pick.year = t.year
  AND pick.path = t."$path"
