// The golden fixture: six reference communes, plan years 2026–2029, built through the real ingest pipeline
// (IngestService → Parquet) and the real void path (SubmissionRegistry), with a ManualClock. Every expected
// value in golden.test.ts is computed by hand from the rosters below — read them together.
//
//   A 28249 phuong  10 active (2 leaders) + 2 contract staff; 2026: digital 8/10, records 9/10 (exactly 90 %);
//                   2027/2028: digital 9/10 (projection 100 → medium in 2027, critical in 2028), initiative
//                   replicated; 2029: staffing short (2026 deadline passed), records 9/10 (2029 deadline),
//                   satisfaction 90 % (P2 "trên 90%" not met)
//   B 28261 phuong  2026 only: no leaders (0/0), no survey (0/0), lists A's cadre 3 (same person), replicated
//                   initiative — carried forward into 2027–2029 without a submission
//   C 28270 phuong  2026 v1 on time (no digital cadre management), v2 late correction (with it); 2027 tie with
//                   D; 2028: headcount 4 → 6 and identical evaluations (two soft rules fail), its leader
//                   lacks two training tracks
//   D 28321 xa      2026 at 5 Nov 23:59:59 local (on time), staffing short, civil servants mismatch; 2027 tie
//   E 28327 xa      2026 at 6 Nov 00:00:00 local (late, 1 day), leadership title without is_leader;
//                   2027 v1 on time but voided, v2 two days late
//   F 28336 xa      never submits
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMUNE_BY_CODE, type Commune, type Submission } from '@scorecard/data-contracts';
import { FsObjectStore } from '@scorecard/functions/adapters/fs-store.ts';
import { IngestService } from '@scorecard/functions/ingest/ingest-service.ts';
import { personKeyFromSecret } from '@scorecard/functions/ingest/person-key.ts';
import { SubmissionRegistry } from '@scorecard/functions/ingest/registry.ts';
import { ManualClock } from '@scorecard/functions/ports/clock.ts';
import { cadre } from '../helpers/fixtures.ts';

export const A = '28249';
export const B = '28261';
export const C = '28270';
export const D = '28321';
export const E = '28327';
export const F = '28336';
export const CODES = [A, B, C, D, E, F];
export const FIXTURE_COMMUNES: Commune[] = CODES.map((c) => COMMUNE_BY_CODE.get(c) as Commune);

/** The instant the warehouse looks from (years 2026–2029 exist). */
export const NOW = '2029-12-01T00:00:00Z';

type Cadre = Submission['cadres'][number];
type Report = Submission['report'];

const admin = { sub: 'fixture-admin', role: 'admin' as const };

/** A 12-digit fake national ID: commune digit k, person i (fixtures only). */
const nationalId = (k: number, i: number) => `08${k}${String(i).padStart(9, '0')}`;

/** The shared cadre fixture (meets every standard); evaluation scores alternate 80 (odd i) / 90 (even i). */
function member(k: number, i: number, over: Partial<Cadre> = {}): Cadre {
  const e = i % 2 === 1 ? 80 : 90;
  return cadre(i, {
    cadre_code: `CB-${i}`,
    national_id: nationalId(k, i),
    evaluation: { rating: 'tot', task_results: e, service_quality: e, coordination: e, integrity: e },
    ...over,
  });
}

function leader(k: number, i: number, over: Partial<Cadre> = {}): Cadre {
  return member(k, i, { category: 'can_bo', position: 'Chủ tịch UBND', is_leader: true, ...over });
}

function report(over: Partial<Report> = {}): Report {
  return {
    digital_cadre_management: true,
    survey: {
      citizen_respondents: 50,
      citizen_satisfied: 50,
      business_respondents: 0,
      business_satisfied: 0,
    },
    staffing: [{ field: 'tu_phap_ho_tich', required: 2, actual: 2 }],
    staff_quota: 10,
    civil_servants: 3,
    dialogues_held: 2,
    citizen_reception_days: 48,
    complaints_received: 0,
    complaints_resolved_on_time: 0,
    initiatives: [],
    ...over,
  };
}

function submission(commune: string, year: number, cadres: Cadre[], r: Report): Submission {
  return { schema_version: 1, commune_code: commune, year, report: r, cadres };
}

/** A's roster: leaders 1–2, civil servants 3–10, contract staff 11–12 (who must count in nothing). */
function rosterA(opts: { digitalFalse: number[]; recordFalse: number[] }): Cadre[] {
  const flags = (i: number) => ({
    edoc_proficient: !opts.digitalFalse.includes(i),
    record_digitized: !opts.recordFalse.includes(i),
  });
  return [
    leader(1, 1, flags(1)),
    leader(1, 2, { position: 'Phó Chủ tịch UBND', ...flags(2) }),
    ...[3, 4, 5, 6, 7, 8, 9, 10].map((i) => member(1, i, flags(i))),
    // Contract staff: a "leader" failing every standard, and a leadership-sounding title without is_leader —
    // neither may move a KPI or the leader_title_not_leader rule (docs/contracts.md: hop_dong counts in no KPI).
    member(1, 11, {
      category: 'hop_dong',
      position: 'Nhân viên hợp đồng',
      is_leader: true,
      meets_competency_standard: false,
      edoc_proficient: false,
      online_service_proficient: false,
      record_digitized: false,
      trainings: [],
      evaluation: undefined,
    }),
    member(1, 12, {
      category: 'hop_dong',
      position: 'Tổ trưởng bảo vệ',
      meets_competency_standard: false,
      edoc_proficient: false,
      online_service_proficient: false,
      record_digitized: false,
      trainings: [],
      evaluation: undefined,
    }),
  ];
}

const reportA = (over: Partial<Report> = {}) =>
  report({
    survey: {
      citizen_respondents: 100,
      citizen_satisfied: 90,
      business_respondents: 0,
      business_satisfied: 0,
    },
    civil_servants: 8,
    initiatives: [{ title: 'Một cửa số', replicated: false }],
    ...over,
  });

/** One leader (1) and three civil servants (2–4): C, D, E's small rosters. */
const small = (k: number, over: (i: number) => Partial<Cadre> = () => ({})) => [
  leader(k, 1, over(1)),
  member(k, 2, over(2)),
  member(k, 3, over(3)),
  member(k, 4, over(4)),
];

export interface Fixture {
  dir: string;
  clock: ManualClock;
  ids: Record<string, string>;
}

async function ingestAt(svc: IngestService, clock: ManualClock, at: string, s: Submission): Promise<string> {
  clock.set(at);
  const out = await svc.ingest(s, { actor: admin });
  if (out.status !== 'accepted' || !out.submission_id) {
    throw new Error(`fixture: ${s.commune_code}/${s.year} not accepted: ${JSON.stringify(out.errors)}`);
  }
  return out.submission_id;
}

export async function buildFixture(): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'scorecard-sql-'));
  const store = new FsObjectStore(dir);
  const clock = new ManualClock('2026-10-01T00:00:00Z');
  const svc = new IngestService({
    store,
    clock,
    personKey: personKeyFromSecret('golden-fixture'),
    communes: FIXTURE_COMMUNES,
  });
  const registry = new SubmissionRegistry(store, clock, svc.audit);
  const ids: Record<string, string> = {};

  // ---- 2026 (deadline: 2026-11-05T17:00:00Z = 6 Nov 00:00 Asia/Ho_Chi_Minh) ----
  ids.A26 = await ingestAt(
    svc,
    clock,
    '2026-10-01T03:00:00Z',
    submission(A, 2026, rosterA({ digitalFalse: [9, 10], recordFalse: [10] }), reportA()),
  );
  ids.B26 = await ingestAt(
    svc,
    clock,
    '2026-10-02T03:00:00Z',
    submission(
      B,
      2026,
      // Cadre 1 of B is A's cadre 3 (same national ID → same person key): listed by two communes.
      [member(2, 1, { national_id: nationalId(1, 3) }), member(2, 2), member(2, 3), member(2, 4)],
      report({
        survey: {
          citizen_respondents: 0,
          citizen_satisfied: 0,
          business_respondents: 0,
          business_satisfied: 0,
        },
        civil_servants: 4,
        initiatives: [{ title: 'Sổ tay số', replicated: true }],
      }),
    ),
  );
  ids.C26v1 = await ingestAt(
    svc,
    clock,
    '2026-10-03T03:00:00Z',
    submission(C, 2026, small(3), report({ digital_cadre_management: false })),
  );
  // The on-time boundary: 23:59:59 local on 5 November is on time; 00:00:00 on 6 November is not.
  ids.D26 = await ingestAt(
    svc,
    clock,
    '2026-11-05T16:59:59Z',
    submission(
      D,
      2026,
      small(4),
      report({
        survey: {
          citizen_respondents: 10,
          citizen_satisfied: 9,
          business_respondents: 0,
          business_satisfied: 0,
        },
        staffing: [{ field: 'tu_phap_ho_tich', required: 2, actual: 1 }],
        civil_servants: 5,
      }),
    ),
  );
  ids.E26 = await ingestAt(
    svc,
    clock,
    '2026-11-05T17:00:00Z',
    submission(
      E,
      2026,
      small(5, (i) => (i === 3 ? { position: 'Phó Trưởng phòng Kinh tế' } : {})),
      report({
        survey: {
          citizen_respondents: 10,
          citizen_satisfied: 9,
          business_respondents: 0,
          business_satisfied: 0,
        },
      }),
    ),
  );
  // C's correction, late: it supersedes v1's figures but not v1's punctuality.
  ids.C26v2 = await ingestAt(svc, clock, '2026-11-20T03:00:00Z', submission(C, 2026, small(3), report()));

  // ---- 2027 ----
  ids.A27 = await ingestAt(
    svc,
    clock,
    '2027-10-01T03:00:00Z',
    submission(
      A,
      2027,
      rosterA({ digitalFalse: [9], recordFalse: [] }),
      reportA({ initiatives: [{ title: 'Một cửa số', replicated: true }] }),
    ),
  );
  ids.C27 = await ingestAt(svc, clock, '2027-10-01T04:00:00Z', submission(C, 2027, small(3), report()));
  ids.D27 = await ingestAt(svc, clock, '2027-10-01T05:00:00Z', submission(D, 2027, small(4), report()));
  ids.E27v1 = await ingestAt(svc, clock, '2027-10-01T06:00:00Z', submission(E, 2027, small(5), report()));
  clock.set('2027-10-15T03:00:00Z');
  const voided = await registry.void(ids.E27v1, 'nộp nhầm', admin);
  if (voided.status !== 'voided') throw new Error('fixture: void failed');
  // Two days late: 2027-11-07T00:00Z is 1 day 7 hours after the deadline instant.
  ids.E27v2 = await ingestAt(
    svc,
    clock,
    '2027-11-07T00:00:00Z',
    submission(
      E,
      2027,
      small(5),
      report({
        survey: {
          citizen_respondents: 50,
          citizen_satisfied: 45,
          business_respondents: 0,
          business_satisfied: 0,
        },
      }),
    ),
  );

  // ---- 2028 (the last year of P1) ----
  ids.A28 = await ingestAt(
    svc,
    clock,
    '2028-10-01T03:00:00Z',
    submission(
      A,
      2028,
      rosterA({ digitalFalse: [9], recordFalse: [] }),
      reportA({ initiatives: [{ title: 'Một cửa số', replicated: true }] }),
    ),
  );
  const identical = {
    rating: 'tot' as const,
    task_results: 85,
    service_quality: 85,
    coordination: 85,
    integrity: 85,
  };
  ids.C28 = await ingestAt(
    svc,
    clock,
    '2028-10-01T04:00:00Z',
    submission(
      C,
      2028,
      [
        leader(3, 1, { evaluation: identical, trainings: ['chuc_danh'] }),
        ...[2, 3, 4, 5, 6].map((i) => member(3, i, { evaluation: identical })),
      ],
      report({ civil_servants: 5 }),
    ),
  );

  // ---- 2029 (P2: gte 100 targets; deadlines 2029 for digital management and records) ----
  ids.A29 = await ingestAt(
    svc,
    clock,
    '2029-10-01T03:00:00Z',
    submission(
      A,
      2029,
      rosterA({ digitalFalse: [], recordFalse: [10] }),
      reportA({
        staffing: [{ field: 'tu_phap_ho_tich', required: 2, actual: 1 }],
        initiatives: [{ title: 'Một cửa số', replicated: true }],
      }),
    ),
  );
  clock.set(NOW);
  return { dir, clock, ids };
}
