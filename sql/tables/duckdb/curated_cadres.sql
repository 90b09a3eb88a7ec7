-- How DuckDB sees store prefix curated/cadres/year=Y/<submission_id>.parquet (columns: TABLES.cadres in
-- data-contracts/src/parquet.ts, plus the hive partition `year`). Loaded into memory at each reload: a
-- consistent snapshot (the commit markers in curated_submissions are read first, so a submission committed
-- mid-reload is either wholly visible or not at all). hive_types keeps `year` INTEGER, like the Glue `int`
-- column. {{root}} is the data folder, substituted (quoted) by the adapter; with no files yet the adapter
-- creates an empty relation of the same columns instead (read_parquet fails on an empty glob).
create or replace table curated_cadres as
select *
from read_parquet('{{root}}/curated/cadres/**/*.parquet', hive_partitioning = true, hive_types = {'year': INTEGER}, union_by_name = true)
