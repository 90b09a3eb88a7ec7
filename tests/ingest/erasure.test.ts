import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/src/adapters/fs-store.ts';
import { eraseCadre } from '../../functions/src/ingest/erasure.ts';
import { IngestService } from '../../functions/src/ingest/ingest-service.ts';
import { personKeyFromSecret } from '../../functions/src/ingest/person-key.ts';
import { ManualClock } from '../../functions/src/ports/clock.ts';
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

    const r = await eraseCadre({ store, clock, personKey, audit: svc.audit }, { national_id: s.cadres[2]!.national_id! }, admin);
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
});
