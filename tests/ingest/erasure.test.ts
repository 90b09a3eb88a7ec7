import { DuckDBInstance } from '@duckdb/node-api';
import { FsObjectStore } from '@scorecard/functions/adapters/fs-store.ts';
import { compactYear, DEFAULT_GRACE_MS } from '@scorecard/functions/compaction/compact.ts';
import { eraseCadre } from '@scorecard/functions/ingest/erasure.ts';
import { IngestService } from '@scorecard/functions/ingest/ingest-service.ts';
import { personKeyFromSecret } from '@scorecard/functions/ingest/person-key.ts';
import { ManualClock } from '@scorecard/functions/ports/clock.ts';
import { describe, expect, it } from 'vitest';
import { grepFiles, tempDir } from '../helpers/data-dir.ts';
import { cadre, validSubmission } from '../helpers/fixtures.ts';

const admin = { sub: 'dpo', role: 'admin' as const };

describe('erasure of a cadre', () => {
  it('removes staff code, position, person key, birth year and gender everywhere; keeps anonymous statistics', async () => {
    const dir = tempDir('erase-');
    const store = new FsObjectStore(dir);
    const clock = new ManualClock('2026-11-01T00:00:00Z');
    const personKey = personKeyFromSecret('k');
    const svc = new IngestService({ store, clock, personKey });
    const s = validSubmission();
    s.cadres[2] = cadre(3, { position: 'Công chức Tư pháp – hộ tịch', birth_year: 1990, gender: 'nu' });
    await svc.ingest(s, { actor: admin });
    // The same person (same national ID) also listed by another commune, and a correction in the first.
    const other = validSubmission({ commune_code: '28261' });
    other.cadres[2] = cadre(3, { cadre_code: 'TS-77', position: 'Chuyên viên' });
    await svc.ingest(other, { actor: admin });
    const corrected = structuredClone(s);
    corrected.report.dialogues_held = 4;
    clock.advance(1000);
    await svc.ingest(corrected, { actor: admin });

    const r = await eraseCadre(
      { store, clock, personKey, audit: svc.audit },
      { national_id: s.cadres[2]!.national_id! },
      admin,
    );
    expect(r.versions_rewritten).toHaveLength(3);
    expect(r.rows_erased).toBe(3);
    expect(grepFiles(dir, 'DT-0003')).toEqual([]); // the audit trail never held it either
    expect(grepFiles(dir, 'TS-77')).toEqual([]);
    expect(grepFiles(dir, 'Công chức Tư pháp – hộ tịch')).toEqual([]);
    expect(grepFiles(dir, personKey(s.cadres[2]!.national_id!))).toEqual([]);

    const db = await (await DuckDBInstance.create(':memory:')).connect();
    const rows = (
      await db.runAndReadAll(
        `SELECT count(*) AS n, count(DISTINCT person_key) AS people, sum(CASE WHEN meets_competency_standard THEN 1 ELSE 0 END) AS meeting FROM read_parquet('${dir}/curated/cadres/**/*.parquet')`,
      )
    ).getRowObjectsJson()[0];
    expect(rows).toMatchObject({ n: '15' }); // no row lost: the statistics stay
    // Erasure leaves a record (ids only) and an audit event.
    expect(grepFiles(dir, r.erasure_id).some((f) => f.startsWith('erasures/'))).toBe(true);
  });

  it('after compaction, rewrites the compacted copy too: no file keeps the person, within the grace period or after', async () => {
    const dir = tempDir('erase-compacted-');
    const store = new FsObjectStore(dir);
    const clock = new ManualClock('2026-11-01T00:00:00Z');
    const personKey = personKeyFromSecret('k');
    const svc = new IngestService({ store, clock, personKey });
    const s = validSubmission();
    s.cadres[2] = cadre(3, {
      cadre_code: 'ERASE-ME',
      position: 'Công chức Tư pháp – hộ tịch',
      birth_year: 1990,
    });
    await svc.ingest(s, { actor: admin });
    await svc.ingest(validSubmission({ commune_code: '28261' }), { actor: admin });
    expect((await compactYear({ store, clock, year: 2026, graceMs: 0 })).status).toBe('compacted');
    // Every row of every Parquet file (any file, no read rule): the staff codes it holds.
    const codesOnDisk = async () => {
      const db = await (await DuckDBInstance.create(':memory:')).connect();
      const r = await db.runAndReadAll(
        `SELECT cadre_code FROM read_parquet('${dir}/restricted/cadre_identity/**/*.parquet')`,
      );
      return r.getRowObjectsJson().map((x) => String(x.cadre_code));
    };
    expect(await codesOnDisk()).toContain('ERASE-ME');

    clock.advance(1000);
    const r = await eraseCadre(
      { store, clock, personKey, audit: svc.audit },
      { commune_code: s.commune_code, cadre_code: 'ERASE-ME' },
      admin,
    );
    // The fixtures give both communes' third cadre the same national ID: the same person, erased in both.
    expect(r.rows_erased).toBe(2);
    expect(r.years_recompacted).toEqual([2026]);
    // At once, even within the grace period: every copy (the superseded small files too) is rewritten in place …
    expect(await codesOnDisk()).not.toContain('ERASE-ME');
    // … and the next compaction after the grace period keeps it so.
    clock.advance(DEFAULT_GRACE_MS);
    await compactYear({ store, clock, year: 2026 });
    const left = await codesOnDisk();
    expect(left).not.toContain('ERASE-ME');
    expect(left.length).toBe(2 * s.cadres.length); // no other row lost
    // The ingest service still sees both submissions as committed: a resubmission of the same content is a duplicate.
    expect((await svc.ingest(validSubmission({ commune_code: '28261' }), { actor: admin })).status).toBe(
      'duplicate',
    );
  });

  it('with no grace period (the local erase command on an idle folder), nothing of the person is left at once', async () => {
    const dir = tempDir('erase-now-');
    const store = new FsObjectStore(dir);
    const clock = new ManualClock('2026-11-01T00:00:00Z');
    const personKey = personKeyFromSecret('k');
    const svc = new IngestService({ store, clock, personKey });
    const s = validSubmission();
    s.cadres[1] = cadre(2, { cadre_code: 'GONE-NOW', position: 'Công chức Văn hóa – xã hội' });
    await svc.ingest(s, { actor: admin });
    await compactYear({ store, clock, year: 2026, graceMs: 0 });
    const r = await eraseCadre(
      { store, clock, personKey, audit: svc.audit },
      { commune_code: s.commune_code, cadre_code: 'GONE-NOW' },
      admin,
    );
    expect(r.years_recompacted).toEqual([2026]);
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    const rows = (
      await db.runAndReadAll(
        `SELECT cadre_code FROM read_parquet('${dir}/restricted/cadre_identity/**/*.parquet')`,
      )
    ).getRowObjectsJson();
    expect(rows.map((x) => x.cadre_code)).not.toContain('GONE-NOW');
    expect(rows).toHaveLength(s.cadres.length);
  });
});
