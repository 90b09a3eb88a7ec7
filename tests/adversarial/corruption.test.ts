// Adversarial: corrupted files (issue 13, item 8), against the real server on loopback. Generated damage: one
// flipped byte at any position, or a truncation at any length, in each kind of file — a per-submission data file,
// a commit marker, a compacted file, a compacted marker, a mart. The property: a damaged file never changes a
// figure silently — it is detected (the refresh fails, the last good marts stay served, /health names it) or it
// changed nothing a reader sees (an identical refresh). Files with a recorded hash are always detected. Then the
// server restarts on a damaged folder (it starts, degraded), `npm run verify` names the file and
// `npm run repair` rebuilds it from raw/, and the server recovers by itself with the same figures.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FsObjectStore } from '@scorecard/functions/adapters/fs-store.ts';
import { compactYear } from '@scorecard/functions/compaction/compact.ts';
import { repairFolder } from '@scorecard/functions/integrity/repair.ts';
import { verifyFolder } from '@scorecard/functions/integrity/verify.ts';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFiles, tempDir } from '../helpers/data-dir.ts';
import { validSubmission } from '../helpers/fixtures.ts';
import { type TestServer, testServer } from '../helpers/server.ts';

let s: TestServer;
let store: FsObjectStore;
let good = '';
const figures = async (server = s) =>
  (await server.call('/api/v1/kpis/communes?year=2026', { token: server.tokens.admin })).text();

beforeAll(async () => {
  s = await testServer({ dataDir: tempDir('corrupt-'), damageRetryMs: 200 });
  store = new FsObjectStore(s.dataDir);
  for (const commune of ['28249', '28261', '28270']) {
    const sub = validSubmission({ commune_code: commune });
    sub.report.dialogues_held = Number(commune) % 7;
    expect(
      (await s.call('/api/v1/submissions', { method: 'POST', token: s.tokens.admin, json: sub })).status,
    ).toBe(201);
  }
  await compactYear({ store, clock: s.clock, year: 2026, graceMs: 0 });
  // One more after the compaction: small files and compacted ones side by side.
  expect(
    (
      await s.call('/api/v1/submissions', {
        method: 'POST',
        token: s.tokens.admin,
        json: validSubmission({ commune_code: '28273' }),
      })
    ).status,
  ).toBe(201);
  await s.marts.refreshNow();
  good = await figures();
  expect((await verifyFolder(store, { raw: true, marts: true })).damaged).toEqual([]);
}, 120_000);
afterAll(async () => {
  await s.close();
});

type Kind = 'data' | 'marker' | 'part' | 'part_marker' | 'mart';
function fileOf(kind: Kind): string {
  const files = listFiles(s.dataDir);
  const pick = (re: RegExp) => files.find((f) => re.test(f)) as string;
  switch (kind) {
    case 'data':
      return pick(/^curated\/cadres\/year=2026\/[0-9a-f-]{36}\.parquet$/);
    case 'marker':
      return pick(/^curated\/submissions\/year=2026\/[0-9a-f-]{36}\.parquet$/);
    case 'part':
      return pick(/^curated\/cadres\/year=2026\/part-.*\.parquet$/);
    case 'part_marker':
      return pick(/^curated\/submissions\/year=2026\/part-.*\.parquet$/);
    default:
      return pick(/^marts\/[^_].*\/kpi_commune_year\.arrow$/);
  }
}

async function health() {
  const r = await fetch(`${s.url}/api/v1/health`);
  return { status: r.status, body: (await r.json()) as { status: string; damaged?: string[] } };
}

describe('a damaged file never changes a figure silently', () => {
  it('generated flips and truncations in every kind of file: detected and named, or harmless', async () => {
    const damage = fc.tuple(
      fc.constantFrom<Kind>('data', 'marker', 'part', 'part_marker', 'mart'),
      fc.boolean(),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.integer({ min: 1, max: 255 }),
    );
    let detected = 0;
    for (const [kind, truncate, where, xor] of fc.sample(damage, 30)) {
      const key = fileOf(kind);
      const path = join(s.dataDir, key);
      const original = readFileSync(path);
      const at = Math.min(original.length - 1, Math.floor(where * original.length));
      const bad = truncate ? original.subarray(0, at) : Buffer.from(original);
      if (!truncate) bad[at] = (bad[at] as number) ^ xor;
      writeFileSync(path, bad);
      try {
        const report = await verifyFolder(store, { marts: true });
        const named = report.damaged.map((d) => d.key);
        if (kind !== 'marker')
          expect(named, `${kind} ${truncate ? 'truncated' : 'flipped'} at ${at}`).toContain(key);
        if (kind === 'mart') {
          // A fresh reader of the persisted marts refuses the damaged file; the server's own marts are untouched.
          expect(await figures()).toBe(good);
        } else if (named.length > 0) {
          detected++;
          await expect(s.marts.refreshNow()).rejects.toThrow();
          expect(await figures()).toBe(good); // the last good marts
          const h = await health();
          expect(h.status).toBe(503);
          expect(h.body.status).toBe('degraded');
          expect(h.body.damaged?.length).toBeGreaterThan(0);
        } else {
          // Not detected: then it changed nothing a reader sees.
          await s.marts.refreshNow();
          expect(await figures()).toBe(good);
        }
      } finally {
        writeFileSync(path, original);
      }
      await s.marts.refreshNow();
      expect((await health()).status).toBe(200);
    }
    expect(detected).toBeGreaterThan(0);
  }, 300_000);
});

describe('a server started on a damaged folder, then npm run verify and npm run repair', () => {
  it('starts degraded with the last good marts, names the file; repair rebuilds it and the server recovers', async () => {
    const dir = s.dataDir;
    await s.close();
    const part = fileOf('part');
    const marker = fileOf('marker');
    writeFileSync(join(dir, part), readFileSync(join(dir, part)).subarray(0, 100)); // truncated
    const m = readFileSync(join(dir, marker));
    m[m.length - 30] = (m[m.length - 30] as number) ^ 0xff;
    writeFileSync(join(dir, marker), m);
    const cli = (cmd: string) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', `functions/src/entry/cli/${cmd}.ts`], {
        cwd: join(import.meta.dirname, '..', '..'),
        env: {
          ...process.env,
          DATA_DIR: dir,
          SCORECARD_NOW: '2026-11-20T03:00:00Z',
          PERSON_KEY_FILE: s.personKeyFile,
        },
      }).then(
        (r) => ({ code: 0, out: r.stdout }),
        (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
      );

    s = await testServer({ dataDir: dir, damageRetryMs: 200 });
    expect(await figures()).toBe(good);
    const h = await health();
    expect(h.status).toBe(503);
    expect(h.body.damaged).toContain(part);

    const verified = await cli('verify');
    expect(verified.code).toBe(1);
    expect(verified.out).toContain(part);

    const repaired = await cli('repair');
    expect(repaired.code, repaired.out).toBe(0);
    expect(repaired.out).toContain(part);
    expect((await cli('verify')).code).toBe(0);

    // The server retries its refresh while damaged: it recovers by itself, with the same figures.
    const until = Date.now() + 20_000;
    while ((await health()).status !== 200 && Date.now() < until)
      await new Promise((r) => setTimeout(r, 100));
    expect((await health()).status).toBe(200);
    await s.marts.refreshNow();
    expect(await figures()).toBe(good);
  }, 120_000);

  it('repair in process rebuilds per-submission files and marts too', async () => {
    const data = fileOf('data');
    writeFileSync(join(s.dataDir, data), Buffer.from('not parquet'));
    const r = await repairFolder({ store, clock: s.clock });
    expect(r.repaired).toContain(data);
    expect(r.remaining).toEqual([]);
    await s.marts.refreshNow();
    expect(await figures()).toBe(good);
  });
});
