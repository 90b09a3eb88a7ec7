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
import { referenceTables } from '../warehouse/reference-tables.ts';
import { valuesQuery } from './athena-reference-views.ts';
import { loadViewFiles, stripLeadingComments, viewQuery } from './view-files.ts';

/** The reference relations that move with the as-of instant (every other one is static). */
export const AS_OF_RELATIONS = ['params', 'plan_years'] as const;

export interface InlineView {
  name: string;
  /** The view's query (no CREATE header, no terminator). */
  query: string;
}

/** The SQL with comments blanked and string literals emptied: where relation names are looked for. */
function withoutCommentsAndStrings(sql: string): string {
  return sql.replace(/'(?:[^']|'')*'|--[^\n]*|\/\*[\s\S]*?\*\//g, (m) => (m.startsWith("'") ? "''" : ' '));
}

function mentions(code: string, name: string): boolean {
  return new RegExp(`(^|[^A-Za-z0-9_])"?${name}"?($|[^A-Za-z0-9_])`, 'i').test(code);
}

/** The names a query's own top-level WITH defines (after `WITH`), e.g. `a`, `b` in `WITH a AS (…), b (x) AS (…)`. */
function ownCteNames(afterWith: string): string[] {
  const code = withoutCommentsAndStrings(afterWith).replace(/"(?:[^"]|"")*"/g, (m) => m.toLowerCase());
  const names: string[] = [];
  let depth = 0;
  let expectName = true;
  for (let i = 0; i < code.length; i++) {
    const ch = code[i] as string;
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (depth === 0 && ch === ',') expectName = true;
    else if (depth === 0 && expectName && /[A-Za-z_"]/.test(ch)) {
      const m = /^"?([A-Za-z_][A-Za-z0-9_]*)"?/.exec(code.slice(i));
      if (m?.[1]) names.push(m[1].toLowerCase());
      i += (m?.[0].length ?? 1) - 1;
      expectName = false;
    } else if (depth === 0 && !expectName && /^\)?\s*select\b/i.test(code.slice(i))) {
      break; // the main query: the WITH list is over
    }
  }
  return names;
}

export class AsOfViews {
  /** Inlinable relations in creation order: the as-of reference relations, then the view files. */
  private readonly order: string[];
  private readonly bodies = new Map<string, string>();
  private readonly deps = new Map<string, string[]>();

  constructor(
    views: readonly InlineView[],
    private readonly plan: Plan,
  ) {
    this.order = [...AS_OF_RELATIONS, ...views.map((v) => v.name)];
    if (new Set(this.order).size !== this.order.length) throw new Error('as-of views: duplicate view name');
    for (const v of views) this.bodies.set(v.name, v.query);
    // A view reads only relations created before it (numbered order); the literal params/plan_years read none.
    this.order.forEach((name, i) => {
      const body = this.bodies.get(name);
      const code = body === undefined ? '' : withoutCommentsAndStrings(body);
      this.deps.set(
        name,
        body === undefined ? [] : this.order.slice(0, i).filter((earlier) => mentions(code, earlier)),
      );
    });
  }

  /** From a folder of view files (sql/views), exactly as the deploy-time DDL reads them. */
  static fromDir(dir: string, plan: Plan): AsOfViews {
    return new AsOfViews(
      loadViewFiles(dir).map((v) => ({ name: v.name, query: viewQuery(v) })),
      plan,
    );
  }

  /** The view names, in creation order (without params and plan_years). */
  get viewNames(): string[] {
    return this.order.filter((n) => !(AS_OF_RELATIONS as readonly string[]).includes(n));
  }

  /** The relations a query reads directly or through other views, in creation order. */
  chain(sql: string, exclude: readonly string[] = []): string[] {
    const code = withoutCommentsAndStrings(sql);
    const needed = new Set(this.order.filter((n) => !exclude.includes(n) && mentions(code, n)));
    for (const name of [...this.order].reverse()) {
      if (needed.has(name)) for (const d of this.deps.get(name) ?? []) needed.add(d);
    }
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
    const rest = withClause ? head.slice(withClause[0].length) : '';
    const own = withClause ? ownCteNames(rest) : [];
    const names = this.chain(sql, own);
    const clash = names.filter((n) => own.includes(n));
    if (clash.length > 0) throw new Error(`as-of views: the query's own WITH redefines ${clash.join(', ')}`);
    if (names.length === 0) return sql;
    const ctes = this.definitions(names, asOf).join(',\n');
    // One WITH list: a query that has its own WITH continues ours (Trino allows no second WITH at the top).
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
