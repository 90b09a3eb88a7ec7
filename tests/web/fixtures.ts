// Rows shaped like the API's answers (docs/interfaces.md), for the component tests.
import { KPI_CODES } from '@scorecard/data-contracts/plan.ts';
import type {
  CommuneRow,
  KpiCommuneRow,
  KpiProvinceRow,
  RankingRow,
  SubmissionRow,
  WarningRow,
} from '@scorecard/web/lib/types.ts';

export const COMMUNES: CommuneRow[] = [
  {
    commune_code: '28249',
    name: 'Phường Đạo Thạnh',
    type: 'phuong',
    former_province: 'Tỉnh Tiền Giang',
    former_district: 'Thành phố Mỹ Tho',
  },
  {
    commune_code: '28261',
    name: 'Phường Mỹ Tho',
    type: 'phuong',
    former_province: 'Tỉnh Tiền Giang',
    former_district: 'Thành phố Mỹ Tho',
  },
  {
    commune_code: '28603',
    name: 'Xã Mỹ Tịnh An',
    type: 'xa',
    former_province: 'Tỉnh Tiền Giang',
    former_district: 'Huyện Chợ Gạo',
  },
];

/** Province KPIs: value 80.04 + index·1.3 (never a rounding tie), target 90 (gt) except within_quota (tracked in P1). */
export function provinceKpis(
  year = 2026,
  overrides: Partial<Record<string, Partial<KpiProvinceRow>>> = {},
): KpiProvinceRow[] {
  return KPI_CODES.map(
    (kpi, i): KpiProvinceRow => ({
      year,
      phase: 'P1',
      kpi,
      numerator: 800 + i,
      denominator: 1000,
      value_pct: 80.04 + i * 1.3,
      target_pct: kpi === 'within_quota' ? null : 90,
      comparator: kpi === 'within_quota' ? null : 'gt',
      met: kpi === 'within_quota' ? null : false,
      communes_reporting: 2,
      communes_expected: 2,
      coverage_pct: 100,
      year_closed: true,
      gap_units: null,
      plan_version: '1.0.0',
      ...(overrides[kpi] as Partial<KpiProvinceRow> | undefined),
    }),
  );
}

export function communeKpis(code: string, year = 2026, value = 50): KpiCommuneRow[] {
  return KPI_CODES.map((kpi) => ({
    year,
    phase: 'P1',
    commune_code: code,
    kpi,
    numerator: value,
    denominator: 100,
    value_pct: value,
    target_pct: kpi === 'within_quota' ? null : 90,
    comparator: kpi === 'within_quota' ? null : 'gt',
    met: kpi === 'within_quota' ? null : value > 90,
    year_closed: true,
    gap_units: null,
    plan_version: '1.0.0',
  }));
}

export const WARNINGS: WarningRow[] = [
  {
    year: 2026,
    phase: 'P1',
    scope: 'province',
    commune_code: null,
    kpi: 'staffing_complete',
    value_pct: 52,
    target_pct: 100,
    projected_pct: 67.6,
    year_closed: true,
    severity: 'critical',
    gap_units: 49,
  },
  {
    year: 2026,
    phase: 'P1',
    scope: 'commune',
    commune_code: '28249',
    kpi: 'leader_standard',
    value_pct: 80,
    target_pct: 90,
    projected_pct: 85,
    gap_units: null,
    year_closed: true,
    severity: 'high',
  },
  {
    year: 2026,
    phase: 'P1',
    scope: 'commune',
    commune_code: '28261',
    kpi: 'leader_standard',
    value_pct: 85,
    target_pct: 90,
    projected_pct: 95,
    gap_units: null,
    year_closed: true,
    severity: 'medium',
  },
  {
    year: 2026,
    phase: 'P1',
    scope: 'commune',
    commune_code: '28603',
    kpi: 'satisfaction',
    value_pct: null,
    target_pct: 85,
    projected_pct: null,
    gap_units: null,
    year_closed: true,
    severity: 'missing',
  },
];

export const RANKINGS: RankingRow[] = [
  {
    year: 2026,
    commune_code: '28603',
    type: 'xa',
    score: 93.1,
    rank: 1,
    rank_in_type: 1,
    kpi_score: 95,
    evaluation_score: 90,
    year_closed: true,
    data_quality_score: 90,
  },
  {
    year: 2026,
    commune_code: '28249',
    type: 'phuong',
    score: 84.5,
    rank: 2,
    rank_in_type: 1,
    kpi_score: 85,
    evaluation_score: 82,
    year_closed: true,
    data_quality_score: 90,
  },
  {
    year: 2026,
    commune_code: '28261',
    type: 'phuong',
    score: 70,
    rank: 3,
    rank_in_type: 2,
    kpi_score: 70,
    evaluation_score: 70,
    year_closed: true,
    data_quality_score: 70,
  },
];

export function submission(
  code: string,
  version: number,
  on_time: boolean,
  extra: Partial<SubmissionRow> = {},
): SubmissionRow {
  return {
    submission_id: `sub-${code}-${version}`,
    commune_code: code,
    year: 2026,
    version,
    received_at: '2026-11-04T18:30:00.000Z',
    content_sha256: `sha-${code}-${version}`,
    on_time,
    committed: true,
    voided: false,
    void_reason: null,
    submitted_by: 'local-commune',
    ...(extra as Partial<SubmissionRow>),
  } as SubmissionRow;
}
