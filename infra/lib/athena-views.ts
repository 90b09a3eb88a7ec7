// The SQL views, created on Athena at deploy time from the very files DuckDB runs locally (sql/views/NNN_name.sql,
// numbered in dependency order), and the base relations from the Athena read rule (sql/tables/athena/). Both are
// read by the SQL catalogue (functions/src/warehouse/sql-catalogue.ts), which the export function also uses at run
// time to evaluate the views at a pack's as-of (as-of-views.ts): one reader of sql/ for the stack and the code.
import { TABLES, type TableName } from '@scorecard/data-contracts';
import { athenaBaseViewSql } from '@scorecard/functions/warehouse/sql-catalogue.ts';
import { glueTableName } from './store-layout.ts';

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
