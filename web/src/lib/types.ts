// Row shapes of the API's tabular answers and its other answers: the contract's own types (data-contracts
// api.ts, the schemas the OpenAPI document and the API tests use), never a copy kept by hand.
export type {
  ApiFieldError as FieldError,
  AuthConfig,
  CadreGapRow,
  CommuneRow,
  Comparator,
  DataQualityRow,
  DryRunResult,
  FindingRow,
  Health,
  KpiCommuneRow,
  KpiProvinceRow,
  Me,
  RankingRow,
  SubmissionRow,
  SubmitResult,
  WarningRow,
  YearsInfo,
} from '@scorecard/data-contracts';

export interface Table<T> {
  refreshed_at: string | null;
  rows: T[];
}
