// Erasure in the cloud (issue 15, item 10), against the S3 stand-in laid out as the stacks lay out the buckets:
// raw/ and audit/ under Object Lock (governance, 3653 days), curated/marts/exports versioned, Athena results not.
// On S3 an overwrite or a delete keeps the previous bytes as a version — for raw/, locked for ten years — so
// rewriting the current objects (what the local erasure does) leaves the person in every old version. The
// test reads EVERY version of EVERY object in every bucket, decoded (Parquet rows, Arrow rows, text), and
// looks for what identified the person: staff codes, the title, the old person key.
import type { S3ObjectStore } from '@scorecard/functions/adapters/s3-store.ts';
import { compactYear } from '@scorecard/functions/compaction/compact.ts';
import { createErasureHandler, type ErasureEvent } from '@scorecard/functions/entry/lambda/cloud-erasure.ts';
import { IngestService } from '@scorecard/functions/ingest/ingest-service.ts';
import { personKeyFromSecret } from '@scorecard/functions/ingest/person-key.ts';
import { viewToParquet } from '@scorecard/functions/marts/analysts-layer.ts';
import { MartTable } from '@scorecard/functions/marts/arrow.ts';
import { ManualClock } from '@scorecard/functions/ports/clock.ts';
import { describe, expect, it } from 'vitest';
import { cadre, validSubmission } from '../helpers/fixtures.ts';
import { useS3StandIn } from './s3-stand-in-process.ts';
import { everyVersion, hits } from './version-scan.ts';

const admin = { sub: 'dpo', role: 'admin' as const };
const TITLE = 'Công chức Tư pháp – hộ tịch';

const s3 = useS3StandIn();

interface Layout {
  buckets: Record<'raw' | 'curated' | 'marts' | 'exports' | 'results', string>;
  /** STORE_BUCKETS as the stacks set it (infra/lib/store-layout.ts), plus the Athena results' prefix. */
  routes: Record<string, string>;
}

async function layout(): Promise<Layout> {
  const buckets = {
    raw: await s3.bucket('raw', { objectLock: true }),
    curated: await s3.bucket('curated', { versioned: true }),
    marts: await s3.bucket('marts', { versioned: true }),
    exports: await s3.bucket('exports', { versioned: true }),
    results: await s3.bucket('athena-results'),
  };
  return {
    buckets,
    routes: {
      raw: buckets.raw,
      audit: buckets.raw,
      marts: buckets.marts,
      analysts: buckets.marts,
      exports: buckets.exports,
      athena: buckets.results,
    },
  };
}

describe('erasure on S3: no version anywhere keeps the person', () => {
  it('rewrites the current objects and removes every older version, Athena result and handover that held them', async () => {
    const l = await layout();
    const store: S3ObjectStore = s3.store(l.buckets.curated, l.routes);
    const clock = new ManualClock('2026-11-01T00:00:00Z');
    const personKey = personKeyFromSecret('k');
    const svc = new IngestService({ store, clock, personKey });
    const s = validSubmission();
    s.cadres[2] = cadre(3, { cadre_code: 'ERASE-ME', position: TITLE, birth_year: 1990, gender: 'nu' });
    await svc.ingest(s, { actor: admin });
    const other = validSubmission({ commune_code: '28261' });
    other.cadres[2] = cadre(3, { cadre_code: 'TS-77', position: 'Chuyên viên' });
    await svc.ingest(other, { actor: admin });
    const corrected = structuredClone(s);
    corrected.report.dialogues_held = 4;
    clock.advance(1000);
    await svc.ingest(corrected, { actor: admin });
    // Compaction writes the year's parts and, past the grace period, deletes the small files: on a versioned
    // bucket those deletes only hide them.
    expect((await compactYear({ store, clock, year: 2026, graceMs: 0 })).status).toBe('compacted');
    clock.advance(60_000);
    await compactYear({ store, clock, year: 2026, graceMs: 0 });
    // A marts generation that held the staff code, since retired (deleted: a noncurrent version remains);
    // an Athena result of the refresh; a large answer handed over under exports/downloads/.
    const varchar = (name: string) => ({ name, type: 'VARCHAR' });
    const mart = MartTable.fromRows(
      [varchar('commune_code'), varchar('cadre_code'), varchar('position')],
      [{ commune_code: s.commune_code, cadre_code: 'ERASE-ME', position: TITLE }],
    ).toIpc();
    await store.put('marts/0190aaaa-0000-7000-8000-000000000000/cadre_gaps.arrow', mart);
    await store.delete('marts/0190aaaa-0000-7000-8000-000000000000/cadre_gaps.arrow');
    // An analysts' layer file that held the old person key, since overwritten (its old bytes a noncurrent version).
    const heldKey = personKey(s.cadres[2]?.national_id as string);
    const keyColumn = [{ name: 'person_key', type: 'VARCHAR' }];
    const layer = 'analysts/cadres/generation=g0/data.parquet';
    await store.put(layer, viewToParquet(keyColumn, [{ person_key: heldKey }]));
    await store.put(layer, viewToParquet(keyColumn, [{ person_key: 'f'.repeat(64) }]));
    await store.put(
      'athena/scorecard-refresh/1b2c.csv',
      `"commune_code","cadre_code"\n"${s.commune_code}","ERASE-ME"\n`,
    );
    await store.put(
      'exports/downloads/4d5e.json',
      JSON.stringify([{ cadre_code: 'TS-77', position: 'Chuyên viên' }]),
    );

    const oldKey = personKey(s.cadres[2]?.national_id as string);
    const needles = ['ERASE-ME', 'TS-77', TITLE, oldKey];
    expect(hits(await everyVersion(s3, Object.values(l.buckets)), needles).length).toBeGreaterThan(10);
    const rawBefore = await s3.store(l.buckets.raw).list('raw/');
    const auditBefore = await s3.store(l.buckets.raw).versions('audit/');

    const erase = createErasureHandler({
      store: s3.store(l.buckets.curated, l.routes, { bypassGovernanceFor: ['raw'] }),
      clock,
      personKey: async () => personKey,
    });
    const event: ErasureEvent = {
      national_id: s.cadres[2]?.national_id as string,
      requested_by: 'dpo-ticket-42',
    };
    const r = await erase(event);
    expect(r.rows_erased).toBe(3);
    expect(r.versions_rewritten).toHaveLength(3);
    expect(hits(await everyVersion(s3, Object.values(l.buckets)), needles)).toEqual([]);
    expect(r.versions_removed).toBeGreaterThan(0);
    // What must stay: every raw version (erased), and the audit trail whole (it never held the person).
    expect(await s3.store(l.buckets.raw).list('raw/')).toEqual(rawBefore);
    const auditAfter = await s3.store(l.buckets.raw).versions('audit/');
    expect(auditAfter.length).toBeGreaterThan(auditBefore.length); // plus the erasure's own event
    expect(auditAfter.map((v) => v.versionId)).toEqual(
      expect.arrayContaining(auditBefore.map((v) => v.versionId)),
    );
  });

  it('without the governance bypass the erasure stops at the first locked version; run again with it, it completes', async () => {
    const l = await layout();
    const clock = new ManualClock('2026-11-01T00:00:00Z');
    const personKey = personKeyFromSecret('k');
    const store = s3.store(l.buckets.curated, l.routes);
    const svc = new IngestService({ store, clock, personKey });
    const s = validSubmission();
    s.cadres[2] = cadre(3, { cadre_code: 'ERASE-ME' });
    await svc.ingest(s, { actor: admin });
    const event = { commune_code: s.commune_code, cadre_code: 'ERASE-ME', requested_by: 'x' };
    await expect(
      createErasureHandler({ store, clock, personKey: async () => personKey })(event),
    ).rejects.toMatchObject({
      name: 'ErasureIncomplete',
      message: expect.stringMatching(/s3:BypassGovernanceRetention.*Invoke commune-scorecard-erasure again/),
    });
    expect(hits(await everyVersion(s3, Object.values(l.buckets)), ['ERASE-ME']).length).toBeGreaterThan(0);
    // The rows are already erased, so the second run rewrites nothing — and still removes the locked versions.
    const again = await createErasureHandler({
      store: s3.store(l.buckets.curated, l.routes, { bypassGovernanceFor: ['raw'] }),
      clock,
      personKey: async () => personKey,
    })(event);
    expect(again.rows_erased).toBe(0);
    expect(again.versions_removed).toBeGreaterThan(0);
    expect(hits(await everyVersion(s3, Object.values(l.buckets)), ['ERASE-ME'])).toEqual([]);
  });

  it('refuses an event that names nobody, or names someone two ways, before touching anything', async () => {
    const l = await layout();
    const clock = new ManualClock('2026-11-01T00:00:00Z');
    const erase = createErasureHandler({
      store: s3.store(l.buckets.curated, l.routes),
      clock,
      personKey: async () => personKeyFromSecret('k'),
    });
    for (const bad of [
      {},
      { requested_by: 'x' },
      { national_id: '12345', requested_by: 'x' },
      { national_id: '001090000003', commune_code: '28249', cadre_code: 'A', requested_by: 'x' },
      { commune_code: '28249', requested_by: 'x' },
      { national_id: '001090000003' },
    ]) {
      const error = await erase(bad as ErasureEvent).then(
        () => null,
        (e: Error) => e.message,
      );
      expect(error, JSON.stringify(bad)).toMatch(/Sự kiện xóa không hợp lệ.*Invalid erasure event/);
      // It names the wrong fields, never a value (one may be a national ID).
      for (const v of Object.values(bad).filter((x) => x.length >= 5))
        expect(error, JSON.stringify(bad)).not.toContain(v);
    }
    expect(await s3.store(l.buckets.curated, l.routes).list('')).toEqual([]);
  });
});
