// Adversarial: the analysts' SQL allow-list (issue 13, item 3). A CTE must unlock its name only where it is in
// scope; a CTE may not shadow a catalogue object; the analysts' database holds the analysts' views and nothing
// else. Variants are generated from the description — hidden names, where the decoy CTE sits (nested
// CTE, derived table, scalar subquery, EXISTS, set operations, parentheses), spellings (case, quoting,
// comments, whitespace) — and run against the guard, then over loopback against the real server.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { COMMUNES, PLAN } from '@scorecard/data-contracts';
import { referenceTables } from '@scorecard/functions/warehouse/reference-tables.ts';
import { guardAnalystSql } from '@scorecard/functions/warehouse/sql-guard.ts';
import {
  ALL_VIEWS,
  ANALYST_VIEWS,
  CATALOGUE_NAMES,
  REFERENCE_TABLES,
} from '@scorecard/functions/warehouse/views.ts';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validSubmission } from '../helpers/fixtures.ts';
import { type TestServer, testServer } from '../helpers/server.ts';

/** Relations an analyst must never read: intermediate views, restricted ones, reference tables, base tables, system. */
const HIDDEN = [
  ...ALL_VIEWS.filter((v) => !(ANALYST_VIEWS as readonly string[]).includes(v)),
  ...REFERENCE_TABLES,
  'curated_cadres',
  'restricted_cadre_identity',
  'curated_submissions',
  'duckdb_settings',
  'duckdb_tables',
  'duckdb_views',
  'pg_tables',
  'sqlite_master',
];

const spelled = (name: string) =>
  fc.constantFrom(name, name.toUpperCase(), name[0]?.toUpperCase() + name.slice(1), `"${name}"`);
const gap = fc.constantFrom(' ', '\n', '\t', ' /* c */ ', ' -- c\n', '  \r\n ');

/** A statement that defines a CTE named `h` somewhere and reads `h` where that CTE is not in scope. */
const outOfScope = fc
  .tuple(fc.constantFrom(...HIDDEN), gap, fc.integer({ min: 0, max: 7 }), fc.constantFrom(...ANALYST_VIEWS))
  .chain(([h, g, shape, view]) =>
    spelled(h).map((H) => {
      const decoy = `WITH${g}${H}${g}AS${g}(SELECT 1 AS a)${g}SELECT a FROM ${H}`;
      switch (shape) {
        case 0:
          return `WITH w AS (${decoy}) SELECT * FROM ${H}`;
        case 1:
          return `SELECT * FROM (${decoy}) AS s,${g}${H}`;
        case 2:
          return `SELECT (SELECT count(*) FROM (${decoy}) AS t) AS n FROM ${H}`;
        case 3:
          return `SELECT * FROM ${H} WHERE EXISTS (${decoy})`;
        case 4:
          return `(${decoy}) UNION ALL SELECT * FROM ${H}`;
        case 5:
          return `SELECT * FROM ${view} JOIN (${decoy}) AS d ON true JOIN ${H} ON true`;
        case 6:
          return `WITH a1 AS (SELECT * FROM ${view}), a2 AS (${decoy}) SELECT * FROM ${H}`;
        default:
          return `SELECT * FROM ${view} WHERE 1 IN (SELECT 1 FROM (${decoy}) AS z) OR 1 IN (SELECT 1 FROM ${H})`;
      }
    }),
  );

/** A CTE named like a catalogue object, even when used only inside its own scope. */
const shadowing = fc
  .tuple(fc.constantFrom(...CATALOGUE_NAMES, ...ANALYST_VIEWS, 'duckdb_settings', 'information_schema'), gap)
  .chain(([name, g]) =>
    spelled(name).map((N) => `WITH${g}${N}${g}AS (SELECT * FROM communes) SELECT * FROM ${N}`),
  );

describe('guard: names resolve by scope', () => {
  it('a CTE never unlocks a hidden relation outside its scope (generated)', () => {
    fc.assert(
      fc.property(outOfScope, (sql) => {
        const r = guardAnalystSql(sql, ANALYST_VIEWS);
        expect(r.ok, sql).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('a CTE may not be named like a catalogue object (generated)', () => {
    fc.assert(
      fc.property(shadowing, (sql) => {
        const r = guardAnalystSql(sql, ANALYST_VIEWS);
        expect(r.ok, sql).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('CTEs used within their scope still work, nested and chained', () => {
    for (const sql of [
      'WITH a AS (SELECT commune_code FROM communes), b AS (SELECT * FROM a) SELECT * FROM b',
      'WITH a AS (WITH b AS (SELECT commune_code FROM communes) SELECT * FROM b) SELECT * FROM a',
      'SELECT * FROM (WITH t AS (SELECT year FROM kpi_province_year) SELECT * FROM t) AS s',
      'WITH t AS (SELECT year FROM kpi_province_year) SELECT * FROM t UNION ALL SELECT year FROM t',
    ]) {
      expect(guardAnalystSql(sql, ANALYST_VIEWS), sql).toEqual({ ok: true });
    }
  });

  it('a later CTE is not visible to an earlier one', () => {
    const r = guardAnalystSql(
      'WITH a AS (SELECT * FROM b), b AS (SELECT 1 AS x) SELECT * FROM a',
      ANALYST_VIEWS,
    );
    expect(r.ok).toBe(false);
  });

  it('an SQL text over the length cap is refused before parsing', () => {
    const r = guardAnalystSql(
      `SELECT 1 AS x FROM communes WHERE ${'1=1 AND '.repeat(500_000)}1=1`,
      ANALYST_VIEWS,
    );
    expect(r).toMatchObject({ ok: false, detail: expect.stringContaining('longer than') });
  });

  it('the catalogue lists are the real ones: every file of sql/views and every reference table', () => {
    const files = readdirSync(join(import.meta.dirname, '..', '..', 'sql', 'views'))
      .filter((f) => f.endsWith('.sql'))
      .sort()
      .map((f) => f.replace(/^[0-9]+_/, '').replace(/\.sql$/, ''));
    expect([...ALL_VIEWS]).toEqual(files);
    const refs = referenceTables({
      plan: PLAN,
      communes: COMMUNES,
      asOf: new Date('2026-11-20T00:00:00Z'),
    }).map((t) => t.name);
    expect([...REFERENCE_TABLES].sort()).toEqual(refs.sort());
  });
});

describe('over HTTP: the analysts’ database holds the analysts’ views and nothing else', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer();
    const r = await s.call('/api/v1/submissions', {
      method: 'POST',
      token: s.tokens.admin,
      json: validSubmission(),
    });
    expect(r.status).toBe(201);
    await s.marts.refreshNow();
  });
  afterAll(async () => {
    await s.close();
  });

  it('generated scope tricks are a 400 with a clear message and return no rows', async () => {
    const samples = fc.sample(outOfScope, 40);
    for (const sql of samples) {
      const r = await s.call('/api/v1/sql', { method: 'POST', token: s.tokens.analyst, json: { sql } });
      const body = (await r.json()) as {
        error?: { code: string; message_vi: string; message_en: string };
        rows?: unknown[];
      };
      expect(r.status, `${sql} → ${JSON.stringify(body).slice(0, 300)}`).toBe(400);
      expect(body.rows).toBeUndefined();
      expect(body.error?.code).toBe('sql_rejected');
      expect(body.error?.message_vi).toBeTruthy();
    }
  }, 60_000);

  it('every analyst query is audited with its SQL text, rejected or answered (never its rows)', async () => {
    const sql = 'SELECT count(*) AS n FROM communes';
    expect(
      (await s.call('/api/v1/sql', { method: 'POST', token: s.tokens.analyst, json: { sql } })).status,
    ).toBe(200);
    const r = await s.call('/api/v1/audit?from=2026-11-01T00:00:00Z&to=2026-12-31T00:00:00Z', {
      token: s.tokens.admin,
    });
    const rows = (
      (await r.json()) as {
        rows: { action: string; outcome: string; detail?: { sql?: string; rows?: unknown } }[];
      }
    ).rows;
    const queries = rows.filter((x) => x.action === 'sql.query');
    expect(queries.find((x) => x.outcome === 'ok' && x.detail?.sql === sql)?.detail?.rows).toBe(1);
    expect(
      queries.some(
        (x) => x.outcome === 'rejected' && typeof x.detail?.sql === 'string' && x.detail.sql.includes('WITH'),
      ),
    ).toBe(true);
  });

  it('the analysts’ database holds exactly the analysts’ views', async () => {
    expect(await s.warehouse.analystRelations()).toEqual([...ANALYST_VIEWS].sort());
  });
});
