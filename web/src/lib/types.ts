// Row shapes of the API's tabular answers (interfaces.md). Values in 0–100 are doubles; NULL means no value.
import type { Role } from './session.ts';

export type Comparator = 'gt' | 'gte';
export type Severity = 'critical' | 'high' | 'medium' | 'missing';

export interface Table<T> {
  refreshed_at: string | null;
  rows: T[];
}

export interface Health {
  status: string;
  mode: 'local' | 'cognito' | string;
  demo: boolean;
  /** The server's clock (SCORECARD_NOW in rehearsals). */
  time?: string;
}

export interface YearsInfo {
  current_year: number;
  years: number[];
  deadline_passed: boolean;
}

export interface Me {
  role: Role;
  commune_code?: string | null;
}

export interface AuthConfig {
  mode: 'local' | 'cognito';
  demo_communes?: (string | { commune_code: string; name?: string })[];
  /** Local mode: the folder holds real data, so a demo sign-in needs the one-time code `npm start` prints. */
  sign_in_code_required?: boolean;
}

export interface CommuneRow {
  commune_code: string;
  name: string;
  type: string;
  former_province: string | null;
  former_district: string | null;
}

export interface KpiProvinceRow {
  year: number;
  phase: string | null;
  kpi: string;
  numerator: number | null;
  denominator: number | null;
  value_pct: number | null;
  target_pct: number | null;
  comparator: Comparator | null;
  met: boolean | null;
  communes_reporting: number | null;
  /** Reference communes; coverage_pct = 100 × reporting / expected (kpis.md "Coverage"). */
  communes_expected?: number | null;
  coverage_pct?: number | null;
  /** False while the year's report deadline has not passed: the values are provisional. */
  year_closed?: boolean | null;
  /** Units (cadres or communes) a missed target still needs. */
  gap_units?: number | null;
}

export interface KpiCommuneRow {
  year: number;
  phase: string | null;
  commune_code: string;
  kpi: string;
  numerator: number | null;
  denominator: number | null;
  value_pct: number | null;
  target_pct: number | null;
  comparator: Comparator | null;
  met: boolean | null;
  year_closed?: boolean | null;
  gap_units?: number | null;
}

export interface WarningRow {
  year: number;
  phase: string | null;
  scope: 'province' | 'commune';
  commune_code: string | null;
  kpi: string;
  value_pct: number | null;
  target_pct: number | null;
  projected_pct: number | null;
  severity: Severity;
  year_closed?: boolean | null;
  /** Units (cadres or communes) the missed target still needs. */
  gap_units?: number | null;
}

export interface CadreGapRow {
  year: number;
  commune_code: string;
  cadre_code: string;
  position: string;
  is_leader: boolean;
  reason: string;
  detail: string | null;
}

export interface RankingRow {
  year: number;
  commune_code: string;
  type: string;
  score: number;
  rank: number;
  rank_in_type: number;
  kpi_score: number;
  evaluation_score: number;
  data_quality_score: number;
}

export interface DataQualityRow {
  year: number;
  commune_code: string;
  dung: number;
  du: number;
  sach: number;
  song: number;
  score: number;
}

export interface FindingRow {
  year: number;
  commune_code: string;
  rule: string;
  passed: boolean;
  detail: string | null;
}

export interface SubmissionRow {
  submission_id: string;
  commune_code: string;
  year: number;
  version: number;
  received_at: string;
  on_time: boolean;
  voided: boolean;
  submitted_by?: string | null;
}

export interface FieldError {
  path: string;
  code: string;
  message_vi: string;
  message_en: string;
}

export interface DryRunResult {
  valid: boolean;
  errors: FieldError[];
  soft_findings: FieldError[];
}

export interface SubmitResult {
  submission_id: string;
  version: number;
  status: string;
}
