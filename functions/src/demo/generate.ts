// Demo data: a deterministic generator for the province's real communes and the plan years up to "now",
// written through the ingest path (never around it), each submission marked submitted_by = demo.
// It carries the hard cases on purpose: a commune at exactly 90 %, late and missing reports, corrections,
// soft-rule findings and one person listed by two communes.
import {
  COMMUNES,
  type Commune,
  ORG_UNIT,
  PLAN,
  type Plan,
  reportDeadlineUtc,
  STAFFING_FIELD,
  type Submission,
  yearInPlanZone,
} from '@scorecard/data-contracts';
import { IngestService } from '../ingest/ingest-service.ts';
import type { PersonKeyFn } from '../ingest/person-key.ts';
import { ManualClock } from '../ports/clock.ts';
import type { ObjectStore } from '../ports/object-store.ts';

/** mulberry32: a small seeded PRNG, so the same seed always gives the same province. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;
export const DEMO_MARKER_KEY = 'meta/demo.json';

export interface DemoPlanItem {
  submission: Submission;
  receivedAt: Date;
}

/** A synthetic, clearly fake 12-digit ID (prefix 999 is not a province code). Never stored: hashed at ingest. */
function fakeId(commune: Commune, i: number): string {
  return `999${commune.commune_code.slice(-4)}${String(i).padStart(5, '0')}`;
}

/** The leaders' titles of a commune, in roster order (demo data and the national benchmark alike). */
export const LEADER_POSITIONS: readonly string[] = [
  'Chủ tịch UBND',
  'Phó Chủ tịch UBND',
  'Phó Chủ tịch UBND',
  'Chánh Văn phòng HĐND và UBND',
  'Trưởng phòng Kinh tế',
  'Trưởng phòng Văn hóa – Xã hội',
  'Giám đốc Trung tâm Phục vụ hành chính công',
  'Chỉ huy trưởng Ban Chỉ huy quân sự',
  'Phó Trưởng phòng Kinh tế',
  'Phó Chánh Văn phòng',
];

export function demoSubmissions(
  now: Date,
  plan: Plan = PLAN,
  communes: readonly Commune[] = COMMUNES,
  seed = 2026,
): DemoPlanItem[] {
  const out: DemoPlanItem[] = [];
  const currentYear = yearInPlanZone(plan, now);
  const years = plan.years.filter((y) => y <= currentYear);
  const exactly90 = communes[1]?.commune_code; // 9 of 10 leaders meet the standard: "trên 90 %" is not met.
  const neverReports = communes[communes.length - 1]?.commune_code;
  const sharedPerson = [communes[2], communes[3]]; // one person listed by two communes
  const firstYear = Math.min(...plan.years);
  for (const year of years) {
    const progress = (year - firstYear) / Math.max(1, plan.years.length - 1); // 0 → 1 over the plan
    communes.forEach((commune, ci) => {
      const r = rng(seed * 1000 + year * 7 + ci * 131);
      if (commune.commune_code === neverReports) return;
      if (r() < 0.03) return; // a few miss a year
      const deadline = reportDeadlineUtc(plan, year).getTime();
      const late = r() < 0.08;
      const receivedAt = new Date(
        late ? deadline + Math.floor(r() * 6 * DAY) : deadline - Math.floor((3 + r() * 35) * DAY),
      );
      if (receivedAt.getTime() > now.getTime()) return; // not yet received "as of now"
      const size = 24 + Math.floor(r() * 18);
      const quality = Math.min(0.995, 0.82 + 0.15 * progress + (r() - 0.5) * 0.12);
      const leaders = LEADER_POSITIONS;
      const cadres: Submission['cadres'] = [];
      for (let i = 0; i < size; i++) {
        const isLeader = i < 10;
        const category =
          i < 3 ? 'can_bo' : i >= size - 2 ? 'hop_dong' : r() < 0.8 ? 'cong_chuc' : 'vien_chuc';
        const meets = commune.commune_code === exactly90 && isLeader ? i !== 0 : r() < quality;
        const trainings = (['chuyen_sau', 'chuc_danh', 'quan_tri_hien_dai', 'chuyen_doi_so'] as const).filter(
          () => r() < quality + 0.02,
        );
        const base = 70 + Math.floor(r() * 25);
        cadres.push({
          cadre_code: `${commune.commune_code}-${String(i + 1).padStart(3, '0')}`,
          national_id: fakeId(commune, i),
          category,
          position: isLeader
            ? (leaders[i] as string)
            : category === 'hop_dong'
              ? 'Nhân viên hợp đồng'
              : 'Chuyên viên',
          is_leader: isLeader,
          org_unit: ORG_UNIT.codes[i % ORG_UNIT.codes.length] as Submission['cadres'][number]['org_unit'],
          education: r() < 0.85 ? 'dai_hoc' : r() < 0.5 ? 'thac_si' : 'cao_dang',
          meets_competency_standard: meets,
          edoc_proficient: r() < quality + 0.03,
          online_service_proficient: r() < quality + 0.03,
          record_digitized: r() < quality,
          trainings: [...trainings],
          evaluation: {
            rating: base > 88 ? 'xuat_sac' : base > 78 ? 'tot' : 'hoan_thanh',
            task_results: Math.min(100, base + Math.floor(r() * 6)),
            service_quality: Math.min(100, base + Math.floor(r() * 8) - 3),
            coordination: Math.min(100, base + Math.floor(r() * 6) - 2),
            integrity: Math.min(100, base + Math.floor(r() * 5) + 2),
          },
          birth_year: year - 25 - Math.floor(r() * 33),
          gender: r() < 0.45 ? 'nu' : 'nam',
        });
      }
      // Soft-rule finding: a leadership title not marked as leader, in one commune in ten.
      if (ci % 10 === 5)
        cadres[size - 3] = {
          ...(cadres[size - 3] as Submission['cadres'][number]),
          position: 'Phó Trưởng phòng Kinh tế',
          is_leader: false,
        };
      // One person listed by two communes (same national ID).
      if (commune.commune_code === sharedPerson[1]?.commune_code && sharedPerson[0]) {
        cadres[12] = {
          ...(cadres[12] as Submission['cadres'][number]),
          national_id: fakeId(sharedPerson[0], 12),
        };
      }
      const citizens = 200 + Math.floor(r() * 300);
      const businesses = 20 + Math.floor(r() * 40);
      const satisfied = Math.min(0.97, 0.8 + 0.12 * progress + (r() - 0.5) * 0.1);
      const congChuc = cadres.filter((c) => c.category === 'cong_chuc').length;
      const fields = STAFFING_FIELD.codes.slice(0, 6 + Math.floor(r() * 6));
      const submission: Submission = {
        schema_version: 1,
        commune_code: commune.commune_code,
        year,
        report: {
          digital_cadre_management: r() < 0.75 + 0.25 * progress,
          survey: {
            citizen_respondents: citizens,
            citizen_satisfied: Math.round(citizens * satisfied),
            business_respondents: businesses,
            business_satisfied: Math.round(businesses * (satisfied - 0.02)),
          },
          staffing: fields.map((field) => {
            const required = 1 + Math.floor(r() * 3);
            return { field, required, actual: r() < 0.9 + 0.08 * progress ? required : required - 1 };
          }),
          staff_quota: congChuc + (r() < 0.85 ? Math.floor(r() * 3) : -1),
          civil_servants: ci % 17 === 3 ? congChuc + 2 : congChuc,
          dialogues_held: Math.floor(r() * 5),
          citizen_reception_days: 40 + Math.floor(r() * 12),
          complaints_received: Math.floor(r() * 12),
          complaints_resolved_on_time: 0,
          initiatives:
            r() < 0.35 + 0.3 * progress
              ? [{ title: 'Số hóa hồ sơ một cửa liên thông', replicated: r() < 0.6 }]
              : [],
        },
        cadres,
      };
      submission.report.complaints_resolved_on_time = Math.floor(
        submission.report.complaints_received * (0.7 + r() * 0.3),
      );
      out.push({ submission, receivedAt });
      // Corrections: one in ten communes sends a second version a few days later, improving a figure.
      if (r() < 0.1) {
        const corrected = structuredClone(submission);
        corrected.report.digital_cadre_management = true;
        const correctionAt = new Date(receivedAt.getTime() + (2 + Math.floor(r() * 5)) * DAY);
        if (correctionAt.getTime() <= now.getTime())
          out.push({ submission: corrected, receivedAt: correctionAt });
      }
    });
  }
  return out.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
}

/** Loads the demo into a store through the ingest path. Returns the number of versions written. */
export async function seedDemo(
  store: ObjectStore,
  personKey: PersonKeyFn,
  now: Date,
  onProgress?: (done: number, total: number) => void,
): Promise<number> {
  const clock = new ManualClock(now);
  const svc = new IngestService({ store, clock, personKey });
  const items = demoSubmissions(now);
  let written = 0;
  for (const [i, item] of items.entries()) {
    clock.set(item.receivedAt);
    const r = await svc.ingest(item.submission, {
      actor: { sub: 'demo', role: 'admin' },
      submittedBy: 'demo',
    });
    if (r.status !== 'accepted' && r.status !== 'duplicate') {
      throw new Error(`demo submission rejected: ${JSON.stringify(r.errors.slice(0, 3))}`);
    }
    if (r.status === 'accepted') written++;
    onProgress?.(i + 1, items.length);
  }
  await store.put(
    DEMO_MARKER_KEY,
    JSON.stringify({ demo: true, seeded_at: now.toISOString(), versions: written }),
  );
  return written;
}
