// Serving marts from encoded answers (issue 7): the bytes are the same as before the cache — JSON identical to
// the engine's row objects, Arrow with the same schema and values as the row-by-row encoder — for every row
// scope, and a repeated request with the ETag gets 304.

import { type Encoded, EncodedCache } from '@scorecard/functions/api/respond.ts';
import { MartTable } from '@scorecard/functions/marts/arrow.ts';
import type { SqlColumn, SqlRow } from '@scorecard/functions/ports/sql-engine.ts';
import { Bool, Float64, Int32, Table, tableFromIPC, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validSubmission } from '../helpers/fixtures.ts';
import { OTHER, OWN, type TestServer, testServer } from '../helpers/server.ts';

const ARROW = 'application/vnd.apache.arrow.stream';

/** The encoder the API used before columnar marts (row objects → vectorFromArray), as the reference. */
function referenceIpc(columns: SqlColumn[], rows: SqlRow[]): Uint8Array {
  const typeOf = (t: string) => {
    const u = t.toUpperCase();
    if (u === 'BOOLEAN') return new Bool();
    if (u === 'INTEGER' || u === 'SMALLINT' || u === 'TINYINT' || u === 'INT') return new Int32();
    if (['BIGINT', 'HUGEINT', 'DOUBLE', 'FLOAT', 'REAL', 'DECIMAL'].some((p) => u.startsWith(p)))
      return new Float64();
    return new Utf8();
  };
  const vectors = Object.fromEntries(
    columns.map((c) => {
      const type = typeOf(c.type);
      const values = rows.map((r) => {
        const v = r[c.name] ?? null;
        if (v === null) return null;
        if (type instanceof Utf8) return String(v);
        if (type instanceof Float64 || type instanceof Int32) return Number(v);
        return v;
      });
      return [c.name, vectorFromArray(values as never[], type as never)];
    }),
  );
  return tableToIPC(new Table(vectors), 'stream');
}

const plainRows = (t: Table) =>
  t
    .toArray()
    .map((r) =>
      Object.fromEntries(
        Object.entries(r.toJSON() as Record<string, unknown>).map(([k, v]) => [
          k,
          typeof v === 'bigint' ? Number(v) : v,
        ]),
      ),
    );
const schemaOf = (t: Table) => t.schema.fields.map((f) => `${f.name}:${String(f.type)}`);

let s: TestServer;
beforeAll(async () => {
  s = await testServer({ now: '2027-11-20T03:00:00Z' });
  // Two years of data, so that one year's answer is a slice in the middle of each mart.
  for (const [year, code, token] of [
    [2026, OWN, s.tokens.commune],
    [2027, OWN, s.tokens.commune],
    [2027, OTHER, s.tokens.otherCommune],
  ] as const) {
    const sub = validSubmission({ commune_code: code, year });
    sub.cadres[0]!.meets_competency_standard = false;
    const r = await s.call('/api/v1/submissions', { method: 'POST', token, json: sub });
    expect(r.status).toBe(201);
  }
  await s.marts.refreshNow();
}, 120_000);
afterAll(async () => {
  await s.close();
});

const MARTS: [string, string, string][] = [
  ['/api/v1/kpis/communes?year=2026', 'kpi_commune_year', 'year = 2026'],
  ['/api/v1/kpis/communes?year=2027', 'kpi_commune_year', 'year = 2027'],
  [
    `/api/v1/kpis/communes?year=2027&commune=${OTHER}`,
    'kpi_commune_year',
    `year = 2027 and commune_code = '${OTHER}'`,
  ],
  ['/api/v1/kpis?from=2026&to=2027', 'kpi_province_year', 'year between 2026 and 2027'],
  ['/api/v1/warnings?year=2027&scope=commune', 'gap_warnings', "year = 2027 and scope = 'commune'"],
  ['/api/v1/rankings?year=2027', 'commune_ranking', 'year = 2027'],
  ['/api/v1/data-quality/findings?year=2027', 'data_quality_findings', 'year = 2027'],
  [`/api/v1/cadre-gaps?year=2027&commune=${OWN}`, 'cadre_gaps', `year = 2027 and commune_code = '${OWN}'`],
  ['/api/v1/communes', 'communes', 'true'],
];
const ORDER: Record<string, string> = {
  communes: 'commune_code',
  kpi_province_year: 'year, kpi',
  kpi_commune_year: 'year, commune_code, kpi',
  gap_warnings: 'year, scope DESC, commune_code NULLS FIRST, kpi',
  commune_ranking: 'year, rank, commune_code',
  data_quality_findings: 'year, commune_code, rule',
  cadre_gaps: 'year, commune_code, cadre_code, reason',
};

describe('encoded answers are the bytes the row objects gave', () => {
  for (const [route, view, where] of MARTS) {
    it(route, async () => {
      const expected = await s.warehouse.query(
        `SELECT * FROM ${view} WHERE ${where} ORDER BY ${ORDER[view]}`,
        { maxRows: 1_000_000 },
      );
      expect(expected.rows.length).toBeGreaterThan(0);
      for (let round = 0; round < 2; round++) {
        // JSON: byte for byte what c.json({refreshed_at, rows}) wrote (the second round is served from the cache).
        const res = await s.call(route, { token: s.tokens.admin });
        expect(res.headers.get('content-type')).toBe('application/json');
        const text = await res.text();
        const refreshed = (JSON.parse(text) as { refreshed_at: string }).refreshed_at;
        expect(text).toBe(JSON.stringify({ refreshed_at: refreshed, rows: expected.rows }));
        // Arrow: the schema and values of the row-by-row encoder.
        const a = await s.call(route, { token: s.tokens.admin, headers: { accept: ARROW } });
        expect(a.headers.get('x-refreshed-at')).toBe(refreshed);
        const got = tableFromIPC(new Uint8Array(await a.arrayBuffer()));
        const ref = tableFromIPC(referenceIpc(expected.columns, expected.rows));
        expect(schemaOf(got)).toEqual(schemaOf(ref));
        expect(plainRows(got)).toEqual(plainRows(ref));
      }
    });
  }

  it('an empty selection: no rows in either format, the columns kept in Arrow', async () => {
    const json = (await (
      await s.call('/api/v1/kpis/communes?year=1999', { token: s.tokens.leader })
    ).json()) as { rows: unknown[] };
    expect(json.rows).toEqual([]);
    const a = await s.call('/api/v1/kpis/communes?year=1999', {
      token: s.tokens.leader,
      headers: { accept: ARROW },
    });
    const t = tableFromIPC(new Uint8Array(await a.arrayBuffer()));
    expect(t.numRows).toBe(0);
    expect(t.schema.fields.map((f) => f.name)).toContain('value_pct');
  });
});

describe('row scope', () => {
  const codes = async (token: string, route: string) => [
    ...new Set(
      ((await (await s.call(route, { token })).json()) as { rows: { commune_code: string }[] }).rows.map(
        (r) => r.commune_code,
      ),
    ),
  ];

  it("a commune officer gets own rows only, whoever's answer was cached first", async () => {
    for (const route of [
      '/api/v1/kpis/communes?year=2027',
      '/api/v1/rankings?year=2027',
      '/api/v1/data-quality?year=2027',
    ]) {
      const all = await codes(s.tokens.leader, route);
      expect(all.length).toBeGreaterThan(2);
      expect(await codes(s.tokens.commune, route)).toEqual([OWN]);
      expect(await codes(s.tokens.otherCommune, route)).toEqual([OTHER]);
      expect(await codes(s.tokens.analyst, route)).toEqual(all);
    }
    // Officer first this time, on a route nobody asked yet.
    expect(await codes(s.tokens.otherCommune, '/api/v1/rankings?year=2026')).toEqual([OTHER]);
    expect((await codes(s.tokens.leader, '/api/v1/rankings?year=2026')).length).toBeGreaterThan(2);
  });

  it('the ETag differs by scope and format, so a cached validator never crosses them', async () => {
    const etag = async (token: string, accept?: string) =>
      (
        await s.call('/api/v1/kpis/communes?year=2027', { token, ...(accept ? { headers: { accept } } : {}) })
      ).headers.get('etag');
    const leader = await etag(s.tokens.leader);
    expect(leader).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);
    expect(await etag(s.tokens.analyst)).toBe(leader); // same rows, same bytes
    expect(await etag(s.tokens.commune)).not.toBe(leader);
    expect(await etag(s.tokens.leader, ARROW)).not.toBe(leader);
    // An officer sending the leader's validator gets own rows, not a 304.
    const r = await s.call('/api/v1/kpis/communes?year=2027', {
      token: s.tokens.commune,
      headers: { 'if-none-match': leader ?? '' },
    });
    expect(r.status).toBe(200);
  });
});

describe('ETag and 304', () => {
  it('a repeat with If-None-Match gets 304 without a body, until the marts are refreshed', async () => {
    const route = '/api/v1/kpis/communes?year=2027';
    const first = await s.call(route, { token: s.tokens.leader });
    const etag = first.headers.get('etag') as string;
    const body = await first.text();
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    for (const accept of [undefined, ARROW]) {
      const headers: Record<string, string> = accept ? { accept } : {};
      const tag = (await s.call(route, { token: s.tokens.leader, headers })).headers.get('etag') as string;
      const again = await s.call(route, {
        token: s.tokens.leader,
        headers: { ...headers, 'if-none-match': tag },
      });
      expect(again.status).toBe(304);
      expect(again.headers.get('etag')).toBe(tag);
      expect(await again.text()).toBe('');
    }
    // A list of validators, and the weak comparison (the tag without W/), match too.
    expect(
      (
        await s.call(route, {
          token: s.tokens.leader,
          headers: { 'if-none-match': `"nope", ${etag.replace(/^W\//, '')}` },
        })
      ).status,
    ).toBe(304);
    // A stale validator gets the full answer.
    const stale = await s.call(route, { token: s.tokens.leader, headers: { 'if-none-match': '"stale"' } });
    expect(stale.status).toBe(200);
    expect(await stale.text()).toBe(body);

    // A new generation: the old validator no longer matches.
    s.clock.advance(60_000);
    const correction = validSubmission({ commune_code: OTHER, year: 2027 });
    correction.report.dialogues_held = 7;
    expect(
      (
        await s.call('/api/v1/submissions', {
          method: 'POST',
          token: s.tokens.otherCommune,
          json: correction,
        })
      ).status,
    ).toBe(201);
    await s.marts.refreshNow();
    const after = await s.call(route, { token: s.tokens.leader, headers: { 'if-none-match': etag } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    const refreshed = ((await after.json()) as { refreshed_at: string }).refreshed_at;
    expect(refreshed > (JSON.parse(body) as { refreshed_at: string }).refreshed_at).toBe(true);

    // Under a fixed clock (SCORECARD_NOW) a refresh has the same refreshed_at, yet it is a new generation: the
    // new rows are served, never the cached or revalidated answer of the previous one.
    const fixedEtag = after.headers.get('etag') as string;
    const fixedBody = await (await s.call(route, { token: s.tokens.leader })).text();
    const second = validSubmission({ commune_code: OTHER, year: 2027 });
    second.report.dialogues_held = 9;
    for (const c of second.cadres) c.meets_competency_standard = !c.meets_competency_standard;
    expect(
      (await s.call('/api/v1/submissions', { method: 'POST', token: s.tokens.otherCommune, json: second }))
        .status,
    ).toBe(201);
    await s.marts.refreshNow();
    const same = await s.call(route, { token: s.tokens.leader, headers: { 'if-none-match': fixedEtag } });
    expect(same.status).toBe(200);
    const sameBody = await same.text();
    expect((JSON.parse(sameBody) as { refreshed_at: string }).refreshed_at).toBe(refreshed);
    expect(sameBody).not.toBe(fixedBody);
  });
});

describe('EncodedCache', () => {
  const entry = (n: number): Encoded => ({
    format: 'json',
    body: new Uint8Array(n),
    refreshedAt: 'g',
    etag: '"x"',
  });

  it('is bounded by bytes, evicts the least recently used, and empties on a new generation', () => {
    const cache = new EncodedCache(100);
    cache.set('g1', 'a', entry(40));
    cache.set('g1', 'b', entry(40));
    expect(cache.get('g1', 'a')).toBeDefined(); // a is now the most recent
    cache.set('g1', 'c', entry(40)); // 120 > 100: b goes
    expect(cache.get('g1', 'b')).toBeUndefined();
    expect(cache.get('g1', 'a')).toBeDefined();
    expect(cache.get('g1', 'c')).toBeDefined();
    expect(cache.bytes).toBe(80);
    cache.set('g1', 'huge', entry(101)); // larger than the whole cache: not kept
    expect(cache.get('g1', 'huge')).toBeUndefined();
    expect(cache.get('g2', 'a')).toBeUndefined(); // another generation: everything dropped
    expect(cache.size).toBe(0);
    expect(cache.bytes).toBe(0);
  });

  it('counts an answer again with its gzip once made, and evicts others to stay within the bound', () => {
    const cache = new EncodedCache(100);
    const a = entry(40);
    cache.set('g1', 'a', a);
    cache.set('g1', 'b', entry(40));
    expect(cache.bytes).toBe(80);
    a.gzip = new Uint8Array(10);
    cache.set('g1', 'a', a); // re-counted: 50 + 40
    expect(cache.bytes).toBe(90);
    a.gzip = new Uint8Array(30);
    cache.set('g1', 'a', a); // 70 + 40 > 100: b, the least recently used, goes
    expect(cache.get('g1', 'b')).toBeUndefined();
    expect(cache.bytes).toBe(70);
    expect(cache.get('g1', 'a')?.gzip?.byteLength).toBe(30);
  });
});

describe('MartTable (columnar marts)', () => {
  const columns: SqlColumn[] = [
    { name: 'year', type: 'INTEGER' },
    { name: 'code', type: 'VARCHAR' },
    { name: 'n', type: 'BIGINT' },
    { name: 'x', type: 'DOUBLE' },
    { name: 'ok', type: 'BOOLEAN' },
    { name: 'at', type: 'TIMESTAMP' },
  ];
  const rows: SqlRow[] = [
    {
      year: 2026,
      code: 'a"b\\c',
      n: 9007199254740991,
      x: 66.66666666666667,
      ok: true,
      at: '2026-11-05T16:59:59.000Z',
    },
    { year: 2026, code: 'Xã Đông Hòa — “ngoặc”', n: 0, x: -0, ok: false, at: null },
    { year: 2027, code: null, n: null, x: Number.NaN, ok: null, at: '2027-01-01T00:00:00.000Z' },
    { year: 2027, code: 'line\nbreak\u0001', n: -5, x: 1e21, ok: true, at: '' },
    { year: 2028, code: '', n: 3, x: Number.POSITIVE_INFINITY, ok: false, at: 'z' },
  ];

  it('JSON text is JSON.stringify of the rows, for every selection; rows and IPC round-trip', () => {
    const t = MartTable.fromRows(columns, rows);
    const plain = JSON.parse(JSON.stringify(rows)) as SqlRow[];
    expect(t.jsonRows()).toBe(JSON.stringify(rows));
    expect(t.jsonRows([1, 3])).toBe(JSON.stringify([rows[1], rows[3]]));
    expect(t.jsonRows([])).toBe('[]');
    expect(JSON.parse(JSON.stringify(t.rows))).toEqual(plain);
    const back = MartTable.fromIpc(t.toIpc());
    expect(back.jsonRows()).toBe(JSON.stringify(rows));
    expect(back.columns.map((c) => c.type)).toEqual([
      'INTEGER',
      'VARCHAR',
      'DOUBLE',
      'DOUBLE',
      'BOOLEAN',
      'VARCHAR',
    ]);
    expect([...t.yearIndex()]).toEqual([
      [2026, [0, 1]],
      [2027, [2, 3]],
      [2028, [4]],
    ]);
  });

  it('Arrow of a slice or a gather has the reference schema and values', () => {
    const t = MartTable.fromRows(columns, rows);
    for (const sel of [[0, 1, 2, 3, 4], [1, 2], [3], [0, 2, 4], []]) {
      const got = tableFromIPC(t.toIpc(sel));
      const ref = tableFromIPC(
        referenceIpc(
          columns,
          sel.map((i) => rows[i] as SqlRow),
        ),
      );
      expect(schemaOf(got)).toEqual(schemaOf(ref));
      expect(plainRows(got)).toEqual(plainRows(ref));
    }
  });
});
