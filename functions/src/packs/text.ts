// The Vietnamese words of a meeting pack, all from the catalogue (i18n/excel.ts EXPORT_TEXT), and the few
// display formats the PDF and workbook share, from the product's one formatter (data-contracts/src/format.ts).
import type { Meeting, Plan } from '@scorecard/data-contracts';
import { formatDateTime, formatNumber, formatPct } from '@scorecard/data-contracts/format.ts';
import { type ExportTextCode, exportText } from '@scorecard/data-contracts/i18n/excel.ts';

export function t(code: ExportTextCode, params: Record<string, string | number> = {}): string {
  return exportText(code, params, 'vi');
}

export interface PackText {
  title: string;
  asOfLine: string;
  planLine: string;
  asOf: Date;
}

/** "06/11/2026 07:00" in the plan's zone. */
function planZoneTime(plan: Plan, instant: Date): string {
  return formatDateTime(instant, 'vi', plan.timezone);
}

function meetingTitle(meeting: Meeting, years: readonly number[]): string {
  const from = Math.min(...years);
  const to = Math.max(...years);
  if (meeting === 'annual') return t('meeting_annual', { year: to });
  return t(meeting === 'review' ? 'meeting_review' : 'meeting_final', { from, to });
}

export function packText(plan: Plan, meeting: Meeting, years: readonly number[], asOf: Date): PackText {
  return {
    title: meetingTitle(meeting, years),
    asOfLine: t('as_of', { instant: planZoneTime(plan, asOf) }),
    planLine: t('plan', { title: plan.title_vi, version: plan.version }),
    asOf,
  };
}

/** "90,5 %" — one decimal, vi-VN, never a rounded value in a comparison (display only, docs/kpis.md). */
export function pct(value: number | null | undefined): string {
  return formatPct(value, 'vi');
}

export function num(value: number | null | undefined, decimals = 1): string {
  return formatNumber(value, 'vi', decimals);
}
