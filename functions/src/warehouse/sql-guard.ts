// The analysts' SQL guard (docs/interfaces.md: POST /sql and `npm run sql -- --as analyst`): exactly one read-only
// SELECT (or WITH … SELECT) over the analysts' views, nothing else. It fails closed: SQL the parser cannot
// read is rejected, never passed through. Engine-neutral (it also fronts Athena, where it is the only SQL-level
// check); the DuckDB adapter adds an engine-level check and runs analysts on a hardened database that holds
// the analysts' views and nothing else (defence in depth).
//
// Names are resolved by scope, as the engine resolves them: a CTE is visible in the statement that defines it
// (its later CTEs, its body, its set operations and subqueries), never outside it; every other relation must be
// an analysts' view. A CTE may not be named like any catalogue object (views.ts CATALOGUE_NAMES, the engines'
// system relations), so no CTE can stand in for one wherever the scoping of a parser and an engine differ.
import { LIMITS } from '@scorecard/data-contracts';
import { cteName, cteNamesIn, parseSql, walkAst } from './sql-parse.ts';
import { CATALOGUE_NAMES } from './views.ts';

export type GuardResult = { ok: true } | { ok: false; code: 'sql_rejected'; detail: string };

/**
 * Functions that reach outside the views (files, the environment, the catalogue, settings) or that only exist
 * to do so. Matched by name, case-insensitively, anywhere in the statement.
 */
const FORBIDDEN_FUNCTION = [
  /^read_/,
  /_scan$/,
  /^glob$/,
  /^getenv$/,
  /^current_setting$/,
  /^query$/,
  /^query_table$/,
  /^duckdb_/,
  /^pragma_/,
  /^sniff_csv$/,
  /^parquet_/,
  /^iceberg_/,
  /^delta_/,
  /^sqlite_/,
  /^postgres_/,
  /^mysql_/,
  /^system\./,
  /^load_/,
  /^enable_/,
  /^disable_/,
  // Functions that build a value of a size the statement chooses (a string or a list of a billion items): the
  // engine allocates those outside its memory limit, so they could take the server's memory with one row.
  /^repeat$/,
  /^lpad$/,
  /^rpad$/,
  /^space$/,
  /^range$/,
  /^generate_series$/,
  /^(list|array)_(resize|fill|repeat)$/,
  /^unnest$/,
];

/** Statement keywords that must never appear as words outside string literals and quoted identifiers. */
const FORBIDDEN_KEYWORDS = [
  'copy',
  'attach',
  'detach',
  'install',
  'load',
  'pragma',
  'set',
  'reset',
  'call',
  'export',
  'import',
  'checkpoint',
  'vacuum',
  'insert',
  'update',
  'delete',
  'merge',
  'create',
  'drop',
  'alter',
  'truncate',
  'grant',
  'revoke',
  'use',
  'prepare',
  'execute',
  'deallocate',
  'unload',
  // A recursive CTE can double a value at every step: its memory grows outside what the engine bounds.
  'recursive',
];

/** The SQL text with string literals, quoted identifiers and comments blanked (so words in them never match). */
function codeOnly(sql: string): string {
  return sql
    .replace(/'(?:[^']|'')*'/g, "''")
    .replace(/"(?:[^"]|"")*"/g, (m) => (m === '""' ? m : `"${'x'.repeat(Math.max(0, m.length - 2))}"`))
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ');
}

function functionName(node: Record<string, unknown>): string | null {
  const name = node.name;
  if (typeof name === 'string') return name;
  if (name && typeof name === 'object') {
    const parts = (name as { name?: { value?: unknown }[] }).name;
    if (Array.isArray(parts)) return parts.map((p) => String(p?.value ?? '')).join('.');
  }
  return null;
}

/** Walks the parsed statement; returns the first problem found, or null. */
function inspect(ast: unknown, cteNames: Set<string>): string | null {
  for (const name of cteNamesIn(ast)) cteNames.add(name);
  const problem = walkAst(ast, (n) => {
    if (n.type === 'function' || n.type === 'aggr_func' || n.type === 'window_func') {
      const fn = functionName(n)?.toLowerCase();
      if (fn && FORBIDDEN_FUNCTION.some((re) => re.test(fn))) return `function ${fn} is not allowed`;
    }
    if (Array.isArray(n.from)) {
      for (const item of n.from as Record<string, unknown>[]) {
        // A FROM item that is an expression other than a sub-query is a table function (read_csv(...), …).
        const expr = item?.expr as Record<string, unknown> | undefined;
        if (
          expr &&
          typeof expr === 'object' &&
          !('ast' in expr) &&
          expr.type !== 'select' &&
          expr.type !== 'values'
        ) {
          return 'table functions are not allowed';
        }
      }
    }
    return undefined;
  });
  return problem ?? null;
}

/** System relations of DuckDB and Trino a bare name can reach (information_schema views, pg_catalog, …). */
const SYSTEM_RELATION =
  /^(duckdb_|pg_|sqlite_|pragma_|information_schema$|system$|main$|temp$|memory$|tables$|columns$|schemata$|views$)/;

type Scope = readonly ReadonlySet<string>[];

const inScope = (name: string, scopes: Scope) => scopes.some((s) => s.has(name));

/**
 * Resolves every relation reference of the statement in its scope. Returns the first problem, or null.
 * `allowed`: the analysts' views; `reserved`: names no CTE may take.
 */
function resolveScopes(
  root: unknown,
  allowed: ReadonlySet<string>,
  reserved: ReadonlySet<string>,
): string | null {
  const walk = (value: unknown, scopes: Scope): string | null => {
    if (Array.isArray(value)) {
      for (const v of value) {
        const p = walk(v, scopes);
        if (p) return p;
      }
      return null;
    }
    if (!value || typeof value !== 'object') return null;
    const n = value as Record<string, unknown>;
    if (n.type === 'select') return select(n, scopes);
    for (const v of Object.values(n)) {
      const p = walk(v, scopes);
      if (p) return p;
    }
    return null;
  };
  const select = (sel: Record<string, unknown>, outer: Scope): string | null => {
    const names = new Set<string>();
    const scopes: Scope = [...outer, names];
    const withList = Array.isArray(sel.with) ? (sel.with as Record<string, unknown>[]) : [];
    for (const w of withList) {
      const name = cteName(w as { name?: { value?: unknown } | string });
      if (name === null) return 'a CTE without a readable name';
      if (allowed.has(name) || reserved.has(name) || SYSTEM_RELATION.test(name))
        return `a CTE may not be named like a catalogue object: ${name}`;
      if (names.has(name)) return `CTE ${name} is defined twice`;
      // A CTE's body sees the CTEs before it (and itself, when recursive), not the ones after it.
      if (w.recursive === true || (sel.with as { recursive?: boolean }).recursive === true) names.add(name);
      const p = walk(w.stmt, scopes);
      if (p) return p;
      names.add(name);
    }
    for (const [key, v] of Object.entries(sel)) {
      if (key === 'with') continue;
      if (key === 'from' && Array.isArray(v)) {
        for (const item of v as Record<string, unknown>[]) {
          if (item && typeof item.table === 'string' && item.expr === undefined) {
            const name = item.table.toLowerCase();
            if (item.db !== null && item.db !== undefined)
              return `qualified names are not allowed: ${String(item.db)}.${name}`;
            if (!inScope(name, scopes) && !allowed.has(name))
              return `unknown or restricted relation: ${name}`;
          }
          const p = walk(item, scopes);
          if (p) return p;
        }
        continue;
      }
      // A parenthesised SELECT's own CTEs do not reach the set operation that follows it.
      const p = walk(v, key === '_next' && sel.parentheses === true ? outer : scopes);
      if (p) return p;
    }
    return null;
  };
  return walk(root, []);
}

/**
 * Checks one analyst statement. `allowedViews` is the analysts' view list (ANALYST_VIEWS of the warehouse).
 * Accepts exactly one SELECT/WITH statement whose every table reference is an allowed view (or one of its own
 * CTEs), with no table functions and no statement keywords beyond reading.
 */
export function guardAnalystSql(
  sql: string,
  allowedViews: readonly string[],
  reserved: readonly string[] = CATALOGUE_NAMES,
): GuardResult {
  const reject = (detail: string): GuardResult => ({ ok: false, code: 'sql_rejected', detail });
  // Bounded before anything reads it: the parser's time grows with the text.
  if (sql.length > LIMITS.sqlMaxTextChars)
    return reject(`the statement is longer than ${LIMITS.sqlMaxTextChars} characters`);
  const text = sql.trim().replace(/;\s*$/, '');
  if (text === '') return reject('empty statement');
  if (text.includes(';')) {
    const code = codeOnly(text);
    if (code.includes(';')) return reject('exactly one statement is allowed');
  }
  const code = codeOnly(text).toLowerCase();
  if (!/^\s*(\(\s*)*(select|with)\b/.test(code)) return reject('only SELECT (or WITH … SELECT) is allowed');
  for (const kw of FORBIDDEN_KEYWORDS) {
    if (new RegExp(`\\b${kw}\\b`).test(code)) return reject(`${kw.toUpperCase()} is not allowed`);
  }
  if (/::/.test(code)) return reject("'::' casts are not portable: use CAST(x AS type)");
  const parsed = parseSql(text);
  if (!parsed) return reject('the statement could not be parsed');
  const asts = Array.isArray(parsed.ast) ? parsed.ast : [parsed.ast];
  if (asts.length !== 1) return reject('exactly one statement is allowed');
  const root = asts[0] as Record<string, unknown> | undefined;
  if (root?.type !== 'select') return reject('only SELECT (or WITH … SELECT) is allowed');
  const cteNames = new Set<string>();
  const problem = inspect(root, cteNames);
  if (problem) return reject(problem);
  const allowed = new Set(allowedViews.map((v) => v.toLowerCase()));
  const scoped = resolveScopes(root, allowed, new Set(reserved.map((r) => r.toLowerCase())));
  if (scoped) return reject(scoped);
  // Fail closed on what the scope walk may not have met: every relation the parser listed must still be an
  // analysts' view or a CTE of the statement.
  for (const entry of parsed.tableList) {
    const [kind, db, table] = entry.split('::');
    if (kind !== 'select') return reject('only reading is allowed');
    const name = (table ?? '').toLowerCase();
    if (db !== 'null' && db !== undefined) return reject(`qualified names are not allowed: ${db}.${name}`);
    if (!allowed.has(name) && !cteNames.has(name)) return reject(`unknown or restricted relation: ${name}`);
  }
  return { ok: true };
}
