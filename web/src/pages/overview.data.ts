// Tổng quan: province KPIs for the year and over the years, warnings, and who has reported.
import { getTable } from '../lib/api.ts';
import type { CommuneRow, KpiProvinceRow, SubmissionRow, WarningRow } from '../lib/types.ts';

export async function fetchProvinceKpis(year: number, firstYear: number) {
  const [current, trend] = await Promise.all([
    getTable<KpiProvinceRow>('/kpis', { year }),
    getTable<KpiProvinceRow>('/kpis', { from: firstYear, to: year }),
  ]);
  return { refreshed_at: current.refreshed_at, rows: current.rows, trend: trend.rows };
}

export const fetchWarnings = (year: number) => getTable<WarningRow>('/warnings', { year });

export async function fetchReporting(year: number) {
  const [communes, submissions] = await Promise.all([
    getTable<CommuneRow>('/communes'),
    getTable<SubmissionRow>('/submissions', { year }),
  ]);
  return { communes: communes.rows, submissions: submissions.rows };
}

export type ReportingStatus = 'on_time' | 'late' | 'missing' | 'not_due';
export const REPORTING_STATUSES: ReportingStatus[] = ['on_time', 'late', 'missing', 'not_due'];

/**
 * A commune's reporting status for a year: judged by its first accepted (non-voided) version — a correction
 * never changes it (docs/kpis.md, report_on_time); with no version it is missing once the deadline has passed and
 * "chưa đến hạn" before.
 */
export function reportingStatus(
  communeCodes: string[],
  submissions: SubmissionRow[],
  deadlinePassed: boolean,
): Map<string, ReportingStatus> {
  const first = new Map<string, SubmissionRow>();
  for (const s of submissions) {
    if (s.voided) continue;
    const seen = first.get(s.commune_code);
    if (!seen || s.version < seen.version) first.set(s.commune_code, s);
  }
  const out = new Map<string, ReportingStatus>();
  for (const code of communeCodes) {
    const s = first.get(code);
    out.set(code, s ? (s.on_time ? 'on_time' : 'late') : deadlinePassed ? 'missing' : 'not_due');
  }
  return out;
}
