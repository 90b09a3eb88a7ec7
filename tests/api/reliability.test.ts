// Reliability and security promises over HTTP: audit of every sensitive action, rate limits, CORS, logs
// without personal data, the analysts' SQL guard, and marts that stay consistent across a crash.

import { FsObjectStore } from '@scorecard/functions/adapters/fs-store.ts';
import { StoreMartReader } from '@scorecard/functions/marts/marts.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validSubmission } from '../helpers/fixtures.ts';
import { OTHER, OWN, type TestServer, testServer } from '../helpers/server.ts';

let s: TestServer;
const logs: string[] = [];
let elapsed = 0; // the rate limiter's real-time counter, moved by hand
beforeAll(async () => {
  s = await testServer({
    log: (line) => logs.push(JSON.stringify(line)),
    corsOrigin: 'https://scorecard.dongthap.gov.vn',
    elapsedMs: () => elapsed,
  });
});
afterAll(async () => {
  await s.close();
});

async function auditActions(): Promise<string[]> {
  const r = await s.call('/api/v1/audit?from=2026-11-01T00:00:00Z&to=2026-12-31T00:00:00Z', {
    token: s.tokens.admin,
  });
  return ((await r.json()) as { rows: { action: string; outcome: string }[] }).rows.map(
    (e) => `${e.action}:${e.outcome}`,
  );
}

describe('audit trail', () => {
  it('records submissions, voids, SQL queries, sign-ins and reads of cadre-level data', async () => {
    const sub = validSubmission({ commune_code: OWN });
    const created = (await (
      await s.call('/api/v1/submissions', { method: 'POST', token: s.tokens.commune, json: sub })
    ).json()) as { submission_id: string };
    await s.call('/api/v1/submissions', {
      method: 'POST',
      token: s.tokens.commune,
      json: { ...sub, year: 2031 },
    });
    await s.call(`/api/v1/submissions/${created.submission_id}/void`, {
      method: 'POST',
      token: s.tokens.admin,
      json: { reason: 'Nộp nhầm' },
    });
    await s.call('/api/v1/sql', {
      method: 'POST',
      token: s.tokens.analyst,
      json: { sql: 'SELECT count(*) AS n FROM communes' },
    });
    await s.call('/api/v1/auth/demo-login', {
      method: 'POST',
      json: { role: 'leader', code: s.signInCode() },
    });
    await s.call(`/api/v1/cadre-gaps?year=2026&commune=${OWN}`, { token: s.tokens.leader });
    await s.call('/api/v1/exports', {
      method: 'POST',
      token: s.tokens.leader,
      json: { year: 2026, meeting: 'annual' },
    });
    const actions = await auditActions();
    for (const a of [
      'submission.create:accepted',
      'submission.create:rejected',
      'submission.void:voided',
      'sql.query:ok',
      'auth.sign_in:ok',
      'cadre_gaps.read:ok',
      'export.create:queued',
    ]) {
      expect(actions).toContain(a);
    }
  });

  it('is admin-only and append-only (each event its own create-only object)', async () => {
    expect(
      (
        await s.call('/api/v1/audit?from=2026-11-01T00:00:00Z&to=2026-11-30T00:00:00Z', {
          token: s.tokens.leader,
        })
      ).status,
    ).toBe(403);
  });
});

describe('logs carry no personal data', () => {
  it('no national ID, staff code, position or token appears in any log line', async () => {
    const sub = validSubmission({ commune_code: OWN });
    sub.report.dialogues_held = 42;
    await s.call('/api/v1/submissions', { method: 'POST', token: s.tokens.commune, json: sub });
    const bad = validSubmission({ commune_code: OWN });
    bad.cadres[1]!.national_id = bad.cadres[0]!.national_id;
    await s.call('/api/v1/submissions', { method: 'POST', token: s.tokens.commune, json: bad });
    const text = logs.join('\n');
    expect(logs.length).toBeGreaterThan(0);
    for (const c of sub.cadres) {
      expect(text).not.toContain(c.national_id);
      expect(text).not.toContain(c.cadre_code);
    }
    expect(text).not.toContain('Chủ tịch UBND');
    expect(text).not.toContain(s.tokens.commune);
  });
});

describe('rate limits and CORS', () => {
  it('limits writes per token (at least 100 a minute pass), not other tokens', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 125; i++) {
      const r = await s.call('/api/v1/submissions?dry_run=true', {
        method: 'POST',
        token: s.tokens.otherCommune,
        json: validSubmission({ commune_code: OTHER }),
      });
      statuses.push(r.status);
    }
    expect(statuses.slice(0, 100).every((x) => x === 200)).toBe(true);
    expect(statuses).toContain(429);
    expect(
      (
        await s.call('/api/v1/submissions?dry_run=true', {
          method: 'POST',
          token: s.tokens.admin,
          json: validSubmission(),
        })
      ).status,
    ).toBe(200);
    elapsed += 61_000;
    expect(
      (
        await s.call('/api/v1/submissions?dry_run=true', {
          method: 'POST',
          token: s.tokens.otherCommune,
          json: validSubmission({ commune_code: OTHER }),
        })
      ).status,
    ).toBe(200);
  });

  it('answers CORS only for the dashboard origin', async () => {
    const ok = await s.call('/api/v1/health', { headers: { origin: 'https://scorecard.dongthap.gov.vn' } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://scorecard.dongthap.gov.vn');
    const evil = await s.call('/api/v1/health', { headers: { origin: 'https://evil.example' } });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe("analysts' SQL", () => {
  const rejected = [
    "SELECT * FROM read_parquet('/etc/passwd')",
    'SELECT * FROM cadre_gaps',
    'SELECT * FROM curated_cadres',
    "COPY (SELECT 1) TO '/tmp/x.csv'",
    'SELECT 1; SELECT 2',
    "ATTACH '/tmp/x.db'",
    'PRAGMA database_list',
    'SET threads = 1',
    'INSTALL httpfs',
    "SELECT * FROM glob('/*')",
    'DROP VIEW kpi_province_year',
    'this is not sql',
  ];
  for (const sql of rejected) {
    it(`rejects: ${sql}`, async () => {
      const r = await s.call('/api/v1/sql', { method: 'POST', token: s.tokens.analyst, json: { sql } });
      expect(r.status).toBe(400);
      const body = (await r.json()) as { error: { code: string; message_vi: string } };
      expect(['sql_rejected', 'sql_failed']).toContain(body.error.code);
      expect(body.error.message_vi).toBeTruthy();
    });
  }

  it('answers one SELECT over the analysts’ views with columns and rows', async () => {
    const r = await s.call('/api/v1/sql', {
      method: 'POST',
      token: s.tokens.analyst,
      json: { sql: 'SELECT kpi, target_pct FROM kpi_province_year WHERE year = 2026 ORDER BY kpi' },
    });
    expect(r.status, await r.clone().text()).toBe(200);
    const body = (await r.json()) as {
      columns: { name: string }[];
      rows: { kpi: string; target_pct: number | null }[];
      truncated: boolean;
    };
    expect(body.columns.map((c) => c.name)).toEqual(['kpi', 'target_pct']);
    expect(body.rows.find((x) => x.kpi === 'leader_standard')?.target_pct).toBe(90);
    expect(body.truncated).toBe(false);
  });
});

describe('marts survive a crash mid-refresh', () => {
  it('a refresh killed after writing some mart files leaves the previous manifest and a readable snapshot', async () => {
    await s.marts.refreshNow();
    const store = new FsObjectStore(s.dataDir);
    const before = await new StoreMartReader(store).snapshot();
    // Simulate a process killed mid-refresh: new generation files written, manifest not.
    await store.put('marts/2099-01-01T00-00-00-000Z/kpi_province_year.arrow', new Uint8Array([1, 2, 3]));
    const after = await new StoreMartReader(store).snapshot();
    expect(after?.refreshed_at).toBe(before?.refreshed_at);
    expect(after?.tables.kpi_province_year?.rows).toEqual(before?.tables.kpi_province_year?.rows);
  });
});
