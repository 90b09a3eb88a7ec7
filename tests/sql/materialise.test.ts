// Materialisation is an optimisation only: whether a load computes no view, the shared ones (the full
// database's default) or all of them (the analysts' database), every view returns the same rows. Golden
// fixture (tests/sql/fixture.ts), real DuckDB.
import { rmSync } from 'node:fs';
import {
  ANALYST_VIEWS,
  openWarehouse,
  sharedViews,
  viewFiles,
  type Warehouse,
} from '@scorecard/functions/warehouse/duckdb-warehouse.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, FIXTURE_COMMUNES, type Fixture, NOW } from './fixture.ts';

let fx: Fixture;
const open: Warehouse[] = [];

beforeAll(async () => {
  fx = await buildFixture();
});

afterAll(async () => {
  for (const w of open) await w.close();
  if (fx) rmSync(fx.dir, { recursive: true, force: true });
});

async function everyView(
  w: Warehouse,
  names: readonly string[],
  analyst = false,
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const v of names) {
    const r = await (analyst ? w.analyst : w).query(`select * from ${v}`, { maxRows: 1_000_000 });
    out.set(v, r.rows.map((row) => JSON.stringify(row)).sort());
  }
  return out;
}

describe('materialisation', () => {
  it('shared = the views a later view reads (the internal layers and the KPI tables), not the leaves', () => {
    const shared = sharedViews();
    for (const v of [
      'base_submissions',
      'base_roster',
      'base_commune_year',
      'base_kpi_counts',
      'kpi_commune_year',
      'kpi_province_year',
    ])
      expect(shared.has(v), v).toBe(true);
    for (const v of ['cadres', 'commune_reports', 'gap_warnings', 'cadre_gaps', 'commune_ranking'])
      expect(shared.has(v), v).toBe(false);
  });

  it('none, shared and all give identical rows in every view', async () => {
    const names = viewFiles().map((v) => v.name);
    const none = await openWarehouse({
      dataDir: fx.dir,
      asOf: NOW,
      communes: FIXTURE_COMMUNES,
      materialise: 'none',
    });
    const shared = await openWarehouse({ dataDir: fx.dir, asOf: NOW, communes: FIXTURE_COMMUNES });
    open.push(none, shared);
    const a = await everyView(none, names);
    const b = await everyView(shared, names);
    for (const v of names) expect(b.get(v), v).toEqual(a.get(v));
    // The analysts' database materialises every view it holds: same rows again.
    const c = await everyView(shared, ANALYST_VIEWS, true);
    for (const v of ANALYST_VIEWS) expect(c.get(v), v).toEqual(a.get(v));
    // The fixture is not trivial.
    for (const v of ['kpi_commune_year', 'gap_warnings', 'commune_ranking', 'cadre_gaps'])
      expect(a.get(v)?.length, v).toBeGreaterThan(0);
  });

  it('drops a stored table no view still reads (the cadre rows are not held twice), keeps the ones views read', async () => {
    const shared = await openWarehouse({ dataDir: fx.dir, asOf: NOW, communes: FIXTURE_COMMUNES });
    open.push(shared);
    await expect(shared.query('select count(*) as n from curated_cadres')).rejects.toThrow(/curated_cadres/);
    // cadre_gaps stays a view over the restricted table: that table is kept.
    expect(
      ((await shared.query('select count(*) as n from restricted_cadre_identity')).rows[0]?.n as number) > 0,
    ).toBe(true);
    expect(((await shared.query('select count(*) as n from cadre_gaps')).rows[0]?.n as number) > 0).toBe(
      true,
    );
  });

  it('without overlapping reloads, a query during a reload waits for the new snapshot and sees it', async () => {
    const clock = {
      t: new Date('2029-06-01T00:00:00Z'),
      now() {
        return this.t;
      },
    };
    const wh = await openWarehouse({
      dataDir: fx.dir,
      clock,
      communes: FIXTURE_COMMUNES,
      overlapReloads: false,
    });
    open.push(wh);
    const before = (await wh.query('select count(*) as n from submissions')).rows[0]?.n as number;
    clock.t = new Date(NOW);
    const reload = wh.reload();
    const during = wh.query('select count(*) as n from submissions');
    await reload;
    const n = (await during).rows[0]?.n as number;
    expect(n).toBe((await wh.query('select count(*) as n from submissions')).rows[0]?.n);
    expect(n).toBeGreaterThan(before);
    expect(wh.asOf.toISOString()).toBe(new Date(NOW).toISOString());
  });
});
