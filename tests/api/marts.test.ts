import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/data-dir.ts';
import { validSubmission } from '../helpers/fixtures.ts';
import { OWN, type TestServer, testServer } from '../helpers/server.ts';

const run = promisify(execFile);
let s: TestServer;
let personKeyFile = '';

beforeAll(async () => {
  s = await testServer({ now: '2026-11-20T03:00:00Z' });
  personKeyFile = join(s.dataDir, '..', `${s.dataDir.split('/').pop()}-key`);
});
afterAll(async () => {
  await s.close();
});

type Tab = { refreshed_at: string | null; rows: Record<string, unknown>[] };
async function kpis(): Promise<Tab> {
  return (await (await s.call('/api/v1/kpis?year=2026', { token: s.tokens.leader })).json()) as Tab;
}
async function until(pred: () => Promise<boolean>, what: string, ms = 90_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await pred()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}
const reporting = (t: Tab) => Number(t.rows.find((r) => r.kpi === 'report_on_time')?.communes_reporting ?? 0);

describe('marts follow ingests without a restart', () => {
  it('after a POST, GET /kpis reflects it once refreshed_at passes received_at', async () => {
    expect(reporting(await kpis())).toBe(0);
    s.clock.advance(1000);
    const sub = validSubmission({ commune_code: OWN });
    sub.cadres[0]!.meets_competency_standard = false; // a cadre-level gap to serve
    const r = await s.call('/api/v1/submissions', { method: 'POST', token: s.tokens.commune, json: sub });
    const { received_at } = (await r.json()) as { received_at: string };
    s.clock.advance(1000);
    await until(async () => {
      const t = await kpis();
      return t.refreshed_at !== null && t.refreshed_at >= received_at;
    }, 'refresh after POST');
    expect(reporting(await kpis())).toBe(1);
  });

  it('after a CLI ingest into the same data folder, too', { timeout: 180_000 }, async () => {
    // The server's clock is ahead of the CLI's received_at, as real time would be.
    s.clock.set('2026-11-20T03:06:00Z');
    const file = join(tempDir('cli-'), 'sub.json');
    writeFileSync(file, JSON.stringify(validSubmission({ commune_code: '28270' })));
    const { stdout } = await run(
      'npx',
      ['tsx', 'functions/src/entry/cli/ingest.ts', file, '--format', 'json'],
      {
        cwd: join(import.meta.dirname, '../..'),
        env: {
          ...process.env,
          DATA_DIR: s.dataDir,
          PERSON_KEY_FILE: personKeyFile,
          SCORECARD_NOW: '2026-11-20T03:05:00Z',
        },
      },
    );
    const [result] = JSON.parse(stdout) as { status: string; submission_id: string }[];
    expect(result?.status).toBe('accepted');
    await until(async () => reporting(await kpis()) === 2, 'refresh after CLI ingest');
    const t = await kpis();
    expect(t.refreshed_at! >= '2026-11-20T03:05:00.000Z').toBe(true);
  });
});

describe('Arrow and JSON carry the same rows', () => {
  const routes = [
    '/api/v1/communes',
    '/api/v1/kpis?year=2026',
    '/api/v1/kpis/communes?year=2026',
    '/api/v1/warnings?year=2026',
    `/api/v1/cadre-gaps?year=2026&commune=${OWN}`,
    '/api/v1/rankings?year=2026',
    '/api/v1/data-quality?year=2026',
    '/api/v1/data-quality/findings?year=2026',
  ];
  for (const route of routes) {
    it(route, async () => {
      const json = (await (await s.call(route, { token: s.tokens.admin })).json()) as Tab;
      const res = await s.call(route, {
        token: s.tokens.admin,
        headers: { accept: 'application/vnd.apache.arrow.stream' },
      });
      expect(res.headers.get('content-type')).toBe('application/vnd.apache.arrow.stream');
      expect(res.headers.get('x-refreshed-at')).toBe(json.refreshed_at);
      const table = tableFromIPC(new Uint8Array(await res.arrayBuffer()));
      const arrowRows = table.toArray().map((r) => {
        const o = r.toJSON() as Record<string, unknown>;
        return Object.fromEntries(
          Object.entries(o).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]),
        );
      });
      expect(json.rows.length).toBeGreaterThan(0);
      expect(arrowRows).toEqual(json.rows);
    });
  }
});
