// The read rule of compact.ts, as SQL for the warehouse's base relations: per submission_id, rows come from
// exactly one file — the one whose path sorts first (a per-submission `<uuid>.parquet` before any compacted
// `part-<run>.parquet`). These are the texts proposed for sql/tables/duckdb/<relation>.sql (owned by the
// warehouse) and for the Athena base views over the Glue tables (owned by infra). The compaction tests load
// them through openWarehouse's `sqlDir` option until the warehouse adopts them.
import { TABLE_PREFIX, type TableName } from '@scorecard/data-contracts';

/** DuckDB: the base table for one stored table, reading every file once and keeping each submission's rows from one file. */
export function duckdbBaseTableSql(table: TableName): string {
  const relation = TABLE_PREFIX[table].replace(/\//g, '_');
  return `-- How DuckDB sees store prefix ${TABLE_PREFIX[table]}/year=Y/*.parquet under compaction (functions/src/compaction/compact.ts):
-- a submission's rows may sit in its own file <submission_id>.parquet and/or in compacted part-<run>.parquet
-- files while a compaction runs or after a crash; each file holds all of a submission's rows or none. Per
-- submission_id keep only the rows of the file whose path sorts first, so every row is seen exactly once.
-- hive_types keeps \`year\` INTEGER, like the Glue \`int\` column. {{root}} is substituted by the adapter.
create or replace table ${relation} as
with f as (
  select *
  from read_parquet('{{root}}/${TABLE_PREFIX[table]}/**/*.parquet', hive_partitioning = true, hive_types = {'year': INTEGER}, union_by_name = true, filename = true)
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
`;
}

/**
 * Athena (Trino): the Glue table over the prefix is renamed <relation>_files; the base relation the views
 * read becomes this view ("$path" is the object's S3 path).
 */
export function athenaBaseViewSql(table: TableName, columns: readonly string[]): string {
  const relation = TABLE_PREFIX[table].replace(/\//g, '_');
  const cols = [...columns, 'year'].map((c) => `t.${c} AS ${c}`).join(',\n  ');
  return `CREATE OR REPLACE VIEW ${relation} AS
SELECT
  ${cols}
FROM ${relation}_files AS t
JOIN (
  SELECT submission_id AS submission_id, year AS year, min("$path") AS path
  FROM ${relation}_files
  GROUP BY submission_id, year
) AS pick
  ON pick.submission_id = t.submission_id
  AND pick.year = t.year
  AND pick.path = t."$path"`;
}
