// Adversarial: a crash must not change a past pack (issue 13, item 7; docs/kpis.md "As known on"). A version whose
// claim landed but whose commit did not (a kill -9 between writes) is completed later — by a retry, by the
// commune's next submission, by another process on the same folder. Whatever the failing write and whoever
// completes it, every figure at an as_of before the completion stays what it was, and the completed version is
// visible at an as_of after it. The last check regenerates a meeting pack and compares its data hash.

import { FsObjectStore } from '@scorecard/functions/adapters/fs-store.ts';
import { createMeetingPack } from '@scorecard/functions/entry/local/packs.ts';
import { IngestService } from '@scorecard/functions/ingest/ingest-service.ts';
import { personKeyFromSecret } from '@scorecard/functions/ingest/person-key.ts';
import { ManualClock } from '@scorecard/functions/ports/clock.ts';
import { openWarehouse } from '@scorecard/functions/warehouse/duckdb-warehouse.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/data-dir.ts';
import { FaultyStore } from '../helpers/faulty-store.ts';
import { validSubmission } from '../helpers/fixtures.ts';

const admin = { sub: 'a', role: 'admin' as const };
const personKey = personKeyFromSecret('k');

async function seen(dir: string, asOf: string) {
  const wh = await openWarehouse({ dataDir: dir, asOf, clock: new ManualClock(asOf) });
  try {
    const subs = (await wh.analyst.query('SELECT * FROM submissions', { maxRows: 10_000 })).rows
      .map((r) => JSON.stringify(r))
      .sort();
    const kpis = (await wh.analyst.query('SELECT * FROM kpi_commune_year', { maxRows: 100_000 })).rows
      .map((r) => JSON.stringify(r))
      .sort();
    return { subs, kpis };
  } finally {
    await wh.close();
  }
}

type Completer = 'retry' | 'next_version' | 'other_process';

describe('a version completed after a crash', () => {
  it('never appears at an as_of before its completion (generated failing writes and completers)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 7 }),
        fc.constantFrom<Completer>('retry', 'next_version', 'other_process'),
        async (failingPut, completer) => {
          const dir = tempDir('adv-crash-');
          const clock = new ManualClock('2026-10-01T03:00:00Z');
          const faulty = new FaultyStore(new FsObjectStore(dir));
          const svc = new IngestService({ store: faulty, clock, personKey });
          expect((await svc.ingest(validSubmission(), { actor: admin })).status).toBe('accepted');
          // The crash: the claim (put #1) lands, put #failingPut fails, the marker is never written.
          clock.set('2026-10-05T03:00:00Z');
          const crashed = validSubmission();
          crashed.report.dialogues_held = 9;
          faulty.failOnPut(failingPut);
          await expect(svc.ingest(crashed, { actor: admin })).rejects.toThrow(/injected/);
          const asOf = '2026-10-10T00:00:00.000Z';
          const before = await seen(dir, asOf);
          // Completed a month later.
          clock.set('2026-11-10T03:00:00Z');
          if (completer === 'retry') await svc.ingest(crashed, { actor: admin });
          else if (completer === 'next_version') {
            const next = validSubmission();
            next.report.dialogues_held = 11;
            await svc.ingest(next, { actor: admin });
          } else {
            const other = new IngestService({ store: new FsObjectStore(dir), clock, personKey });
            await other.ingest(validSubmission({ commune_code: '28261' }), { actor: admin });
            await other.completePending('28249', 2026);
          }
          expect(await seen(dir, asOf)).toEqual(before);
          // After the completion the crashed claim (version 2 of 28249) is visible.
          const later = await seen(dir, '2026-11-20T00:00:00.000Z');
          const versions = later.subs
            .map((r) => JSON.parse(r) as { commune_code: string; version: number })
            .filter((r) => r.commune_code === '28249');
          expect(versions.map((r) => r.version)).toContain(2);
          expect(
            before.subs.map((r) => JSON.parse(r) as { version: number }).map((r) => r.version),
          ).not.toContain(2);
        },
      ),
      { numRuns: 12 },
    );
  }, 300_000);

  it('a meeting pack at the same as_of keeps its data hash across the completion', async () => {
    const dir = tempDir('adv-crash-pack-');
    const clock = new ManualClock('2026-10-01T03:00:00Z');
    const faulty = new FaultyStore(new FsObjectStore(dir));
    const svc = new IngestService({ store: faulty, clock, personKey });
    await svc.ingest(validSubmission(), { actor: admin });
    await svc.ingest(validSubmission({ commune_code: '28261' }), { actor: admin });
    clock.set('2026-11-03T03:00:00Z');
    const crashed = validSubmission();
    crashed.report.dialogues_held = 9;
    faulty.failOnPut(7); // the commit marker
    await expect(svc.ingest(crashed, { actor: admin })).rejects.toThrow(/injected/);
    const pack = (out: string) =>
      createMeetingPack({
        dataDir: dir,
        year: 2026,
        meeting: 'annual',
        asOf: new Date('2026-11-06T00:00:00Z'),
        outDir: out,
        now: new Date('2026-11-06T01:00:00Z'),
      });
    const before = await pack(tempDir('crash-pack-before-'));
    clock.set('2026-11-20T03:00:00Z');
    await svc.ingest(crashed, { actor: admin }); // the retry completes it
    const after = await pack(tempDir('crash-pack-after-'));
    expect(after.submissions).toEqual(before.submissions);
    expect(after.data_sha256).toBe(before.data_sha256);
  }, 120_000);
});
