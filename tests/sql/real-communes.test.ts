// The views over the province's real reference list (102 communes, data-contracts): every commune has its
// rows whether it submitted or not, and the province's commune KPIs divide by all 102.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMUNES } from '@scorecard/data-contracts';
import { FsObjectStore } from '@scorecard/functions/adapters/fs-store.ts';
import { IngestService } from '@scorecard/functions/ingest/ingest-service.ts';
import { personKeyFromSecret } from '@scorecard/functions/ingest/person-key.ts';
import { ManualClock } from '@scorecard/functions/ports/clock.ts';
import { openWarehouse, type Warehouse } from '@scorecard/functions/warehouse/duckdb-warehouse.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validSubmission } from '../helpers/fixtures.ts';

const SUBMITTERS = ['28249', '28261', '28270'];
let dir: string;
let wh: Warehouse;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scorecard-real-'));
  const clock = new ManualClock('2026-10-01T00:00:00Z');
  const svc = new IngestService({
    store: new FsObjectStore(dir),
    clock,
    personKey: personKeyFromSecret('real-communes'),
  });
  for (const [i, code] of SUBMITTERS.entries()) {
    clock.set(`2026-10-0${i + 1}T00:00:00Z`);
    // distinct people per commune (the default fixture's IDs would make them all the same persons)
    const s = validSubmission({ commune_code: code });
    s.cadres = s.cadres.map((c, j) => ({ ...c, national_id: `09${i}${String(j).padStart(9, '0')}` }));
    expect((await svc.ingest(s, { actor: { sub: 'a', role: 'admin' } })).status).toBe('accepted');
  }
  clock.set('2026-12-01T00:00:00Z');
  wh = await openWarehouse({ dataDir: dir, clock });
});

afterAll(async () => {
  await wh?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the 102 reference communes', () => {
  it('communes is the reference list, names trimmed', async () => {
    const r = await wh.query(
      'select commune_code, name, type, former_province, former_district from communes',
    );
    expect(r.rows).toHaveLength(102);
    expect([...r.rows].sort((a, b) => String(a.commune_code).localeCompare(String(b.commune_code)))).toEqual(
      [...COMMUNES]
        .sort((a, b) => a.commune_code.localeCompare(b.commune_code))
        .map((c) => ({ ...c, name: c.name.trim() })),
    );
  });

  it('every commune has its KPI, data-quality and ranking rows', async () => {
    const [k] = (
      await wh.query('select count(*) as n, count(distinct commune_code) as communes from kpi_commune_year')
    ).rows;
    expect(k).toEqual({ n: 102 * 10, communes: 102 });
    expect((await wh.query('select count(*) as n from data_quality')).rows[0]?.n).toBe(102);
    const ranking = await wh.query('select commune_code, rank, rank_in_type, score from commune_ranking');
    expect(ranking.rows).toHaveLength(102);
    // the three identical, on-time submitters tie at the top; the 99 others tie behind them
    const top = ranking.rows
      .filter((r) => r.rank === 1)
      .map((r) => r.commune_code)
      .sort();
    expect(top).toEqual(SUBMITTERS);
    expect(
      new Set(ranking.rows.filter((r) => !SUBMITTERS.includes(String(r.commune_code))).map((r) => r.rank)),
    ).toEqual(new Set([4]));
  });

  it('province commune KPIs divide by all 102; non-submitters are missing', async () => {
    const p = await wh.query(
      "select kpi, numerator, denominator, communes_reporting from kpi_province_year where kpi in ('report_on_time', 'digital_cadre_mgmt', 'leader_standard')",
    );
    const by = Object.fromEntries(p.rows.map((r) => [r.kpi, r]));
    expect(by.report_on_time).toEqual({
      kpi: 'report_on_time',
      numerator: 3,
      denominator: 102,
      communes_reporting: 3,
    });
    expect(by.digital_cadre_mgmt).toEqual({
      kpi: 'digital_cadre_mgmt',
      numerator: 3,
      denominator: 102,
      communes_reporting: 3,
    });
    expect(by.leader_standard).toEqual({
      kpi: 'leader_standard',
      numerator: 6,
      denominator: 6,
      communes_reporting: 3,
    });
    const [m] = (
      await wh.query(
        "select count(*) as n, count(distinct commune_code) as communes from gap_warnings where scope = 'commune' and severity = 'missing'",
      )
    ).rows;
    expect(m).toEqual({ n: 99 * 7, communes: 99 });
  });
});
