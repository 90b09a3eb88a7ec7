-- How DuckDB sees restricted/cadre_identity/year=Y/<submission_id>.parquet: staff codes and position titles,
-- which identify people. Only the restricted view cadre_gaps reads it; the analysts' engine never loads it.
-- {{root}} is the data folder, substituted (quoted) by the adapter; with no files yet the adapter creates an
-- empty relation of the same columns (TABLES.cadre_identity) instead.
create or replace table restricted_cadre_identity as
select *
from read_parquet('{{root}}/restricted/cadre_identity/**/*.parquet', hive_partitioning = true, hive_types = {'year': INTEGER}, union_by_name = true)
