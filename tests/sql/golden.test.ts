// Golden tests of the views on DuckDB: the hand-built fixture (fixture.ts) against values computed by hand,
// compared value by value. The arithmetic is spelled out next to each expectation so a reader can check it.
import { rmSync } from 'node:fs';
import { KPI_CODES, PLAN, type Plan, parsePlan } from '@scorecard/data-contracts';
import type { SqlRow } from '@scorecard/functions/ports/sql-engine.ts';
import { openWarehouse, type Warehouse } from '@scorecard/functions/warehouse/duckdb-warehouse.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { A, B, buildFixture, C, CODES, D, E, F, FIXTURE_COMMUNES, type Fixture, NOW } from './fixture.ts';

let fx: Fixture;
let wh: Warehouse;

beforeAll(async () => {
  fx = await buildFixture();
  wh = await openWarehouse({ dataDir: fx.dir, asOf: NOW, communes: FIXTURE_COMMUNES });
});

afterAll(async () => {
  await wh?.close();
  if (fx) rmSync(fx.dir, { recursive: true, force: true });
});

async function rows(w: Warehouse, sql: string): Promise<SqlRow[]> {
  return (await w.query(sql)).rows;
}

/** The plan's KPIs in plan order (the expectation arrays below follow it). */
const KPIS: readonly string[] = KPI_CODES;

/** [numerator, denominator, met] per KPI in KPIS order; value_pct is checked as numerator × 100 / denominator. */
type KpiRow = [number | null, number | null, boolean | null];

function expectKpis(actual: SqlRow[], commune: string | null, year: number, expected: KpiRow[]) {
  const mine = actual.filter((r) => r.year === year && (commune === null || r.commune_code === commune));
  expect(mine.map((r) => r.kpi).sort()).toEqual([...KPIS].sort());
  KPIS.forEach((kpi, i) => {
    const row = mine.find((r) => r.kpi === kpi) as SqlRow;
    const [num, den, met] = expected[i] as KpiRow;
    const where = `${commune ?? 'province'} ${year} ${kpi}`;
    expect({ where, numerator: row.numerator, denominator: row.denominator, met: row.met }).toEqual({
      where,
      numerator: num,
      denominator: den,
      met,
    });
    if (num === null || den === null || den === 0) expect(row.value_pct, where).toBeNull();
    else expect(row.value_pct, where).toBeCloseTo((num * 100) / den, 10);
  });
}

describe('kpi_commune_year — 2026, every reference commune', () => {
  let k: SqlRow[];
  beforeAll(async () => {
    k = await rows(wh, 'select * from kpi_commune_year where year = 2026');
  });

  it('has one row per reference commune and KPI, with the P1 targets', () => {
    expect(k).toHaveLength(6 * 10);
    const t = (kpi: string) => k.find((r) => r.commune_code === A && r.kpi === kpi) as SqlRow;
    expect([
      t('leader_standard').target_pct,
      t('leader_standard').comparator,
      t('leader_standard').phase,
    ]).toEqual([90, 'gt', 'P1']);
    expect([t('satisfaction').target_pct, t('satisfaction').comparator]).toEqual([85, 'gt']);
    expect([t('staffing_complete').target_pct, t('staffing_complete').comparator]).toEqual([100, 'gte']);
    // within_quota is tracked in P1 without a target: target, comparator and met are NULL.
    expect([t('within_quota').target_pct, t('within_quota').comparator, t('within_quota').met]).toEqual([
      null,
      null,
      null,
    ]);
  });

  it('A: exactly 90 % is not "trên 90%"; contract staff count in nothing', () => {
    // active = 10 (2 leaders + 8 civil servants; the 2 contract staff excluded, one of them a failing "leader")
    expectKpis(k, A, 2026, [
      [2, 2, true], // leader_standard: both real leaders meet it (the contract "leader" does not count)
      [8, 10, false], // digital_proficiency: cadres 9, 10 not e-doc proficient → 80 % vs gt 95
      [1, 1, true],
      [9, 10, false], // records_digitized: 9/10 = 90.0 % — gt 90 is NOT met
      [90, 100, true], // satisfaction 90 % > 85
      [2, 2, true],
      [1, 1, true],
      [1, 1, null], // within_quota: 8 ≤ 10, no P1 target
      [0, 1, false], // initiative not replicated
      [1, 1, true],
    ]);
  });

  it('B: a denominator of 0 gives NULL, not 0 % or 100 %', () => {
    expectKpis(k, B, 2026, [
      [0, 0, null], // no leaders
      [4, 4, true],
      [1, 1, true],
      [4, 4, true],
      [0, 0, null], // no survey respondents
      [0, 0, null],
      [1, 1, true],
      [1, 1, null],
      [1, 1, true],
      [1, 1, true],
    ]);
  });

  it('C: the correction (v2) supersedes v1; punctuality stays v1’s', () => {
    expectKpis(k, C, 2026, [
      [1, 1, true],
      [4, 4, true],
      [1, 1, true], // v1 said false; v2 (late) says true
      [4, 4, true],
      [50, 50, true],
      [1, 1, true],
      [1, 1, true],
      [1, 1, null],
      [0, 1, false],
      [1, 1, true], // first version on time; the late correction never changes it
    ]);
  });

  it('D (23:59:59 local) is on time, E (00:00:00 local, 6 Nov) is not', () => {
    expectKpis(k, D, 2026, [
      [1, 1, true],
      [4, 4, true],
      [1, 1, true],
      [4, 4, true],
      [9, 10, true], // 90 % > 85
      [1, 1, true],
      [0, 1, false], // one field short
      [1, 1, null],
      [0, 1, false],
      [1, 1, true],
    ]);
    expectKpis(k, E, 2026, [
      [1, 1, true],
      [4, 4, true],
      [1, 1, true],
      [4, 4, true],
      [9, 10, true],
      [1, 1, true],
      [1, 1, true],
      [1, 1, null],
      [0, 1, false],
      [0, 1, false],
    ]);
  });

  it('F never submitted: NULL values, except report_on_time = 0 and the initiative (none to carry)', () => {
    expectKpis(k, F, 2026, [
      [null, null, null],
      [null, null, null],
      [null, null, null],
      [null, null, null],
      [null, null, null],
      [null, null, null],
      [null, null, null],
      [null, null, null],
      [0, 1, false],
      [0, 1, false],
    ]);
  });
});

describe('kpi_province_year — pooled, all reference communes in commune-KPI denominators', () => {
  it('2026: pooled numerator/denominator and met per KPI, coverage 5/6 (cadre KPIs not judged), gap_units', async () => {
    const p = await rows(wh, 'select * from kpi_province_year where year = 2026');
    // 5 of the 6 reference communes reported: coverage 83.3 % is below the plan's 90 %, so the KPIs pooled over
    // cadres are not judged (met NULL, docs/kpis.md "Coverage"); the commune KPIs count F against the province.
    expectKpis(p, null, 2026, [
      [5, 5, null], // leaders: A 2 + B 0 + C 1 + D 1 + E 1 (100 %, but from 5 of 6 communes)
      [24, 26, null], // 8 + 4 + 4 + 4 + 4 of 10 + 4 + 4 + 4 + 4 = 92.3 %
      [5, 6, false], // F did not submit and counts as not meeting it
      [25, 26, null], // 9 + 4·4 of 26 = 96.2 %
      [158, 170, null], // (90 + 0 + 50 + 9 + 9) / (100 + 0 + 50 + 10 + 10)
      [5, 5, null],
      [4, 6, false], // D short, F missing
      [5, 6, null], // no P1 target
      [1, 6, false], // only B replicated
      [4, 6, false], // A, B, C, D on time; E late; F never
    ]);
    expect(new Set(p.map((r) => r.communes_reporting))).toEqual(new Set([5]));
    expect(new Set(p.map((r) => r.communes_expected))).toEqual(new Set([6]));
    expect(p[0]?.coverage_pct as number).toBeCloseTo(500 / 6, 10);
    expect(new Set(p.map((r) => r.year_closed))).toEqual(new Set([true]));
    // Missed targets say what it takes, in units: 1 more commune with digital cadre management (6/6 = 100 %),
    // 2 more with full staffing, 5 more with a replicated initiative, 2 more on time.
    const gap = (kpi: string) => p.find((r) => r.kpi === kpi)?.gap_units;
    expect([
      gap('digital_cadre_mgmt'),
      gap('staffing_complete'),
      gap('initiative_replicated'),
      gap('report_on_time'),
      gap('leader_standard'),
    ]).toEqual([1, 2, 5, 2, null]);
  });

  it('2029 judges against the P2 targets', async () => {
    const p = await rows(
      wh,
      "select * from kpi_province_year where year = 2029 and kpi in ('leader_standard', 'within_quota', 'satisfaction')",
    );
    const by = (kpi: string) => p.find((r) => r.kpi === kpi) as SqlRow;
    // Only A reported in 2029 (1 of 6, 16.7 % coverage): the cadre KPIs carry their values but are not judged.
    expect(by('leader_standard')).toMatchObject({
      phase: 'P2',
      numerator: 2,
      denominator: 2,
      target_pct: 100,
      comparator: 'gte',
      met: null,
      communes_reporting: 1,
      communes_expected: 6,
    });
    expect(by('within_quota')).toMatchObject({
      numerator: 1,
      denominator: 6,
      target_pct: 100,
      comparator: 'gte',
      met: false,
      communes_reporting: 1,
    });
    expect(by('satisfaction')).toMatchObject({
      numerator: 90,
      denominator: 100,
      target_pct: 90,
      comparator: 'gt',
      met: null,
    });
  });
});

describe('carry-forward, voids and later years', () => {
  it('B’s replicated initiative carries into years it did not submit; its other values are NULL', async () => {
    const k = await rows(wh, `select * from kpi_commune_year where commune_code = '${B}' and year > 2026`);
    for (const year of [2027, 2028, 2029]) {
      expectKpis(k, B, year, [
        [null, null, null],
        [null, null, null],
        [null, null, null],
        [null, null, null],
        [null, null, null],
        [null, null, null],
        [null, null, null],
        [null, null, null],
        [1, 1, true],
        [0, 1, false],
      ]);
    }
  });

  it('E 2027: the voided v1 is skipped — the first accepted version is v2, two days late', async () => {
    const s = await rows(
      wh,
      `select version, on_time, is_latest from submissions where commune_code = '${E}' and year = 2027`,
    );
    expect(s).toEqual([{ version: 2, on_time: false, is_latest: true }]);
    const [t] = await rows(
      wh,
      `select numerator, denominator from kpi_commune_year where commune_code = '${E}' and year = 2027 and kpi = 'report_on_time'`,
    );
    expect(t).toEqual({ numerator: 0, denominator: 1 });
    const [sat] = await rows(
      wh,
      `select numerator, denominator from kpi_commune_year where commune_code = '${E}' and year = 2027 and kpi = 'satisfaction'`,
    );
    expect(sat).toEqual({ numerator: 45, denominator: 50 }); // v2's survey
  });

  it('submissions lists every accepted, non-voided version with its own on-time flag', async () => {
    const s = await rows(
      wh,
      `select commune_code, year, version, is_latest, on_time from submissions where year = 2026`,
    );
    const key = (r: SqlRow) => `${r.commune_code}/${r.version}`;
    expect(Object.fromEntries(s.map((r) => [key(r), [r.is_latest, r.on_time]]))).toEqual({
      [`${A}/1`]: [true, true],
      [`${B}/1`]: [true, true],
      [`${C}/1`]: [false, true],
      [`${C}/2`]: [true, false],
      [`${D}/1`]: [true, true],
      [`${E}/1`]: [true, false],
    });
    const [e] = await rows(
      wh,
      `select received_at from submissions where commune_code = '${E}' and year = 2026`,
    );
    expect(e?.received_at).toBe('2026-11-05T17:00:00.000Z');
  });
});

/** [kpi, value_pct, target_pct, projected_pct, severity] */
type Warning = [string, number | null, number, number | null, string];

function expectWarnings(actual: SqlRow[], expected: Warning[]) {
  const got = actual
    .map((r) => [r.kpi, r.value_pct, r.target_pct, r.projected_pct, r.severity] as Warning)
    .sort((x, y) => x[0].localeCompare(y[0]));
  const want = [...expected].sort((x, y) => x[0].localeCompare(y[0]));
  expect(got.map((w) => [w[0], w[2], w[4]])).toEqual(want.map((w) => [w[0], w[2], w[4]]));
  got.forEach((w, i) => {
    const e = want[i] as Warning;
    for (const j of [1, 3] as const) {
      if (e[j] === null) expect(w[j], `${w[0]}[${j}]`).toBeNull();
      else expect(w[j] as number, `${w[0]}[${j}]`).toBeCloseTo(e[j] as number, 9);
    }
  });
}

async function warnings(scope: string, year: number, commune?: string) {
  const where = commune ? `and commune_code = '${commune}'` : '';
  return rows(wh, `select * from gap_warnings where scope = '${scope}' and year = ${year} ${where}`);
}

describe('gap_warnings — severities', () => {
  it('2026, commune scope: each commune’s warnings (KPI, value, target, projection, severity)', async () => {
    expectWarnings(await warnings('commune', 2026, A), [
      ['digital_proficiency', 80, 95, 80, 'high'], // one value: projection = current
      ['records_digitized', 90, 90, 90, 'high'], // exactly 90 % is not met
      ['initiative_replicated', 0, 100, 0, 'high'],
    ]);
    expectWarnings(await warnings('commune', 2026, B), [
      ['leader_standard', null, 90, null, 'missing'], // denominator 0
      ['satisfaction', null, 85, null, 'missing'],
      ['leader_trained', null, 95, null, 'missing'],
    ]);
    expectWarnings(await warnings('commune', 2026, D), [
      ['staffing_complete', 0, 100, 0, 'critical'], // deadline 2026, in the deadline year
      ['initiative_replicated', 0, 100, 0, 'high'],
    ]);
    expectWarnings(await warnings('commune', 2026, E), [
      ['initiative_replicated', 0, 100, 0, 'high'],
      ['report_on_time', 0, 100, 0, 'high'],
    ]);
    // F never submitted: `missing` for every KPI with a target and no value (within_quota has no P1 target).
    expectWarnings(await warnings('commune', 2026, F), [
      ['leader_standard', null, 90, null, 'missing'],
      ['digital_proficiency', null, 95, null, 'missing'],
      ['digital_cadre_mgmt', null, 100, null, 'missing'],
      ['records_digitized', null, 90, null, 'missing'],
      ['satisfaction', null, 85, null, 'missing'],
      ['leader_trained', null, 95, null, 'missing'],
      ['staffing_complete', null, 100, null, 'missing'],
      ['initiative_replicated', 0, 100, 0, 'high'],
      ['report_on_time', 0, 100, 0, 'high'],
    ]);
  });

  it('2026, province scope: the province’s warnings, cadre KPIs missing below the coverage threshold', async () => {
    // Coverage 5/6 < 90 %: every KPI pooled over cadres is `missing` at province scope (no projection), met or not.
    expectWarnings(await warnings('province', 2026), [
      ['leader_standard', 100, 90, null, 'missing'],
      ['digital_proficiency', 2400 / 26, 95, null, 'missing'],
      ['records_digitized', 2500 / 26, 90, null, 'missing'],
      ['satisfaction', 15800 / 170, 85, null, 'missing'],
      ['leader_trained', 100, 95, null, 'missing'],
      ['digital_cadre_mgmt', 500 / 6, 100, 500 / 6, 'high'],
      ['staffing_complete', 400 / 6, 100, 400 / 6, 'critical'],
      ['initiative_replicated', 100 / 6, 100, 100 / 6, 'high'],
      ['report_on_time', 400 / 6, 100, 400 / 6, 'high'],
    ]);
    const [p] = await warnings('province', 2026);
    expect(p?.commune_code).toBeNull();
  });

  it('2027: a projection that meets the target while the value does not is medium', async () => {
    // A's digital proficiency: 80 (2026), 90 (2027); the line reaches 100 in 2028, the end of P1: 100 > 95.
    expectWarnings(await warnings('commune', 2027, A), [['digital_proficiency', 90, 95, 100, 'medium']]);
    // B: the initiative carries (met); report_on_time 100 → 0 projects below 0, clamped to 0.
    const b = await warnings('commune', 2027, B);
    expect(
      b
        .filter((w) => w.severity === 'missing')
        .map((w) => w.kpi)
        .sort(),
    ).toEqual(
      [
        'digital_cadre_mgmt',
        'digital_proficiency',
        'leader_standard',
        'leader_trained',
        'records_digitized',
        'satisfaction',
        'staffing_complete',
      ].sort(),
    );
    expectWarnings(
      b.filter((w) => w.severity !== 'missing'),
      [['report_on_time', 0, 100, 0, 'high']],
    );
  });

  it('2028, the last year of P1: not met is critical', async () => {
    // digital 80, 90, 90 at x = −2, −1, 0 (x = year − 2028): slope 5, mean 260/3 at x̄ = −1 → 275/3 at 2028.
    expectWarnings(await warnings('commune', 2028, A), [
      ['digital_proficiency', 90, 95, 275 / 3, 'critical'],
    ]);
  });

  it('2029: a passed deadline (2026) and a deadline year (2029) are critical; P2 "trên 90%" not met is high', async () => {
    expectWarnings(await warnings('commune', 2029, A), [
      ['staffing_complete', 0, 100, 0, 'critical'], // 100, 100, 100, 0 → line at 2030 clamps to 0; the 2026 deadline has passed
      ['records_digitized', 90, 100, 95, 'critical'], // 90, 100, 100, 90: flat line at 95; 2029 is the deadline year
      ['satisfaction', 90, 90, 90, 'high'], // 90 every year: projection 90, not > 90
    ]);
  });

  it('met KPIs and KPIs without a target raise no warning', async () => {
    const w = await rows(
      wh,
      "select count(*) as n from gap_warnings where kpi = 'within_quota' and phase = 'P1'",
    );
    expect(w[0]?.n).toBe(0);
    const c = await rows(
      wh,
      `select count(*) as n from gap_warnings where commune_code = '${C}' and year = 2026 and kpi <> 'initiative_replicated'`,
    );
    expect(c[0]?.n).toBe(0);
  });
});

describe('data_quality — Đúng, Đủ, Sạch, Sống', () => {
  it('2026: Đúng, Đủ, Sạch, Sống and the score of each commune', async () => {
    const q = await rows(wh, 'select * from data_quality where year = 2026');
    const by = Object.fromEntries(q.map((r) => [r.commune_code, r]));
    const expected: Record<string, [number, number, number, number]> = {
      // [dung, du, sach, song]
      [A]: [100, 100, 90, 100], // 10 active cadres (the 2 contract staff count in neither part), cadre 3 also listed by B
      [B]: [100, 100, 75, 100], // 1 of 4 rows shared with A
      [C]: [100, 100, 100, 100], // Sống from v1 (on time); the late correction does not lower it
      [D]: [75, 100, 100, 100], // civil_servants 5 vs 3 cong_chuc rows; 23:59:59 local is on time
      [E]: [75, 100, 100, 98], // "Phó Trưởng phòng" without is_leader; exactly at the deadline = 1 day late
      [F]: [0, 0, 0, 0],
    };
    expect(q).toHaveLength(6);
    for (const code of CODES) {
      const [dung, du, sach, song] = expected[code] as [number, number, number, number];
      const r = by[code] as SqlRow;
      expect(r.dung as number, `${code} dung`).toBeCloseTo(dung, 10);
      expect(r.du as number, `${code} du`).toBeCloseTo(du, 10);
      expect(r.sach as number, `${code} sach`).toBeCloseTo(sach, 10);
      expect(r.song as number, `${code} song`).toBeCloseTo(song, 10);
      expect(r.score as number, `${code} score`).toBeCloseTo((dung + du + sach + song) / 4, 10);
    }
  });

  it('E 2027 is two days late (96); C 2028 fails two soft rules (50)', async () => {
    const [e] = await rows(wh, `select * from data_quality where commune_code = '${E}' and year = 2027`);
    expect(e).toMatchObject({ dung: 100, du: 100, sach: 100, song: 96, score: 99 });
    const [c] = await rows(wh, `select * from data_quality where commune_code = '${C}' and year = 2028`);
    expect(c).toMatchObject({ dung: 50, du: 100, sach: 100, song: 100, score: 87.5 });
  });

  it('data_quality_findings shows which rule failed and why', async () => {
    const f = await rows(wh, 'select * from data_quality_findings where passed = false');
    const got = f.map((r) => `${r.year} ${r.commune_code} ${r.rule} ${r.detail}`).sort();
    expect(got).toEqual(
      [
        `2026 ${D} civil_servants_mismatch declared=5,listed=3`,
        `2026 ${E} leader_title_not_leader rows=1`,
        `2028 ${C} headcount_change previous=4,current=6`,
        `2028 ${C} identical_evaluations evaluated=6`,
      ].sort(),
    );
    // Every submitting commune-year has one row per plan rule; A's contract "Tổ trưởng" does not fail it.
    const all = await rows(
      wh,
      `select count(*) as n from data_quality_findings where commune_code = '${A}' and year = 2026 and passed`,
    );
    expect(all[0]?.n).toBe(4);
  });
});

describe('commune_ranking', () => {
  it('2027: standard competition ranking 1, 2, 2, 4 with its components', async () => {
    const r = await rows(wh, 'select * from commune_ranking where year = 2027');
    const by = Object.fromEntries(r.map((x) => [x.commune_code, x]));
    // kpi_score: mean attainment over the 9 KPIs with a P1 target (within_quota has none).
    const kpiA = (8 * 100 + (90 / 95) * 100) / 9; // digital 90 vs 95: 94.7…; all else met
    const kpiCD = (8 * 100 + 0) / 9; // no replicated initiative: 0
    const kpiE = (7 * 100 + 0 + 0) / 9; // no initiative, late
    const kpiB = (100 + 8 * 0) / 9; // only the carried initiative
    const expected: Record<string, [number, number, number, number, number, number]> = {
      // [kpi_score, evaluation_score, data_quality_score, score, rank, rank_in_type]
      [A]: [kpiA, 85, 100, 0.6 * kpiA + 0.3 * 85 + 0.1 * 100, 1, 1],
      [C]: [kpiCD, 85, 100, 0.6 * kpiCD + 0.3 * 85 + 0.1 * 100, 2, 2],
      [D]: [kpiCD, 85, 100, 0.6 * kpiCD + 0.3 * 85 + 0.1 * 100, 2, 1],
      [E]: [kpiE, 85, 99, 0.6 * kpiE + 0.3 * 85 + 0.1 * 99, 4, 2],
      [B]: [kpiB, 0, 0, 0.6 * kpiB, 5, 3],
      [F]: [0, 0, 0, 0, 6, 3],
    };
    expect(r).toHaveLength(6);
    for (const code of CODES) {
      const [kpi, ev, dq, score, rank, rankInType] = expected[code] as number[];
      const x = by[code] as SqlRow;
      expect(x.kpi_score as number, `${code} kpi`).toBeCloseTo(kpi as number, 9);
      expect(x.evaluation_score as number, `${code} evaluation`).toBeCloseTo(ev as number, 9);
      expect(x.data_quality_score as number, `${code} dq`).toBeCloseTo(dq as number, 9);
      expect(x.score as number, `${code} score`).toBeCloseTo(score as number, 5);
      expect([x.rank, x.rank_in_type], `${code} ranks`).toEqual([rank, rankInType]);
    }
    expect(by[A]?.type).toBe('phuong');
    expect(by[D]?.type).toBe('xa');
  });

  it('a value exactly at a strict target scores at most the cap (99), not 100', async () => {
    // A 2026: records 90 vs gt 90 → min(90/90, 1)·100 = 100, capped to 99 because not met.
    const [x] = await rows(
      wh,
      `select kpi_score from commune_ranking where year = 2026 and commune_code = '${A}'`,
    );
    const attainment = [100, (80 / 95) * 100, 100, 99, 100, 100, 100, 0, 100];
    expect(x?.kpi_score as number).toBeCloseTo(attainment.reduce((s, v) => s + v, 0) / 9, 9);
  });
});

describe('cadre_gaps — restricted, one row per active cadre and reason', () => {
  it('lists A’s 2026 gaps by staff code; contract staff never appear', async () => {
    const g = await rows(
      wh,
      `select cadre_code, position, is_leader, reason, detail from cadre_gaps where year = 2026 and commune_code = '${A}'`,
    );
    expect(g.map((r) => `${r.cadre_code} ${r.reason} ${r.detail}`).sort()).toEqual(
      [
        'CB-9 not_digitally_proficient edoc_proficient',
        'CB-10 not_digitally_proficient edoc_proficient',
        'CB-10 record_not_digitized null',
      ].sort(),
    );
  });

  it('names the missing training tracks, in code-list order', async () => {
    const g = await rows(
      wh,
      `select year, commune_code, cadre_code, position, is_leader, reason, detail from cadre_gaps where reason = 'leader_training_missing'`,
    );
    expect(g).toEqual([
      {
        year: 2028,
        commune_code: C,
        cadre_code: 'CB-1',
        position: 'Chủ tịch UBND',
        is_leader: true,
        reason: 'leader_training_missing',
        detail: 'chuyen_sau,quan_tri_hien_dai',
      },
    ]);
  });
});

describe('as-of cut-off', () => {
  it('before C’s correction gives the pre-correction values (and only the years that existed)', async () => {
    const past = await openWarehouse({
      dataDir: fx.dir,
      asOf: '2026-11-10T00:00:00Z',
      communes: FIXTURE_COMMUNES,
    });
    try {
      const [c] = await rows(
        past,
        `select numerator, denominator, met from kpi_commune_year where commune_code = '${C}' and kpi = 'digital_cadre_mgmt'`,
      );
      expect(c).toEqual({ numerator: 0, denominator: 1, met: false });
      const [p] = await rows(
        past,
        "select numerator, denominator from kpi_province_year where kpi = 'digital_cadre_mgmt'",
      );
      expect(p).toEqual({ numerator: 4, denominator: 6 });
      const years = await rows(past, 'select distinct year from kpi_commune_year');
      expect(years).toEqual([{ year: 2026 }]);
      const s = await rows(past, `select version, is_latest from submissions where commune_code = '${C}'`);
      expect(s).toEqual([{ version: 1, is_latest: true }]);
      expect(past.asOf.toISOString()).toBe('2026-11-10T00:00:00.000Z');
    } finally {
      await past.close();
    }
  });

  it('a void counts only from its instant: before it, E 2027 v1 is the first (on time) version', async () => {
    const before = await openWarehouse({
      dataDir: fx.dir,
      asOf: '2027-10-10T00:00:00Z',
      communes: FIXTURE_COMMUNES,
    });
    const between = await openWarehouse({
      dataDir: fx.dir,
      asOf: '2027-10-20T00:00:00Z',
      communes: FIXTURE_COMMUNES,
    });
    try {
      const q = `select numerator, denominator from kpi_commune_year where commune_code = '${E}' and year = 2027 and kpi = 'report_on_time'`;
      expect(await rows(before, q)).toEqual([{ numerator: 1, denominator: 1 }]);
      // voided, v2 not yet received: E has no 2027 submission at all — and 2027 is still open (due 5 November),
      // so E is pending, not late: no value, no data-quality score (docs/kpis.md "The year in progress").
      expect(await rows(between, q)).toEqual([{ numerator: null, denominator: null }]);
      const [dq] = await rows(
        between,
        `select du, score, year_closed from data_quality where commune_code = '${E}' and year = 2027`,
      );
      expect(dq).toEqual({ du: null, score: null, year_closed: false });
    } finally {
      await before.close();
      await between.close();
    }
  });
});

describe('the plan is data', () => {
  function editedPlan(edit: (p: Plan) => void): Plan {
    const p = structuredClone(PLAN) as Plan;
    edit(p);
    return parsePlan(p);
  }

  it('editing targets in the plan changes met and severity with no SQL edit', async () => {
    const plan = editedPlan((p) => {
      const records = p.kpis
        .find((k) => k.code === 'records_digitized')
        ?.targets.find((t) => t.phase === 'P1');
      if (records) records.comparator = 'gte'; // "đạt 90%" instead of "trên 90%"
      const staffing = p.kpis
        .find((k) => k.code === 'staffing_complete')
        ?.targets.find((t) => t.phase === 'P1');
      if (staffing) delete staffing.deadline_year; // no 2026 deadline
      const digital = p.kpis
        .find((k) => k.code === 'digital_proficiency')
        ?.targets.find((t) => t.phase === 'P1');
      if (digital) digital.target_pct = 99; // the 2027 projection (100) still meets 99 → medium; 2026's 80 → high
    });
    const edited = await openWarehouse({ dataDir: fx.dir, asOf: NOW, communes: FIXTURE_COMMUNES, plan });
    try {
      const [rec] = await rows(
        edited,
        `select met, comparator from kpi_commune_year where commune_code = '${A}' and year = 2026 and kpi = 'records_digitized'`,
      );
      expect(rec).toEqual({ met: true, comparator: 'gte' });
      const a = await rows(
        edited,
        `select kpi, severity, target_pct from gap_warnings where commune_code = '${A}' and year = 2026`,
      );
      expect(a.map((w) => `${w.kpi} ${w.severity} ${w.target_pct}`).sort()).toEqual(
        ['digital_proficiency high 99', 'initiative_replicated high 100'].sort(),
      );
      const [d] = await rows(
        edited,
        `select severity from gap_warnings where commune_code = '${D}' and year = 2026 and kpi = 'staffing_complete'`,
      );
      expect(d).toEqual({ severity: 'high' }); // was critical with the 2026 deadline
    } finally {
      await edited.close();
    }
  });
});
