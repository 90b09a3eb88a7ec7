// The Vietnamese words of a meeting pack, all from the catalogue (i18n/excel.ts EXPORT_TEXT), and the few
// display formats the PDF and workbook share: vi-VN numbers ("90,5 %"), instants in the plan's zone.
import type { Meeting, Plan } from '@scorecard/data-contracts';
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

const HOUR_MS = 3_600_000;
const pad = (n: number) => String(n).padStart(2, '0');

/** "06/11/2026 07:00" in the plan's zone (Asia/Ho_Chi_Minh has a fixed offset, plan.utc_offset_hours). */
export function planZoneTime(plan: Plan, instant: Date): string {
  const d = new Date(instant.getTime() + plan.utc_offset_hours * HOUR_MS);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

export function meetingTitle(meeting: Meeting, years: readonly number[]): string {
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
  if (value === null || value === undefined) return '—';
  return `${new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value)}\u00a0%`;
}

export function num(value: number | null | undefined, decimals = 1): string {
  if (value === null || value === undefined) return '—';
  return new Intl.NumberFormat('vi-VN', {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  }).format(value);
}
