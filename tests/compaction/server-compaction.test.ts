// The local server compacts its data folder in the background (SCORECARD_COMPACT_HOURS): real server on
// loopback, real files. The answers before and after are the same, and ingest keeps working on top.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { FsObjectStore } from '@scorecard/functions/adapters/fs-store.ts';
import { listManifests } from '@scorecard/functions/compaction/compact.ts';
import { startLocalServer } from '@scorecard/functions/entry/local/server.ts';
import { ManualClock } from '@scorecard/functions/ports/clock.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { listFiles, tempDir } from '../helpers/data-dir.ts';
import { validSubmission } from '../helpers/fixtures.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const small = (dir: string) => listFiles(dir).filter((f) => /^curated\/.*\/[0-9a-f-]{36}\.parquet$/.test(f));

describe('local server: background compaction', () => {
  it('compacts the folder while serving, and every answer stays the same', async () => {
    const dataDir = tempDir('server-compact-');
    const conf = tempDir('conf-');
    dirs.push(dataDir, conf);
    const clock = new ManualClock('2026-11-20T03:00:00Z');
    const base = {
      dataDir,
      port: 0,
      personKeyFile: join(conf, 'person-key'),
      clock,
      demo: false,
      quiet: true,
    };
    const admin = { sub: 'test', role: 'admin' as const };
    // First run: no compaction; three communes report; the answer to compare with later.
    const first = await startLocalServer({ ...base, compactEveryMs: 0 });
    let before: unknown;
    try {
      for (const code of ['28249', '28261', '28270'])
        expect(
          (await first.ingest.ingest(validSubmission({ commune_code: code }), { actor: admin })).status,
        ).toBe('accepted');
      await first.marts.refreshNow();
      const leader = await first.sign('leader');
      before = await (
        await fetch(`${first.url}/api/v1/kpis/communes?year=2026`, {
          headers: { authorization: `Bearer ${leader}` },
        })
      ).json();
    } finally {
      await first.close();
    }
    expect(small(dataDir).length).toBeGreaterThan(0);
    // Second run: background compaction on.
    const server = await startLocalServer({
      ...base,
      compactEveryMs: 60 * 60_000,
      compactFirstDelayMs: 0,
      compactGraceMs: 0,
    });
    try {
      const store = new FsObjectStore(dataDir);
      for (let i = 0; i < 100 && (await listManifests(store, 2026)).length === 0; i++)
        await new Promise((r) => setTimeout(r, 100));
      for (let i = 0; i < 50 && small(dataDir).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(small(dataDir)).toEqual([]);

      await server.marts.refreshNow();
      const leader = await server.sign('leader');
      const after = await (
        await fetch(`${server.url}/api/v1/kpis/communes?year=2026`, {
          headers: { authorization: `Bearer ${leader}` },
        })
      ).json();
      expect(after).toEqual(before);
      // Ingest on top of the compacted folder: a duplicate is still a duplicate, a correction a new version.
      expect(
        (await server.ingest.ingest(validSubmission({ commune_code: '28249' }), { actor: admin })).status,
      ).toBe('duplicate');
      const correction = validSubmission({ commune_code: '28249' });
      correction.report.dialogues_held += 1;
      expect(await server.ingest.ingest(correction, { actor: admin })).toMatchObject({
        status: 'accepted',
        version: 2,
      });
    } finally {
      await server.close();
    }
  }, 60_000);
});
