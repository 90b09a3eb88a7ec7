// Adversarial: erasure (issue 13, item 2; docs/kpis.md "Erasure keeps every figure"). After an erasure no stored copy —
// raw version, per-submission Parquet, compacted file (current or superseded, swept or not), mart or analysts'
// database — may hold the person's staff code, title or person key; and every figure, and a meeting pack's
// data hash, stays the same. Generated variants: the compaction state before the erasure (none, compacted and
// swept, compacted within the grace period, compacted twice, a compaction running at the same time), the target
// (national ID, or staff code in one commune), the person listed in one or two communes and one or two years.
import { DuckDBInstance } from '@duckdb/node-api';
import { FsObjectStore } from '@scorecard/functions/adapters/fs-store.ts';
import { compactYear } from '@scorecard/functions/compaction/compact.ts';
import { createMeetingPack } from '@scorecard/functions/entry/local/packs.ts';
import { AuditLog } from '@scorecard/functions/ingest/audit.ts';
import { eraseCadre } from '@scorecard/functions/ingest/erasure.ts';
import { IngestService } from '@scorecard/functions/ingest/ingest-service.ts';
import { loadLocalSecret, personKeyFromSecret } from '@scorecard/functions/ingest/person-key.ts';
import { ManualClock } from '@scorecard/functions/ports/clock.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { grepFiles, tempDir } from '../helpers/data-dir.ts';
import {
  CODE_A,
  CODE_B,
  type CompactionState,
  figures,
  folder,
  NATIONAL_ID,
  TITLE,
} from '../helpers/erasure-world.ts';
import { cadre, validSubmission } from '../helpers/fixtures.ts';
import { type TestServer, testServer } from '../helpers/server.ts';

const admin = { sub: 'dpo', role: 'admin' as const };

/** Every row of every Parquet file (no read rule: superseded copies count too). */
async function everyParquetValue(dir: string): Promise<string> {
  const db = await (await DuckDBInstance.create(':memory:')).connect();
  const texts: string[] = [];
  for (const glob of ['curated/cadres', 'restricted/cadre_identity']) {
    const r = await db
      .runAndReadAll(`SELECT * FROM read_parquet('${dir}/${glob}/**/*.parquet', union_by_name = true)`)
      .catch(() => null);
    if (r) texts.push(JSON.stringify(r.getRowObjectsJson()));
  }
  return texts.join('\n');
}

function expectGone(dir: string, parquetText: string, oldKey: string, codes: string[]) {
  for (const needle of [...codes, TITLE, oldKey]) {
    expect(parquetText.includes(needle), `Parquet still holds ${needle}`).toBe(false);
    // Raw JSON, marts (Arrow IPC is uncompressed), exports, erasure records, audit: byte search.
    expect(grepFiles(dir, needle), `files still holding ${needle}`).toEqual([]);
  }
}

describe('erasure, whatever the compaction state', () => {
  it('leaves no copy of the person and changes no figure (generated states, targets and spreads)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<CompactionState>('none', 'swept', 'within_grace', 'twice', 'concurrent'),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        async (state, byNationalId, twoCommunes, twoYears) => {
          const dir = tempDir('adv-erase-');
          const store = new FsObjectStore(dir);
          const clock = new ManualClock('2026-10-01T03:00:00Z');
          const personKey = personKeyFromSecret('k');
          const years = await folder({ twoCommunes, twoYears }, store, clock, personKey);
          clock.set('2027-12-01T03:00:00Z');
          const compactAll = (graceMs: number) =>
            Promise.all(years.map((year) => compactYear({ store, clock, year, graceMs })));
          if (state === 'swept') await compactAll(0);
          if (state === 'within_grace') await compactAll(30 * 60_000);
          if (state === 'twice') {
            await compactAll(30 * 60_000);
            const svc = new IngestService({ store, clock, personKey });
            const late = validSubmission({ commune_code: '28273', year: years[0] });
            late.cadres = late.cadres.map((c, i) => ({
              ...c,
              national_id: `0872018${String(10000 + i).slice(-5)}`,
              cadre_code: `Y-${i}`,
            }));
            expect((await svc.ingest(late, { actor: admin })).status).toBe('accepted');
            await compactAll(30 * 60_000);
          }
          const at = '2027-12-02T00:00:00.000Z';
          clock.set('2027-12-01T04:00:00Z');
          const before = await figures(dir, at);
          const oldKey = personKey(NATIONAL_ID);
          const running = state === 'concurrent' ? compactAll(0) : Promise.resolve([]);
          const target = byNationalId
            ? { national_id: NATIONAL_ID }
            : { commune_code: '28249', cadre_code: CODE_A };
          const r = await eraseCadre(
            { store, clock, personKey, audit: new AuditLog(store, clock) },
            target,
            admin,
          );
          await running;
          // A compaction after the erasure (any grace) must not bring the person back either.
          await compactAll(0);
          // Per year: commune A's two versions, and B's one when the person is listed there too.
          expect(r.rows_erased).toBe(years.length * (2 + (twoCommunes ? 1 : 0)));
          expectGone(dir, await everyParquetValue(dir), oldKey, [CODE_A, CODE_B]);
          expect(await figures(dir, at)).toEqual(before);
        },
      ),
      { numRuns: 12 },
    );
  }, 300_000);

  it('a meeting pack regenerated after the erasure has the same data hashes', async () => {
    const dir = tempDir('adv-erase-pack-');
    const store = new FsObjectStore(dir);
    const clock = new ManualClock('2026-10-01T03:00:00Z');
    const personKey = personKeyFromSecret('k');
    await folder({ twoCommunes: true, twoYears: false }, store, clock, personKey);
    await compactYear({ store, clock, year: 2026, graceMs: 30 * 60_000 });
    const pack = (out: string) =>
      createMeetingPack({
        dataDir: dir,
        year: 2026,
        meeting: 'annual',
        asOf: new Date('2026-11-20T00:00:00Z'),
        outDir: out,
        now: new Date('2026-11-21T00:00:00Z'),
      });
    const before = await pack(tempDir('pack-before-'));
    clock.set('2026-11-22T00:00:00Z');
    await eraseCadre(
      { store, clock, personKey, audit: new AuditLog(store, clock) },
      { national_id: NATIONAL_ID },
      admin,
    );
    const after = await pack(tempDir('pack-after-'));
    expect(after.data_sha256).toBe(before.data_sha256);
    expect(after.tables.map((t) => t.data_sha256)).toEqual(before.tables.map((t) => t.data_sha256));
  }, 120_000);
});

describe('erasure with the server running', () => {
  it('the marts and the analysts’ database drop the person once the server sees the erasure record', async () => {
    const s: TestServer = await testServer({ now: '2026-11-20T03:00:00Z' });
    try {
      const sub = validSubmission();
      // The record not digitised: the person shows in cadre_gaps (a mart) with staff code and title.
      sub.cadres[2] = cadre(3, {
        cadre_code: CODE_A,
        national_id: NATIONAL_ID,
        position: TITLE,
        record_digitized: false,
      });
      expect(
        (await s.call('/api/v1/submissions', { method: 'POST', token: s.tokens.commune, json: sub })).status,
      ).toBe(201);
      await s.marts.refreshNow();
      const gaps = async () =>
        await (await s.call('/api/v1/cadre-gaps?year=2026&commune=28249', { token: s.tokens.admin })).text();
      expect(await gaps()).toContain(CODE_A);
      const analystKeys = async () =>
        JSON.stringify((await s.warehouse.analyst.query('SELECT * FROM cadres', { maxRows: 1000 })).rows);
      const serverKey = personKeyFromSecret(loadLocalSecret(s.personKeyFile, s.dataDir));
      const oldKey = serverKey(NATIONAL_ID);
      expect(await analystKeys()).toContain(oldKey);
      // As `npm run erase` does: another store on the same folder, while the server runs and compacts.
      const store = new FsObjectStore(s.dataDir);
      await compactYear({ store, clock: s.clock, year: 2026, graceMs: 30 * 60_000 });
      await eraseCadre(
        { store, clock: s.clock, personKey: serverKey, audit: new AuditLog(store, s.clock) },
        { commune_code: '28249', cadre_code: CODE_A },
        admin,
      );
      await waitFor(async () => !(await gaps()).includes(CODE_A));
      expect(await analystKeys()).not.toContain(oldKey);
      expectGone(s.dataDir, await everyParquetValue(s.dataDir), oldKey, [CODE_A]);
    } finally {
      await s.close();
    }
  }, 120_000);
});

async function waitFor(check: () => Promise<boolean>, ms = 20_000) {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out waiting for the server to refresh');
    await new Promise((r) => setTimeout(r, 100));
  }
}
