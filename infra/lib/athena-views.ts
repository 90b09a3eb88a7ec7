// The SQL views, created on Athena at deploy time from the very files DuckDB runs locally (sql/views/NNN_name.sql,
// numbered in dependency order). The parsing lives with the functions (functions/src/lambda/view-files.ts)
// because the export function needs the same view bodies at run time, to evaluate them at a pack's as-of
// (as-of-views.ts); the stack and the function therefore read the files with one piece of code.
import { TABLES, type TableName } from '@scorecard/data-contracts/parquet.ts';
import { athenaBaseViewSql } from '@scorecard/functions/compaction/reader-sql.ts';
import { glueTableName } from './store-layout.ts';

export {
  athenaViewDdl,
  athenaViewStatements,
  loadViewFiles,
  type ViewFile,
  viewQuery,
} from '@scorecard/functions/lambda/view-files.ts';

/**
 * The base relations the views read (curated_cadres, …, restricted_cadre_identity), as Athena views over the
 * Glue tables `<relation>_files`: compaction's read rule (each submission's rows from exactly one file), the
 * rule DuckDB applies in sql/tables/duckdb/. Created before the sql/views files, which read them.
 */
export function baseViewStatements(): { name: string; ddl: string }[] {
  return (Object.keys(TABLES) as TableName[]).map((t) => ({
    name: glueTableName(t),
    ddl: athenaBaseViewSql(
      t,
      TABLES[t].map((c) => c.name),
    ),
  }));
}
