// Every view must run unchanged on Athena (Trino, engine v3) and DuckDB (sql/README.md, the portability rules).
// node-sql-parser's Trino dialect is only a coarse guard, so it is paired with a banned-syntax list; the golden
// tests run every view on DuckDB.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ANALYST_VIEWS,
  RESTRICTED_VIEWS,
  SQL_DIR,
  viewFiles,
} from '@scorecard/functions/warehouse/duckdb-warehouse.ts';
import pkg from 'node-sql-parser';
import { describe, expect, it } from 'vitest';

const { Parser } = pkg as unknown as {
  Parser: new () => { astify(sql: string, opt: { database: string }): unknown };
};

const views = viewFiles();

/** The SQL with comments and string literals blanked, lower-cased: what the banned-syntax checks look at. */
function code(sql: string): string {
  return sql
    .replace(/--[^\n]*/g, '')
    .replace(/'(?:[^']|'')*'/g, "''")
    .toLowerCase();
}

const BANNED: [RegExp, string][] = [
  [/::/, "'::' cast (use CAST(x AS type))"],
  [/\bqualify\b/, 'QUALIFY'],
  [/\bilike\b/, 'ILIKE'],
  [/\bexclude\b/, 'EXCLUDE'],
  [/group\s+by\s+all\b/, 'GROUP BY ALL'],
  [/order\s+by\s+all\b/, 'ORDER BY ALL'],
  [/\/\//, "'//' integer division"],
  [/`/, 'backticks'],
  [/\bgreatest\s*\(/, 'greatest() (NULL semantics differ)'],
  [/\bleast\s*\(/, 'least() (NULL semantics differ)'],
  [/\bconcat\s*\(/, 'concat() (NULL semantics differ)'],
  [/\blimit\b/, 'LIMIT in a view'],
  [/\bdate_trunc\s*\(/, 'date_trunc (DATE vs TIMESTAMP)'],
  [/\bdate_diff\s*\(\s*'(?!day')/, "date_diff other than 'day'"],
  [/\bdatediff\s*\(/, 'datediff'],
  [/\bat\s+time\s+zone\b/, 'time-zone arithmetic (computed in TypeScript instead)'],
  [/\binterval\b/, 'interval arithmetic'],
  [
    /\b(now|current_date|current_timestamp|localtimestamp|today)\b/,
    'the wall clock (views read params.as_of)',
  ],
  [/\bapprox_/, 'approximate functions'],
  [/\b(list|struct|map)_[a-z_]*\s*\(/, 'DuckDB nested-type functions'],
  [/\bread_[a-z_]*\s*\(/, 'file readers (engine-specific: sql/tables/ only)'],
  [/\bstrftime\s*\(|\bstrptime\s*\(/, 'strftime/strptime'],
  [/\bif\s*\(/, 'if() (use CASE)'],
  [/\biif\s*\(/, 'iif()'],
  [/\bifnull\s*\(|\bnvl\s*\(/, 'ifnull/nvl (use coalesce)'],
  [/\busing\s*\(/, 'JOIN … USING'],
  [/\bnatural\s+join\b/, 'NATURAL JOIN'],
  [/\bpositional\s+join\b|\basof\s+join\b/, 'DuckDB-only joins'],
  [/\bunion\s+by\s+name\b/, 'UNION BY NAME'],
  [/"/, 'quoted identifiers (use lowercase names)'],
];

describe('view files', () => {
  it('are numbered, one view per file, and define every view of the contract', () => {
    const files = readdirSync(join(SQL_DIR, 'views')).filter((f) => f.endsWith('.sql'));
    expect(files.every((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))).toBe(true);
    for (const v of views) {
      expect(v.file, 'file named after its view').toBe(`${v.file.slice(0, 3)}_${v.name}.sql`);
      expect((code(v.sql).match(/create\s+or\s+replace\s+view/g) ?? []).length, v.file).toBe(1);
    }
    const names = views.map((v) => v.name);
    for (const v of [...ANALYST_VIEWS, ...RESTRICTED_VIEWS]) expect(names).toContain(v);
  });

  it('only cadre_gaps reads the restricted table', () => {
    for (const v of views) {
      const reads = /\brestricted_/.test(code(v.sql));
      expect(reads, v.file).toBe(v.name === 'cadre_gaps');
    }
  });

  it('engine-specific SQL (read_parquet, {{root}}) lives only in sql/tables/duckdb/', () => {
    for (const v of views) expect(v.sql.includes('{{'), v.file).toBe(false);
    const tables = readdirSync(join(SQL_DIR, 'tables', 'duckdb'));
    for (const t of tables)
      expect(readFileSync(join(SQL_DIR, 'tables', 'duckdb', t), 'utf8')).toContain(
        "hive_types = {'year': INTEGER}",
      );
  });
});

/** Every portability problem in one view's SQL (empty: none). Exercised on a known-bad sample below. */
function violations(original: string): string[] {
  const sql = code(original);
  const out = BANNED.filter(([re]) => re.test(sql)).map(([, what]) => what);
  // never divide integers: every division has a DOUBLE operand on its line
  for (const l of sql.split('\n').filter((x) => /[^/]\/[^/]/.test(x))) {
    if (!/as double|_pct|weight_/.test(l)) out.push(`integer division? ${l.trim()}`);
  }
  // every sum() cast explicitly (sum(int) is BIGINT on Trino, HUGEINT on DuckDB)
  for (const m of sql.match(/(cast\(\s*)?\bsum\s*\(/g) ?? [])
    if (!m.startsWith('cast(')) out.push('sum() without CAST');
  // ORDER BY only inside a window, always NULLS LAST
  const windowOrders = [...sql.matchAll(/order\s+by[^)]*\)/g)];
  for (const m of windowOrders) {
    const before = sql.slice(Math.max(0, (m.index ?? 0) - 200), m.index);
    if (!/over\s*\([^)]*$/.test(before)) out.push(`ORDER BY outside a window: ${m[0]}`);
    if (!/nulls last/.test(m[0])) out.push(`window ORDER BY without NULLS LAST: ${m[0]}`);
  }
  if ((sql.match(/order\s+by/g) ?? []).length !== windowOrders.length) out.push('ORDER BY in a view');
  // AS always: "from t x" / "join t x", and "x.col alias," in a select list
  const reserved = 'as|on|where|cross|left|inner|join|group|union|order';
  for (const m of sql.match(
    new RegExp(`\\b(from|join)\\s+[a-z_][a-z0-9_]*\\s+(?!(${reserved})\\b)[a-z_][a-z0-9_]*`, 'g'),
  ) ?? []) {
    out.push(`alias without AS: ${m}`);
  }
  const ops = 'as|and|or|then|else|end|when|is|in|not|from|on|desc|asc|nulls|between|like';
  for (const m of sql.match(new RegExp(`\\b[a-z_]+\\.[a-z_]+\\s+(?!(${ops})\\b)[a-z_]+\\s*,`, 'g')) ?? [])
    out.push(`alias without AS: ${m}`);
  // lower case apart from CAST and the type names
  const upper = original
    .replace(/--[^\n]*/g, '')
    .replace(/'(?:[^']|'')*'/g, "''")
    .replace(/\bCAST\(/g, '')
    .replace(/\bAS (BIGINT|DOUBLE|VARCHAR|BOOLEAN|INTEGER|TIMESTAMP|DATE)\b/g, '')
    .match(/[A-Z]+/g);
  if (upper) out.push(`upper case: ${upper.join(' ')}`);
  return out;
}

describe.each(views.map((v) => [v.file, v] as const))('%s', (_file, v) => {
  it('parses as Trino (node-sql-parser)', () => {
    expect(() => new Parser().astify(v.sql, { database: 'trino' })).not.toThrow();
  });

  it('obeys the portability rules (banned syntax, casts, divisions, ordering, aliases, case)', () => {
    expect(violations(v.sql)).toEqual([]);
  });
});

describe('the portability checks', () => {
  it('catch each kind of violation in a bad sample', () => {
    const bad = [
      'create or replace view bad as',
      'select x::int as a, greatest(a, b) as g, n / d as ratio, sum(n) as total,',
      "  concat(a, 'x') as c, date_trunc('month', t) as m, now() as t0, t.col alias,",
      '  row_number() over (partition by a order by b) as rn',
      'from base t qualify rn = 1 order by a limit 5',
    ].join('\n');
    const found = violations(bad).join(' | ');
    for (const what of [
      '::',
      'greatest',
      'integer division',
      'sum() without CAST',
      'concat',
      'date_trunc',
      'wall clock',
      'NULLS LAST',
      'ORDER BY in a view',
      'LIMIT',
      'QUALIFY',
      'alias without AS: from base t',
      'alias without AS: t.col alias',
    ]) {
      expect(found).toContain(what);
    }
  });
});
