-- How Athena sees one stored table: the Glue table over the store prefix is named {{relation}}_files (columns:
-- TABLES in data-contracts/src/parquet.ts, plus the partition `year`), and the relation the views read is this
-- view over it. infra fills in {{relation}} and {{columns}} (`t.<column> AS <column>`, one per column and `year`)
-- for each stored table at synth (infra/lib/athena-views.ts), through the SQL catalogue
-- (functions/src/warehouse/sql-catalogue.ts).
--
-- THE READ RULE (functions/src/compaction/compact.ts), the twin of sql/tables/duckdb/base_relation.sql in Trino's
-- syntax: per submission_id, only the rows of the file whose path ("$path", the object's S3 path) sorts first are
-- kept — a per-submission <uuid>.parquet before any compacted part-<run>.parquet — so every row is seen once.
-- One scan of the files: the first path per submission is a window over the same rows, not a self-join (every
-- view query expands these base views; a join here doubled the scans of every plan — issue 15, item 8).
CREATE OR REPLACE VIEW {{relation}} AS
SELECT
  {{columns}}
FROM (
  SELECT
    f.*,
    f."$path" AS file_path,
    min(f."$path") OVER (PARTITION BY f.submission_id, f.year) AS first_path
  FROM {{relation}}_files AS f
) AS t
WHERE t.file_path = t.first_path
