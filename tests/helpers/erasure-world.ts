// The erasure world shared by the local and the S3 adversarial erasure tests: a store where one person is listed
// in commune A (and maybe B), in 2026 (and maybe 2027), with a correction, beside a commune that never lists
// them; and the figures that must not change when they are erased.
import { IngestService } from '@scorecard/functions/ingest/ingest-service.ts';
import type { PersonKeyFn } from '@scorecard/functions/ingest/person-key.ts';
import { ManualClock } from '@scorecard/functions/ports/clock.ts';
import type { ObjectStore } from '@scorecard/functions/ports/object-store.ts';
import { openWarehouse } from '@scorecard/functions/warehouse/duckdb-warehouse.ts';
import { expect } from 'vitest';
import { cadre, validSubmission } from './fixtures.ts';

const admin = { sub: 'dpo', role: 'admin' as const };
export const NATIONAL_ID = '087201099999';
export const CODE_A = 'ERASE-ME';
export const CODE_B = 'TS-77';
export const TITLE = 'Công chức Tư pháp – hộ tịch (riêng)';

export type CompactionState = 'none' | 'swept' | 'within_grace' | 'twice' | 'concurrent';

/** A folder where the person is listed in commune A (and maybe B), in 2026 (and maybe 2027), with corrections. */
export async function folder(
  opts: { twoCommunes: boolean; twoYears: boolean },
  store: ObjectStore,
  clock: ManualClock,
  personKey: PersonKeyFn,
) {
  const svc = new IngestService({ store, clock, personKey });
  const years = opts.twoYears ? [2026, 2027] : [2026];
  for (const year of years) {
    clock.set(`${year}-10-01T03:00:00Z`);
    const a = validSubmission({ year });
    // Not meeting the standard, record not digitised: the person counts in the figures and shows in cadre_gaps.
    a.cadres[2] = cadre(3, {
      cadre_code: CODE_A,
      national_id: NATIONAL_ID,
      position: TITLE,
      birth_year: 1990,
      gender: 'nu',
      meets_competency_standard: false,
      record_digitized: false,
    });
    expect((await svc.ingest(a, { actor: admin })).status).toBe('accepted');
    if (opts.twoCommunes) {
      const b = validSubmission({ commune_code: '28261', year });
      b.cadres[4] = cadre(9, {
        cadre_code: CODE_B,
        national_id: NATIONAL_ID,
        category: 'hop_dong',
        trainings: [],
      });
      expect((await svc.ingest(b, { actor: admin })).status).toBe('accepted');
    }
    const other = validSubmission({ commune_code: '28270', year });
    other.cadres = other.cadres.map((c, i) => ({
      ...c,
      national_id: `0872019${String(10000 + i).slice(-5)}`,
      cadre_code: `X-${i}`,
    }));
    expect((await svc.ingest(other, { actor: admin })).status).toBe('accepted');
    clock.advance(86_400_000);
    const corrected = structuredClone(a);
    corrected.report.dialogues_held = 5;
    expect((await svc.ingest(corrected, { actor: admin })).status).toBe('accepted');
  }
  return years;
}

const FIGURES = [
  'kpi_commune_year',
  'kpi_province_year',
  'gap_warnings',
  'commune_ranking',
  'data_quality',
  'data_quality_findings',
  'commune_reports',
  'commune_staffing',
];

export async function figures(dir: string, at: string): Promise<Record<string, unknown[]>> {
  const wh = await openWarehouse({ dataDir: dir, asOf: at, clock: new ManualClock(at) });
  try {
    const out: Record<string, unknown[]> = {};
    // Views promise no order: compare the rows as a sorted list.
    for (const v of FIGURES)
      out[v] = (await wh.analyst.query(`SELECT * FROM ${v}`, { maxRows: 100_000 })).rows
        .map((r) => JSON.stringify(r))
        .sort();
    return out;
  } finally {
    await wh.close();
  }
}
