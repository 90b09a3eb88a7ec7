// Reference and plan tables, generated from data-contracts (the plan file and the reference communes), never
// written as SQL literals: another plan file changes these rows, not a view. Engine-neutral: the DuckDB
// adapter loads them into memory; an Athena deployment can create the same tables from the same rows.
//
// Everything involving time zones is computed here, so the portable views never do zone arithmetic:
// the report deadline of each year as a UTC instant, the lateness bands behind "Sống", and the plan years
// that exist at the as-of instant (years up to the as-of year in the plan's zone).
import { type Commune, type Plan, reportDeadlineUtc, yearInPlanZone } from '@scorecard/data-contracts';

export type RefColumnType = 'VARCHAR' | 'INTEGER' | 'DOUBLE' | 'BOOLEAN' | 'TIMESTAMP';
export type RefValue = string | number | boolean | Date | null;

export interface RefTable {
  name: string;
  columns: { name: string; type: RefColumnType }[];
  rows: RefValue[][];
}

export interface ReferenceInput {
  plan: Plan;
  communes: readonly Commune[];
  /** The cut-off: only submissions received (and voids made) up to this instant are seen by the views. */
  asOf: Date;
}

const DAY_MS = 86_400_000;
/** A late report older than this many days is in the last (open-ended) band whatever the penalty. */
const MAX_LATENESS_BANDS = 3660;

/** The plan years the views consider at `asOf`: every plan year up to the as-of year in the plan's zone. */
function consideredYears(plan: Plan, asOf: Date): number[] {
  const asOfYear = yearInPlanZone(plan, asOf);
  return [...plan.years].filter((y) => y <= asOfYear).sort((a, b) => a - b);
}

/**
 * Lateness bands for "Sống" (docs/kpis.md): 100 − penalty × (whole or part days after the deadline), at least 0.
 * Band d covers [deadline + (d−1) days, deadline + d days): a report exactly at the deadline instant is 1 day
 * late. The last band is open-ended (late_until_utc NULL) once the score reaches 0 (or the penalty is 0).
 */
function latenessBands(
  plan: Plan,
  year: number,
): { days_late: number; from: Date; until: Date | null; song: number }[] {
  const deadline = reportDeadlineUtc(plan, year).getTime();
  const penalty = plan.policy.data_quality.late_penalty_per_day;
  const bands: { days_late: number; from: Date; until: Date | null; song: number }[] = [];
  for (let d = 1; d <= MAX_LATENESS_BANDS; d++) {
    const song = Math.max(0, 100 - penalty * d);
    const last = song === 0 || penalty === 0 || d === MAX_LATENESS_BANDS;
    bands.push({
      days_late: d,
      from: new Date(deadline + (d - 1) * DAY_MS),
      until: last ? null : new Date(deadline + d * DAY_MS),
      song,
    });
    if (last) break;
  }
  return bands;
}

export function referenceTables({ plan, communes, asOf }: ReferenceInput): RefTable[] {
  const years = consideredYears(plan, asOf);
  const phaseOfYear = (y: number) => plan.phases.find((p) => p.years.includes(y));
  const policy = plan.policy;
  return [
    {
      name: 'params',
      columns: [
        { name: 'as_of', type: 'TIMESTAMP' },
        { name: 'as_of_year', type: 'INTEGER' },
        { name: 'plan_id', type: 'VARCHAR' },
        { name: 'plan_version', type: 'VARCHAR' },
      ],
      rows: [[asOf, yearInPlanZone(plan, asOf), plan.plan_id, plan.version]],
    },
    {
      name: 'ref_communes',
      columns: [
        { name: 'commune_code', type: 'VARCHAR' },
        { name: 'name', type: 'VARCHAR' },
        { name: 'type', type: 'VARCHAR' },
        { name: 'former_province', type: 'VARCHAR' },
        { name: 'former_district', type: 'VARCHAR' },
      ],
      rows: communes.map((c) => [
        c.commune_code,
        c.name.trim(),
        c.type,
        c.former_province.trim(),
        c.former_district.trim(),
      ]),
    },
    {
      name: 'plan_years',
      columns: [
        { name: 'year', type: 'INTEGER' },
        { name: 'phase', type: 'VARCHAR' },
        { name: 'phase_first_year', type: 'INTEGER' },
        { name: 'phase_last_year', type: 'INTEGER' },
        { name: 'is_phase_last_year', type: 'BOOLEAN' },
      ],
      rows: years.map((y) => {
        const p = phaseOfYear(y);
        if (!p) throw new Error(`plan ${plan.plan_id}: year ${y} has no phase`);
        const first = Math.min(...p.years);
        const last = Math.max(...p.years);
        return [y, p.code, first, last, y === last];
      }),
    },
    {
      name: 'plan_kpis',
      columns: [
        { name: 'kpi', type: 'VARCHAR' },
        { name: 'unit', type: 'VARCHAR' },
        { name: 'sort_order', type: 'INTEGER' },
      ],
      rows: plan.kpis.map((k, i) => [k.code, k.unit, i + 1]),
    },
    {
      name: 'plan_kpi_targets',
      columns: [
        { name: 'kpi', type: 'VARCHAR' },
        { name: 'phase', type: 'VARCHAR' },
        { name: 'comparator', type: 'VARCHAR' },
        { name: 'target_pct', type: 'DOUBLE' },
        { name: 'deadline_year', type: 'INTEGER' },
      ],
      rows: plan.kpis.flatMap((k) =>
        k.targets.map((t) => [k.code, t.phase, t.comparator, t.target_pct, t.deadline_year ?? null]),
      ),
    },
    {
      name: 'plan_policy',
      columns: [
        { name: 'weight_kpi', type: 'DOUBLE' },
        { name: 'weight_evaluation', type: 'DOUBLE' },
        { name: 'weight_data_quality', type: 'DOUBLE' },
        { name: 'not_met_cap', type: 'DOUBLE' },
        { name: 'late_penalty_per_day', type: 'DOUBLE' },
        { name: 'headcount_change_threshold_pct', type: 'DOUBLE' },
        { name: 'min_coverage_pct', type: 'DOUBLE' },
      ],
      rows: [
        [
          policy.ranking.weights.kpi,
          policy.ranking.weights.evaluation,
          policy.ranking.weights.data_quality,
          policy.ranking.not_met_cap,
          policy.data_quality.late_penalty_per_day,
          policy.data_quality.headcount_change_threshold_pct,
          policy.warnings.min_coverage_pct,
        ],
      ],
    },
    {
      name: 'plan_soft_rules',
      columns: [
        { name: 'rule', type: 'VARCHAR' },
        { name: 'sort_order', type: 'INTEGER' },
      ],
      rows: policy.data_quality.soft_rules.map((r, i) => [r.code, i + 1]),
    },
    {
      name: 'plan_report_deadlines',
      columns: [
        { name: 'year', type: 'INTEGER' },
        { name: 'deadline_utc', type: 'TIMESTAMP' },
      ],
      rows: plan.years.map((y) => [y, reportDeadlineUtc(plan, y)]),
    },
    {
      name: 'plan_late_days',
      columns: [
        { name: 'year', type: 'INTEGER' },
        { name: 'days_late', type: 'INTEGER' },
        { name: 'late_from_utc', type: 'TIMESTAMP' },
        { name: 'late_until_utc', type: 'TIMESTAMP' },
        { name: 'song', type: 'DOUBLE' },
      ],
      rows: plan.years.flatMap((y) =>
        latenessBands(plan, y).map((b) => [y, b.days_late, b.from, b.until, b.song]),
      ),
    },
  ];
}

/** Names of the reference/plan tables (internal: not granted to analysts). */
export const REFERENCE_TABLE_NAMES = [
  'params',
  'ref_communes',
  'plan_years',
  'plan_kpis',
  'plan_kpi_targets',
  'plan_policy',
  'plan_soft_rules',
  'plan_report_deadlines',
  'plan_late_days',
] as const;
