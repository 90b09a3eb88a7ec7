// Golden tests (hand-computed) for issue 14's rules, named by KPI: the year in progress, coverage, Sạch over
// active cadres only, Sống by started 24-hour periods, gap_units (docs/kpis.md "The year in progress", "Coverage",
// "Data quality", "Display near a strict target").
//
// Ten reference communes (c[0]…c[9]), plan year 2028 (the last year of P1; initiative_replicated's P1 deadline;
// staffing_complete's deadline, 2026, already passed). The 2028 report deadline is 2028-11-05T17:00:00Z.
//   c0 c1 c2  submit 2028-05-01 (on time). c0 has no digital cadre management; c1 and c2 both list the same
//             CONTRACT worker (person 900) — which must not lower Sạch; c2 lists c3's civil servant (person 301).
//   c3…c6     submit 2028-10-01 (on time).
//   c7        submits 2028-11-05T16:59:59Z, the last on-time second.
//   c8        submits 2028-11-06T17:00:00Z, exactly 24 h late: d = 1, Sống 98.
//   c9        submits 2028-11-06T17:00:01Z, 24 h + 1 s late: d = 2, Sống 96.
// Nobody has a replicated initiative; staffing is complete everywhere but in c4 (short of one civil servant);
// every cadre meets every standard.
import { COMMUNES, type Submission } from '@scorecard/data-contracts';
import { FsObjectStore } from '@scorecard/functions/adapters/fs-store.ts';
import { IngestService } from '@scorecard/functions/ingest/ingest-service.ts';
import { personKeyFromSecret } from '@scorecard/functions/ingest/person-key.ts';
import { ManualClock } from '@scorecard/functions/ports/clock.ts';
import type { SqlRow } from '@scorecard/functions/ports/sql-engine.ts';
import { openWarehouse } from '@scorecard/functions/warehouse/duckdb-warehouse.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/data-dir.ts';
import { cadre as fixtureCadre } from '../helpers/fixtures.ts';

const c: string[] = COMMUNES.slice(0, 10).map((x) => x.commune_code);
const communes = COMMUNES.slice(0, 10);
const admin = { sub: 'golden', role: 'admin' as const };
let dir = '';

const id = (commune: number, person: number) =>
  `0870${String(commune).padStart(2, '0')}${String(person).padStart(6, '0')}`;

/** A cadre meeting every standard (the shared fixture), with a national ID and staff code unique to (k, person). */
const cadre = (k: number, person: number, over: Partial<Submission['cadres'][number]> = {}) =>
  fixtureCadre(person, { cadre_code: `P-${person}`, national_id: id(k, person), ...over });

function submission(k: number): Submission {
  const cadres = [
    cadre(k, 1, { category: 'can_bo', position: 'Chủ tịch UBND', is_leader: true }),
    cadre(k, 2),
    cadre(k, 3),
  ];
  if (k === 1 || k === 2)
    cadres.push(
      cadre(0, 900, {
        cadre_code: 'HD-900',
        category: 'hop_dong',
        position: 'Nhân viên hợp đồng',
        trainings: [],
      }),
    );
  if (k === 2 || k === 3) cadres.push(cadre(3, 301, { cadre_code: 'CC-301' }));
  return {
    schema_version: 1,
    commune_code: c[k] as string,
    year: 2028,
    report: {
      digital_cadre_management: k !== 0,
      survey: {
        citizen_respondents: 10,
        citizen_satisfied: 10,
        business_respondents: 0,
        business_satisfied: 0,
      },
      staffing: [{ field: 'tu_phap_ho_tich', required: k === 4 ? 2 : 1, actual: 1 }],
      staff_quota: 10,
      civil_servants: cadres.filter((x) => x.category === 'cong_chuc').length,
      dialogues_held: 2,
      citizen_reception_days: 48,
      complaints_received: 0,
      complaints_resolved_on_time: 0,
      initiatives: [],
    },
    cadres,
  };
}

const AT: [number, string][] = [
  [0, '2028-05-01T03:00:00Z'],
  [1, '2028-05-01T03:00:00Z'],
  [2, '2028-05-01T03:00:00Z'],
  [3, '2028-10-01T03:00:00Z'],
  [4, '2028-10-01T03:00:00Z'],
  [5, '2028-10-01T03:00:00Z'],
  [6, '2028-10-01T03:00:00Z'],
  [7, '2028-11-05T16:59:59Z'],
  [8, '2028-11-06T17:00:00Z'],
  [9, '2028-11-06T17:00:01Z'],
];

beforeAll(async () => {
  dir = tempDir('year-in-progress-');
  const clock = new ManualClock('2028-05-01T03:00:00Z');
  const svc = new IngestService({
    store: new FsObjectStore(dir),
    clock,
    personKey: personKeyFromSecret('k'),
    communes,
  });
  for (const [k, at] of AT) {
    clock.set(at);
    const out = await svc.ingest(submission(k), { actor: admin });
    expect(out.status, JSON.stringify(out.errors)).toBe('accepted');
  }
});

/** Every row of a view for 2028 at an instant. */
async function at(asOf: string, sql: string): Promise<SqlRow[]> {
  const wh = await openWarehouse({ dataDir: dir, asOf, communes, clock: new ManualClock(asOf) });
  try {
    return (await wh.query(sql, { maxRows: 100_000 })).rows;
  } finally {
    await wh.close();
  }
}
const province = (asOf: string, kpi: string) =>
  at(asOf, `select * from kpi_province_year where year = 2028 and kpi = '${kpi}'`).then(
    (r) => r[0] as SqlRow,
  );
const commune = (asOf: string, k: number, kpi: string) =>
  at(
    asOf,
    `select * from kpi_commune_year where year = 2028 and commune_code = '${c[k]}' and kpi = '${kpi}'`,
  ).then((r) => r[0] as SqlRow);

describe('the year in progress — 2028 at several instants', () => {
  it('before any report (1 March): nothing reported, nothing judged, nobody failing', async () => {
    const T = '2028-03-01T00:00:00Z';
    expect(await province(T, 'report_on_time')).toMatchObject({
      numerator: 0,
      denominator: 0,
      value_pct: null,
      met: null,
      communes_reporting: 0,
      communes_expected: 10,
      coverage_pct: 0,
      year_closed: false,
    });
    expect(await commune(T, 0, 'report_on_time')).toMatchObject({
      numerator: null,
      denominator: null,
      value_pct: null,
      met: null,
      year_closed: false,
    });
    expect(await commune(T, 0, 'initiative_replicated')).toMatchObject({
      numerator: null,
      denominator: null,
      met: null,
    });
    expect(await at(T, `select * from gap_warnings where year = 2028 and scope = 'commune'`)).toEqual([]);
    const dq = await at(T, 'select * from data_quality where year = 2028');
    expect(dq.every((r) => r.score === null && r.du === null && r.year_closed === false)).toBe(true);
    const ranking = await at(T, 'select * from commune_ranking where year = 2028');
    expect(ranking.every((r) => r.rank === null && r.score === null)).toBe(true);
  });

  it('15 June, three reported: provisional values over the reporters, the pending seven neither counted nor warned', async () => {
    const T = '2028-06-15T00:00:00Z';
    // digital_cadre_mgmt: c0 no, c1 c2 yes → 2 of the 3 reporters (not of 10).
    expect(await province(T, 'digital_cadre_mgmt')).toMatchObject({
      numerator: 2,
      denominator: 3,
      met: false,
      communes_reporting: 3,
      coverage_pct: 30,
      year_closed: false,
      gap_units: 1,
    });
    // report_on_time: 3 of 3 so far.
    expect(await province(T, 'report_on_time')).toMatchObject({
      numerator: 3,
      denominator: 3,
      met: true,
      gap_units: null,
    });
    // leader_standard pools cadres of 3 communes: coverage 30 % < 90 % → not judged.
    expect(await province(T, 'leader_standard')).toMatchObject({
      numerator: 3,
      denominator: 3,
      met: null,
      coverage_pct: 30,
    });
    expect(await commune(T, 5, 'report_on_time')).toMatchObject({
      numerator: null,
      denominator: null,
      met: null,
    });
    const warned = await at(
      T,
      `select commune_code, kpi, severity from gap_warnings where year = 2028 and scope = 'commune'`,
    );
    // No warning for a pending commune (c3…c9).
    expect(new Set(warned.map((w) => w.commune_code))).toEqual(new Set([c[0], c[1], c[2]]));
    // c0's missing digital cadre management: 2028 is P1's last year but still open, and the KPI's deadline (2029)
    // is later → by projection (2026 and 2027 have no value: c0 did not report; a single value projects
    // itself, 0 %) → high, not critical.
    expect(warned.filter((w) => w.kpi === 'digital_cadre_mgmt')).toEqual([
      { commune_code: c[0], kpi: 'digital_cadre_mgmt', severity: 'high' },
    ]);
    const ranked = await at(
      T,
      'select commune_code, rank from commune_ranking where year = 2028 and rank is not null',
    );
    expect(ranked.map((r) => r.commune_code).sort()).toEqual([c[0], c[1], c[2]].sort());
  });

  it('the deadline second: at 16:59:59 UTC still open (8 of 10, coverage 80 % below 90 %); at 17:00:00 closed', async () => {
    const open = '2028-11-05T16:59:59Z';
    expect(await province(open, 'report_on_time')).toMatchObject({
      numerator: 8,
      denominator: 8,
      met: true,
      year_closed: false,
      coverage_pct: 80,
    });
    expect(await province(open, 'records_digitized')).toMatchObject({ met: null, coverage_pct: 80 });
    const openWarnings = await at(
      open,
      `select kpi, severity, projected_pct from gap_warnings where year = 2028 and scope = 'province' and kpi = 'records_digitized'`,
    );
    expect(openWarnings).toEqual([{ kpi: 'records_digitized', severity: 'missing', projected_pct: null }]);
    expect(await commune(open, 0, 'digital_cadre_mgmt')).toMatchObject({ met: false, year_closed: false });

    const closed = '2028-11-05T17:00:00Z';
    // c8 and c9 have not reported: in a closed year they count against every commune KPI.
    expect(await province(closed, 'report_on_time')).toMatchObject({
      numerator: 8,
      denominator: 10,
      met: false,
      year_closed: true,
      gap_units: 2,
    });
    expect(await commune(closed, 8, 'report_on_time')).toMatchObject({
      numerator: 0,
      denominator: 1,
      met: false,
      year_closed: true,
    });
    const sev = await at(
      closed,
      `select commune_code, kpi, severity from gap_warnings where year = 2028 and scope = 'commune' and kpi in ('digital_cadre_mgmt', 'report_on_time')`,
    );
    const key = (r: Record<string, unknown>) => `${String(r.commune_code)}/${String(r.kpi)}`;
    expect([...sev].sort((a, b) => key(a).localeCompare(key(b)))).toEqual(
      [
        // P1's last year, now closed: not met is critical.
        { commune_code: c[0], kpi: 'digital_cadre_mgmt', severity: 'critical' },
        { commune_code: c[8], kpi: 'digital_cadre_mgmt', severity: 'missing' },
        { commune_code: c[8], kpi: 'report_on_time', severity: 'critical' },
        { commune_code: c[9], kpi: 'digital_cadre_mgmt', severity: 'missing' },
        { commune_code: c[9], kpi: 'report_on_time', severity: 'critical' },
      ].sort((a, b) => key(a).localeCompare(key(b))),
    );
    const dq = await at(
      closed,
      `select score from data_quality where year = 2028 and commune_code = '${c[9]}'`,
    );
    expect(dq).toEqual([{ score: 0 }]);
    const ranked = await at(
      closed,
      'select count(*) as n from commune_ranking where year = 2028 and rank is not null',
    );
    expect(ranked).toEqual([{ n: 10 }]);
  });

  it('a deadline year is critical only once closed; an earlier deadline is critical even while open', async () => {
    // initiative_replicated: P1 deadline 2028 — nobody replicated. Open: high (by projection); closed: critical.
    const open = '2028-10-02T00:00:00Z';
    const closed = '2028-11-10T00:00:00Z';
    const sevOf = async (T: string, kpi: string) =>
      (
        await at(
          T,
          `select severity from gap_warnings where year = 2028 and scope = 'commune' and commune_code = '${c[1]}' and kpi = '${kpi}'`,
        )
      )[0]?.severity;
    expect(await sevOf(open, 'initiative_replicated')).toBe('high');
    expect(await sevOf(closed, 'initiative_replicated')).toBe('critical');
    // staffing_complete's deadline (2026) is earlier than 2028: c4's shortfall is critical though 2028 is open.
    const c4 = await at(
      open,
      `select severity, year_closed, gap_units from gap_warnings where year = 2028 and scope = 'commune' and commune_code = '${c[4]}' and kpi = 'staffing_complete'`,
    );
    // Staffing is a commune KPI: one more commune (c4 itself) would meet it.
    expect(c4).toEqual([{ severity: 'critical', year_closed: false, gap_units: 1 }]);
  });

  it('coverage exactly at the threshold is judged: 9 of 10 (90 %) after c8 reports', async () => {
    const T = '2028-11-06T17:00:00.500Z';
    // Active cadres of c0…c8: 3 each, and c2 and c3 one more each (person 301): 29, all records digitised.
    expect(await province(T, 'records_digitized')).toMatchObject({
      numerator: 29,
      denominator: 29,
      met: true,
      communes_reporting: 9,
      coverage_pct: 90,
    });
  });

  it('after all reports: Sống by started 24-hour periods; Sạch over active cadres only', async () => {
    const T = '2028-11-07T00:00:00Z';
    const dq = Object.fromEntries(
      (await at(T, 'select * from data_quality where year = 2028')).map((r) => [r.commune_code, r]),
    );
    expect(dq[c[7] as string]).toMatchObject({ song: 100 }); // the last on-time second
    expect(dq[c[8] as string]).toMatchObject({ song: 98 }); // exactly 24 h late: one started period
    expect(dq[c[9] as string]).toMatchObject({ song: 96 }); // 24 h + 1 s: two
    // c1 and c2 list the same contract worker: not an active cadre, so Sạch stays 100 for c1.
    expect(dq[c[1] as string]).toMatchObject({ sach: 100 });
    // c2 (4 active: 3 own + c3's civil servant 301) and c3 (4 active) share person 301: 3 of 4 clean each.
    expect(dq[c[2] as string]).toMatchObject({ sach: 75 });
    expect(dq[c[3] as string]).toMatchObject({ sach: 75 });
    expect(await province(T, 'report_on_time')).toMatchObject({
      numerator: 8,
      denominator: 10,
      coverage_pct: 100,
      gap_units: 2,
    });
    // received_at is UTC; received_date_vn is the date in Vietnam: c7's 2028-11-05T16:59:59Z is still 5 November
    // there, c8's 2028-11-06T17:00:00Z is already 7 November.
    const dates = Object.fromEntries(
      (await at(T, 'select commune_code, received_date_vn from submissions where year = 2028')).map((r) => [
        r.commune_code,
        r.received_date_vn,
      ]),
    );
    expect([dates[c[7] as string], dates[c[8] as string]]).toEqual(['2028-11-05', '2028-11-07']);
  });
});

describe('gap_units: what it takes, in units, exactly', () => {
  it("a commune's missed commune KPI needs 1 unit; a met KPI carries none", async () => {
    const T = '2028-11-07T00:00:00Z';
    expect(await commune(T, 0, 'digital_cadre_mgmt')).toMatchObject({
      numerator: 0,
      denominator: 1,
      met: false,
      gap_units: 1,
    });
    expect((await commune(T, 1, 'records_digitized')).gap_units).toBeNull();
  });
});
