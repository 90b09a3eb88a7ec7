-- How DuckDB sees one stored table: the store prefix {{prefix}}/year=Y/*.parquet becomes the relation
-- {{relation}} (columns: TABLES in data-contracts/src/parquet.ts, plus the hive partition `year`; hive_types keeps
-- it INTEGER like the Glue `int` column). The adapter (functions/src/warehouse/duckdb-warehouse.ts) fills in
-- {{relation}}, {{prefix}} and {{root}} (the data folder, quoted) for each of curated_submissions, curated_voids,
-- curated_reports, curated_staffing, curated_initiatives, curated_cadres and restricted_cadre_identity (staff
-- codes and position titles: only the restricted view cadre_gaps reads it; the analysts' engine never loads it).
--
-- THE READ RULE (functions/src/compaction/compact.ts): a submission's rows may sit in its own file
-- <submission_id>.parquet and/or in compacted part-<run>.parquet files (while compaction runs, after a crash,
-- before the sweep); every file holds all of a submission's rows for this table or none. Per submission_id
-- only the rows of the file whose path sorts first are kept, so every row is seen exactly once. Athena applies
-- the same rule in its own syntax (sql/tables/athena/base_relation.sql).
--
-- Loaded into memory at each reload, commit markers first (a submission committed mid-reload is wholly visible
-- or not at all). With no files yet the adapter creates an empty relation of the same columns instead
-- (read_parquet fails on an empty glob).
create or replace table {{relation}} as
with f as (
  select *
  from read_parquet('{{root}}/{{prefix}}/**/*.parquet', hive_partitioning = true, hive_types = {'year': INTEGER}, union_by_name = true, filename = true)
),
pick as (
  select submission_id, min(filename) as filename
  from f
  group by submission_id
)
select f.* exclude (filename)
from f
semi join pick
  on pick.submission_id = f.submission_id
  and pick.filename = f.filename
