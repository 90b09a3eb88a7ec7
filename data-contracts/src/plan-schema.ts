// The plan file's schema (zod) and its checks. Kept apart from plan.ts so that the dashboard's first screen does
// not load zod: the browser reads the shipped plan through plan.ts; every Node entry point (the package index,
// hence the server, the commands and the Lambdas) validates it here at load, and a test re-parses it.
import { z } from 'zod';
import { COMPARATORS, KPI_CODES, MEETINGS, PLAN, type Plan } from './plan.ts';

const Bilingual = z.strictObject({ vi: z.string(), en: z.string() });

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
  report_deadline: z.strictObject({
    month: z.int().min(1).max(12),
    day: z.int().min(1).max(31),
    source: z.string(),
  }),
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
  evaluation_groups: z.array(
    z.strictObject({ code: z.string(), label_vi: z.string(), label_en: z.string() }),
  ),
  policy: z.strictObject({
    note_vi: z.string(),
    note_en: z.string(),
    warnings: z.strictObject({
      projection: z.literal('least_squares_to_phase_end'),
      /** Below this share of reporting communes a pooled cadre KPI of the province is not judged (docs/kpis.md "Coverage"). */
      min_coverage_pct: z.number().min(0).max(100),
      severities: z.strictObject({
        critical: Bilingual,
        high: Bilingual,
        medium: Bilingual,
        missing: Bilingual,
      }),
    }),
    ranking: z.strictObject({
      weights: z.strictObject({
        kpi: z.number().min(0),
        evaluation: z.number().min(0),
        data_quality: z.number().min(0),
      }),
      not_met_cap: z.number().min(0).max(100),
    }),
    data_quality: z.strictObject({
      late_penalty_per_day: z.number().min(0),
      headcount_change_threshold_pct: z.number().min(0),
      leader_title_keywords: z.array(z.string().min(1)),
      soft_rules: z.array(
        z.strictObject({
          code: z.enum([
            'leader_title_not_leader',
            'headcount_change',
            'identical_evaluations',
            'civil_servants_mismatch',
          ]),
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

export function parsePlan(input: unknown): Plan {
  const plan = PlanSchema.parse(input);
  const phaseYears = plan.phases.flatMap((p) => p.years).sort();
  if (JSON.stringify(phaseYears) !== JSON.stringify([...plan.years].sort())) {
    throw new Error(`plan ${plan.plan_id}: phases must cover every plan year exactly once`);
  }
  for (const k of plan.kpis) {
    for (const t of k.targets) {
      if (!plan.phases.some((p) => p.code === t.phase))
        throw new Error(`plan: KPI ${k.code} targets unknown phase ${t.phase}`);
    }
  }
  const w = plan.policy.ranking.weights;
  if (w.kpi + w.evaluation + w.data_quality !== 100) throw new Error('plan: ranking weights must sum to 100');
  return plan;
}

/** The shipped plan is checked wherever Node loads the package: an invalid plan file stops the process at start. */
export const PLAN_CHECKED: Plan = parsePlan(PLAN);
