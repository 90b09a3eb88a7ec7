// A meeting pack "as of" a past instant, on Athena. The catalog's views read `params`, whose as_of is
// current_timestamp (athena-reference-views.ts): right for the marts refresh, wrong for a pack regenerated
// later, which must see exactly the submissions received up to its own as-of. Locally the DuckDB warehouse
// loads `params` for the as-of; on Athena nothing is created per pack. Instead each query the pack sends is
// rewritten into ONE query that carries its own view chain:
//
//   WITH params AS (SELECT … TIMESTAMP '<as-of>' …), plan_years AS (…the years up to the as-of year…),
//        base_submissions AS (<sql/views/010 body>), submissions AS (<020 body>), …   -- only what it reads
//   <the query>
//
// A WITH name shadows the catalog relation of the same name (Trino and DuckDB alike), so every view the query
// reads, directly or through another view, is evaluated from the same sql/views text the deploy-time DDL
// was made from, over `params` at the pack's as-of. The base relations (curated_*, read rule included) and the
// static reference views (ref_communes, plan_kpis, …) do not move with time and stay in the catalog.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Plan } from '@scorecard/data-contracts';
import type { QueryOptions, SqlEngine, SqlResult } from '../ports/sql-engine.ts';
import { valuesQuery } from './athena-reference-views.ts';
import { referenceTables } from './reference-tables.ts';
import { SqlCatalogue, stripLeadingComments } from './sql-catalogue.ts';
import { cteName, parseSql, relationsRead } from './sql-parse.ts';

/** The reference relations that move with the as-of instant (every other one is static). */
const AS_OF_RELATIONS = ['params', 'plan_years'] as const;

/** The names a parsed statement's own top-level WITH defines (those ours must not collide with), lower-cased. */
function topLevelCteNames(ast: unknown): string[] {
  const root = (Array.isArray(ast) ? ast[0] : ast) as { with?: unknown } | undefined;
  const list = Array.isArray(root?.with) ? (root.with as { name?: { value?: unknown } | string }[]) : [];
  return list.map(cteName).filter((n): n is string => n !== null);
}

export class AsOfViews {
  /** Inlinable relations in creation order: the as-of reference relations, then the catalogue's views. */
  private readonly order: string[];
  private readonly bodies = new Map<string, string>();
  /** What each inlinable relation reads among the inlinable ones (from the catalogue's parsed graph). */
  private readonly deps = new Map<string, string[]>();

  constructor(
    catalogue: SqlCatalogue,
    private readonly plan: Plan,
  ) {
    this.order = [...AS_OF_RELATIONS, ...catalogue.names];
    if (new Set(this.order).size !== this.order.length)
      throw new Error('as-of views: a view is named params or plan_years');
    for (const name of AS_OF_RELATIONS) this.deps.set(name, []);
    for (const v of catalogue.views) {
      this.bodies.set(v.name, v.query);
      this.deps.set(
        v.name,
        v.reads.filter((r) => this.order.includes(r)),
      );
    }
  }

  /** From a folder of view files (sql/views), exactly as the deploy-time DDL reads them. */
  static fromDir(dir: string, plan: Plan): AsOfViews {
    return new AsOfViews(SqlCatalogue.load(dir), plan);
  }

  /** The view names, in creation order (without params and plan_years). */
  get viewNames(): string[] {
    return this.order.filter((n) => !(AS_OF_RELATIONS as readonly string[]).includes(n));
  }

  /** The relations a query reads directly or through other views, in creation order (the query is parsed). */
  chain(sql: string): string[] {
    const reads = relationsRead(sql);
    if (!reads) throw new Error('as-of views: the query does not parse');
    const needed = new Set<string>();
    const visit = (name: string) => {
      if (needed.has(name) || !this.deps.has(name)) return;
      needed.add(name);
      for (const d of this.deps.get(name) ?? []) visit(d);
    };
    for (const r of reads) visit(r);
    return this.order.filter((n) => needed.has(n));
  }

  /** The `name AS (…)` definitions of the as-of relations and views for one instant. */
  private definitions(names: readonly string[], asOf: Date): string[] {
    const refs = new Map(
      referenceTables({ plan: this.plan, communes: [], asOf })
        .filter((t) => (AS_OF_RELATIONS as readonly string[]).includes(t.name))
        .map((t) => [t.name, valuesQuery(t)]),
    );
    return names.map((n) => `${n} AS (\n${this.bodies.get(n) ?? refs.get(n)}\n)`);
  }

  /** `sql` as one query that evaluates every view it reads at `asOf` (unchanged if it reads none). */
  inline(sql: string, asOf: Date): string {
    if (Number.isNaN(asOf.getTime())) throw new Error('as-of views: as-of is not an instant');
    const head = stripLeadingComments(sql);
    const withClause = /^with\s+/i.exec(head);
    if (withClause && /^recursive\b/i.test(head.slice(withClause[0].length)))
      throw new Error('as-of views: WITH RECURSIVE is not supported');
    const parsed = parseSql(sql);
    if (!parsed) throw new Error('as-of views: the query does not parse');
    const own = topLevelCteNames(parsed.ast);
    const names = this.chain(sql);
    const clash = names.filter((n) => own.includes(n));
    if (clash.length > 0) throw new Error(`as-of views: the query's own WITH redefines ${clash.join(', ')}`);
    if (names.length === 0) return sql;
    const ctes = this.definitions(names, asOf).join(',\n');
    // One WITH list: a query that has its own WITH continues ours (Trino allows no second WITH at the top).
    const rest = withClause ? head.slice(withClause[0].length) : '';
    return withClause ? `WITH\n${ctes},\n${rest}` : `WITH\n${ctes}\n${sql}`;
  }
}

/** A SqlEngine whose every query sees the views at one as-of instant (see the header). */
export class AsOfEngine implements SqlEngine {
  constructor(
    private readonly inner: SqlEngine,
    private readonly views: AsOfViews,
    readonly asOf: Date,
  ) {}

  query(sql: string, options?: QueryOptions): Promise<SqlResult & { truncated: boolean }> {
    return this.inner.query(this.views.inline(sql, this.asOf), options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/**
 * Where the view files are: beside the bundle in Lambda (ScorecardFunction's `sqlViewsDir` copies them to
 * sql/views/ at synth, from the same folder the deploy-time DDL was made from), the repository's sql/views
 * when run from source. SQL_VIEWS_DIR overrides both.
 */
export function sqlViewsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SQL_VIEWS_DIR) return env.SQL_VIEWS_DIR;
  for (const rel of ['./sql/views/', '../../../sql/views/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(dir)) return dir;
  }
  throw new Error('as-of views: no sql/views folder beside the code (set SQL_VIEWS_DIR)');
}
