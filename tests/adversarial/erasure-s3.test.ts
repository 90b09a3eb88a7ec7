// Adversarial: erasure on S3 as deployed (issue 15, item 10), against the stand-in's model of versioned buckets
// and Object Lock. Generated variants, from the words alone: the compaction state before the erasure
// (none, compacted and swept, within the grace period, compacted twice, a compaction running at the same time),
// the target (national ID, or staff code in one commune), the person listed in one or two communes and one or
// two years, an erasure first run without the governance bypass (it stops; the second run completes it),
// an erasure run twice, and leftovers of the moment (a retired marts generation, an Athena result, a handover).
// After it, every version of every object in every bucket — decoded — is searched for the staff codes, the
// title and the old person key; the figures read from the current objects are those from before; every raw
// version is still there, with one version each; the audit trail lost nothing.
import { compactYear } from '@scorecard/functions/compaction/compact.ts';
import { createErasureHandler } from '@scorecard/functions/entry/lambda/cloud-erasure.ts';
import { personKeyFromSecret } from '@scorecard/functions/ingest/person-key.ts';
import { MartTable } from '@scorecard/functions/marts/arrow.ts';
import { ManualClock } from '@scorecard/functions/ports/clock.ts';
import type { ObjectStore } from '@scorecard/functions/ports/object-store.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { downloadTables } from '../helpers/data-dir.ts';
import {
  CODE_A,
  CODE_B,
  type CompactionState,
  figures,
  folder,
  NATIONAL_ID,
  TITLE,
} from '../helpers/erasure-world.ts';
import { useS3StandIn } from '../infra/s3-stand-in-process.ts';
import { everyVersion, hits } from '../infra/version-scan.ts';

const s3 = useS3StandIn();

describe('erasure on S3, whatever the state: nothing of the person in any version, no figure changed', () => {
  it('generated states, targets, spreads, interruptions and repeats', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<CompactionState>('none', 'swept', 'within_grace', 'twice', 'concurrent'),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom('once', 'interrupted', 'twice'),
        async (state, byNationalId, twoCommunes, twoYears, run) => {
          const buckets = {
            raw: await s3.bucket('raw', { objectLock: true }),
            curated: await s3.bucket('curated', { versioned: true }),
            marts: await s3.bucket('marts', { versioned: true }),
            exports: await s3.bucket('exports', { versioned: true }),
            results: await s3.bucket('athena-results'),
          };
          const routes = {
            raw: buckets.raw,
            audit: buckets.raw,
            marts: buckets.marts,
            exports: buckets.exports,
            athena: buckets.results,
          };
          const store = s3.store(buckets.curated, routes);
          const erasing = s3.store(buckets.curated, routes, { bypassGovernanceFor: ['raw'] });
          const clock = new ManualClock('2026-10-01T03:00:00Z');
          const personKey = personKeyFromSecret('k');
          const years = await folder({ twoCommunes, twoYears }, store, clock, personKey);
          clock.set('2027-12-01T03:00:00Z');
          const compactAll = (graceMs: number) =>
            Promise.all(years.map((year) => compactYear({ store, clock, year, graceMs })));
          if (state === 'swept' || state === 'twice') await compactAll(0);
          if (state === 'within_grace' || state === 'twice') await compactAll(30 * 60_000);
          // Leftovers of the moment that held the person.
          const varchar = (name: string) => ({ name, type: 'VARCHAR' });
          const gen = 'marts/0190aaaa-0000-7000-8000-000000000001/cadre_gaps.arrow';
          await store.put(
            gen,
            MartTable.fromRows(
              [varchar('cadre_code'), varchar('position')],
              [{ cadre_code: CODE_A, position: TITLE }],
            ).toIpc(),
          );
          await store.delete(gen);
          await store.put('athena/scorecard-analysts/q.csv', `"cadre_code"\n"${CODE_B}"\n`);
          await store.put('exports/downloads/h.json', JSON.stringify({ position: TITLE }));

          const at = '2027-12-02T00:00:00.000Z';
          clock.set('2027-12-01T04:00:00Z');
          const before = await figures(await downloadTables(store), at);
          const rawBefore = await s3.store(buckets.raw).list('raw/');
          const auditBefore = (await s3.store(buckets.raw).versions('audit/')).map((v) => v.versionId);
          const event = byNationalId
            ? { national_id: NATIONAL_ID, requested_by: 'dpo' }
            : { commune_code: '28249', cadre_code: CODE_A, requested_by: 'dpo' };
          const deps = (s: ObjectStore) => ({ store: s, clock, personKey: async () => personKey });
          const running = state === 'concurrent' ? compactAll(0) : Promise.resolve([]);
          if (run === 'interrupted')
            await expect(createErasureHandler(deps(store))(event)).rejects.toMatchObject({
              name: 'ErasureIncomplete',
            });
          const r = await createErasureHandler(deps(erasing))(event);
          if (run === 'twice') {
            const again = await createErasureHandler(deps(erasing))(event);
            expect(again.rows_erased).toBe(0);
          }
          await running;
          await compactAll(0); // a compaction after it brings nothing back

          const expectedRows = years.length * (2 + (twoCommunes ? 1 : 0));
          if (run !== 'interrupted') expect(r.rows_erased).toBe(expectedRows);
          const all = await everyVersion(s3, Object.values(buckets));
          expect(hits(all, [CODE_A, CODE_B, TITLE, personKey(NATIONAL_ID)])).toEqual([]);
          expect(await figures(await downloadTables(store), at)).toEqual(before);
          // Every raw version stays, erased, as one version; the audit trail keeps every record.
          const rawVersions = await s3.store(buckets.raw).versions('raw/');
          expect(rawVersions.map((v) => v.key)).toEqual(rawBefore);
          expect(rawVersions.every((v) => v.latest && !v.deleteMarker)).toBe(true);
          const auditAfter = (await s3.store(buckets.raw).versions('audit/')).map((v) => v.versionId);
          expect(auditAfter).toEqual(expect.arrayContaining(auditBefore));
        },
      ),
      { numRuns: 10 },
    );
  }, 600_000);
});
