// The plan is data (docs/kpis.md): phases, KPIs, targets, comparators, deadlines, policy and schedules come from a
// plan file validated by the schema in plan-schema.ts (the package index checks the shipped plan at load).
// Another province or a revised resolution is a new file, not a code change. This module has no zod: the
// dashboard imports it on its first screen.
import type { z } from 'zod';
import type { PlanSchema } from './plan-schema.ts';
import dongThap from './plans/dong-thap-2026-2030.json' with { type: 'json' };

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

export type Plan = z.infer<typeof PlanSchema>;

/** The province's plan, as shipped (validated by plan-schema.ts wherever Node loads the package). */
export const PLAN: Plan = dongThap as unknown as Plan;

export function phaseOf(plan: Plan, year: number) {
  return plan.phases.find((p) => p.years.includes(year));
}

const HOUR_MS = 3_600_000;

/**
 * The instant a year's report stops being on time: the day after the deadline day, 00:00 in the plan's zone.
 * "Before 6 November 00:00:00 Asia/Ho_Chi_Minh" (docs/kpis.md, report_on_time).
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
      for (const y of s.years ?? plan.years)
        out.push({ meeting: 'annual', year: y, due: reportDeadlineUtc(plan, y) });
    } else {
      const phase = plan.phases.find((p) => p.code === s.phase);
      if (!phase) throw new Error(`plan: schedule ${s.meeting} names unknown phase ${s.phase}`);
      const last = Math.max(...phase.years);
      out.push({ meeting: s.meeting, year: last, due: reportDeadlineUtc(plan, last) });
    }
  }
  return out.sort((a, b) => a.due.getTime() - b.due.getTime() || a.meeting.localeCompare(b.meeting));
}
