// The read rule of compact.ts, as SQL for Athena's base relations: per submission_id, rows come from exactly
// one file — the one whose path sorts first (a per-submission `<uuid>.parquet` before any compacted
// `part-<run>.parquet`). DuckDB's twin is sql/tables/duckdb/base_relation.sql (same rule, its own syntax).
import { TABLE_PREFIX, type TableName } from '@scorecard/data-contracts';

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
