// The plan is data (kpis.md): phases, KPIs, targets, comparators, deadlines, policy and schedules come from a
// plan file validated by this schema. Another province or a revised resolution is a new file, not a code change.
import { z } from 'zod';
import dongThap from './plans/dong-thap-2026-2030.json' with { type: 'json' };

const Bilingual = z.strictObject({ vi: z.string(), en: z.string() });

export const KPI_CODES = [
  'leader_standard',
  'digital_proficiency',
  'digital_cadre_mgmt',
  'records_digitized',
  'satisfaction',
  'leader_trained',
  'staffing_complete',
  'within_quota',
  'initiative_replicated',
  'report_on_time',
] as const;
export type KpiCode = (typeof KPI_CODES)[number];

export const COMPARATORS = ['gt', 'gte'] as const;
export type Comparator = (typeof COMPARATORS)[number];
export const SEVERITIES = ['critical', 'high', 'medium', 'missing'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const MEETINGS = ['annual', 'review', 'final'] as const;
export type Meeting = (typeof MEETINGS)[number];

export const PlanSchema = z.strictObject({
  plan_id: z.string(),
  version: z.string(),
  title_vi: z.string(),
  title_en: z.string(),
  province_vi: z.string(),
  timezone: z.string(),
  /** Fixed offset of the plan's zone (Asia/Ho_Chi_Minh has no daylight saving). */
  utc_offset_hours: z.number(),
  years: z.array(z.int()).min(1),
  report_deadline: z.strictObject({ month: z.int().min(1).max(12), day: z.int().min(1).max(31), source: z.string() }),
  phases: z
    .array(
      z.strictObject({
        code: z.string(),
        years: z.array(z.int()).min(1),
        label_vi: z.string(),
        label_en: z.string(),
        closing_meeting: z.enum(['review', 'final']),
      }),
    )
    .min(1),
  kpis: z.array(
    z.strictObject({
      code: z.enum(KPI_CODES),
      unit: z.enum(['cadre', 'commune', 'respondent']),
      source: z.string(),
      label_vi: z.string(),
      label_en: z.string(),
      targets: z.array(
        z.strictObject({
          phase: z.string(),
          comparator: z.enum(COMPARATORS),
          target_pct: z.number().min(0).max(100),
          wording: z.string(),
          deadline_year: z.int().optional(),
        }),
      ),
    }),
  ),
  evaluation_groups: z.array(z.strictObject({ code: z.string(), label_vi: z.string(), label_en: z.string() })),
  policy: z.strictObject({
    note_vi: z.string(),
    note_en: z.string(),
    warnings: z.strictObject({
      projection: z.literal('least_squares_to_phase_end'),
      severities: z.strictObject({ critical: Bilingual, high: Bilingual, medium: Bilingual, missing: Bilingual }),
    }),
    ranking: z.strictObject({
      weights: z.strictObject({ kpi: z.number().min(0), evaluation: z.number().min(0), data_quality: z.number().min(0) }),
      not_met_cap: z.number().min(0).max(100),
    }),
    data_quality: z.strictObject({
      late_penalty_per_day: z.number().min(0),
      headcount_change_threshold_pct: z.number().min(0),
      leader_title_keywords: z.array(z.string().min(1)),
      soft_rules: z.array(
        z.strictObject({
          code: z.enum(['leader_title_not_leader', 'headcount_change', 'identical_evaluations', 'civil_servants_mismatch']),
          vi: z.string(),
          en: z.string(),
        }),
      ),
    }),
  }),
  schedules: z.array(
    z.strictObject({
      meeting: z.enum(MEETINGS),
      years: z.array(z.int()).optional(),
      phase: z.string().optional(),
      label_vi: z.string(),
      label_en: z.string(),
    }),
  ),
});

export type Plan = z.infer<typeof PlanSchema>;

export function parsePlan(input: unknown): Plan {
  const plan = PlanSchema.parse(input);
  const phaseYears = plan.phases.flatMap((p) => p.years).sort();
  if (JSON.stringify(phaseYears) !== JSON.stringify([...plan.years].sort())) {
    throw new Error(`plan ${plan.plan_id}: phases must cover every plan year exactly once`);
  }
  for (const k of plan.kpis) {
    for (const t of k.targets) {
      if (!plan.phases.some((p) => p.code === t.phase)) throw new Error(`plan: KPI ${k.code} targets unknown phase ${t.phase}`);
    }
  }
  const w = plan.policy.ranking.weights;
  if (w.kpi + w.evaluation + w.data_quality !== 100) throw new Error('plan: ranking weights must sum to 100');
  return plan;
}

/** The province's plan, as shipped. */
export const PLAN: Plan = parsePlan(dongThap);

export function phaseOf(plan: Plan, year: number) {
  return plan.phases.find((p) => p.years.includes(year));
}

const HOUR_MS = 3_600_000;

/**
 * The instant a year's report stops being on time: the day after the deadline day, 00:00 in the plan's zone.
 * "Before 6 November 00:00:00 Asia/Ho_Chi_Minh" (kpis.md, report_on_time).
 */
export function reportDeadlineUtc(plan: Plan, year: number): Date {
  const { month, day } = plan.report_deadline;
  return new Date(Date.UTC(year, month - 1, day + 1) - plan.utc_offset_hours * HOUR_MS);
}

/** The calendar year of an instant in the plan's zone. */
export function yearInPlanZone(plan: Plan, instant: Date): number {
  return new Date(instant.getTime() + plan.utc_offset_hours * HOUR_MS).getUTCFullYear();
}

export interface DueExport {
  meeting: Meeting;
  year: number;
  due: Date;
}

/** When each meeting pack falls due: annual after the year's deadline, review/final after their phase's last deadline. */
export function exportSchedule(plan: Plan): DueExport[] {
  const out: DueExport[] = [];
  for (const s of plan.schedules) {
    if (s.meeting === 'annual') {
      for (const y of s.years ?? plan.years) out.push({ meeting: 'annual', year: y, due: reportDeadlineUtc(plan, y) });
    } else {
      const phase = plan.phases.find((p) => p.code === s.phase);
      if (!phase) throw new Error(`plan: schedule ${s.meeting} names unknown phase ${s.phase}`);
      const last = Math.max(...phase.years);
      out.push({ meeting: s.meeting, year: last, due: reportDeadlineUtc(plan, last) });
    }
  }
  return out.sort((a, b) => a.due.getTime() - b.due.getTime() || a.meeting.localeCompare(b.meeting));
}
