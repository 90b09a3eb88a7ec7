// The reference and plan tables the views read (params, ref_communes, plan_*), on Athena. Locally the DuckDB
// adapter loads them into memory from warehouse/reference-tables.ts; on Athena the same rows become views over
// VALUES, created by the deploy-time custom resource before the sql/views files. Only `params` (the as-of
// instant) and `plan_years` (the years up to it) move with time: on Athena they are computed from
// current_timestamp, so the marts refresh always sees "now" — in the plan's zone, as the DuckDB side does.
import type { Commune, Plan } from '@scorecard/data-contracts';
import { type RefColumnType, type RefTable, type RefValue, referenceTables } from './reference-tables.ts';

const ATHENA_TYPE: Record<RefColumnType, string> = {
  VARCHAR: 'varchar',
  INTEGER: 'integer',
  DOUBLE: 'double',
  BOOLEAN: 'boolean',
  TIMESTAMP: 'timestamp(3)',
};

/** A typed Trino literal: every value cast, so an all-NULL column or an integer-looking double keeps its type. */
function literal(v: RefValue, type: RefColumnType): string {
  const t = ATHENA_TYPE[type];
  if (v === null) return `CAST(NULL AS ${t})`;
  if (v instanceof Date) return `TIMESTAMP '${v.toISOString().replace('T', ' ').replace('Z', '')}'`;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`reference value is not finite: ${v}`);
    return `CAST(${v} AS ${t})`;
  }
  return `CAST('${v.replace(/'/g, "''")}' AS ${t})`;
}

const quoted = (name: string) => `"${name}"`;

/** SELECT over the table's rows (an empty table still has its typed columns). */
export function valuesQuery(table: RefTable): string {
  if (table.rows.length === 0) {
    return `SELECT ${table.columns.map((c) => `CAST(NULL AS ${ATHENA_TYPE[c.type]}) AS ${quoted(c.name)}`).join(', ')} WHERE false`;
  }
  const rows = table.rows.map(
    (r) => `(${r.map((v, i) => literal(v, (table.columns[i] as { type: RefColumnType }).type)).join(', ')})`,
  );
  return `SELECT * FROM (VALUES\n  ${rows.join(',\n  ')}\n) AS t(${table.columns.map((c) => quoted(c.name)).join(', ')})`;
}

/** The CREATE OR REPLACE VIEW statements, in dependency order (params first: plan_years reads it). */
export function referenceViewStatements(
  plan: Plan,
  communes: readonly Commune[],
): { name: string; ddl: string }[] {
  // Any instant after the plan's last year: every plan year present; params and plan_years are replaced below.
  const lastYear = Math.max(...plan.years);
  const tables = referenceTables({ plan, communes, asOf: new Date(Date.UTC(lastYear + 1, 6, 1)) });
  const out: { name: string; ddl: string }[] = [];
  const params = tables.find((t) => t.name === 'params');
  if (!params) throw new Error('reference tables: params missing');
  const zone = plan.timezone.replace(/'/g, "''");
  out.push({
    name: 'params',
    ddl: `CREATE OR REPLACE VIEW params AS
SELECT
  CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(3)) AS as_of,
  CAST(year(current_timestamp AT TIME ZONE '${zone}') AS integer) AS as_of_year,
  ${literal(plan.plan_id, 'VARCHAR')} AS plan_id,
  ${literal(plan.version, 'VARCHAR')} AS plan_version`,
  });
  for (const t of tables) {
    if (t.name === 'params') continue;
    const query =
      t.name === 'plan_years'
        ? `SELECT y.* FROM (${valuesQuery(t)}) AS y CROSS JOIN params AS p WHERE y."year" <= p.as_of_year`
        : valuesQuery(t);
    out.push({ name: t.name, ddl: `CREATE OR REPLACE VIEW ${t.name} AS\n${query}` });
  }
  return out;
}
