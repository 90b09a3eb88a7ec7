// One commune: its KPIs over the years, warnings, cadre gaps (roles permitting), data quality with the
// soft-rule findings, ranking and submission history.
import { getTable } from '../lib/api.ts';
import type {
  CadreGapRow,
  CommuneRow,
  DataQualityRow,
  FindingRow,
  KpiCommuneRow,
  RankingRow,
  SubmissionRow,
  WarningRow,
} from '../lib/types.ts';

export async function fetchCommune(code: string) {
  const { rows } = await getTable<CommuneRow>('/communes');
  return { commune: rows.find((c) => c.commune_code === code) ?? null, total: rows.length };
}

/** `/kpis/communes` is per year: one request per plan year up to the chosen one. */
export async function fetchCommuneKpis(code: string, years: number[]) {
  const answers = await Promise.all(
    years.map((year) => getTable<KpiCommuneRow>('/kpis/communes', { year, commune: code })),
  );
  return {
    refreshed_at: answers[answers.length - 1]?.refreshed_at ?? null,
    rows: answers.flatMap((a) => a.rows).filter((r) => r.commune_code === code),
  };
}

export async function fetchCommuneWarnings(code: string, year: number) {
  return (await getTable<WarningRow>('/warnings', { year, commune: code })).rows.filter(
    (w) => w.scope === 'commune' && w.commune_code === code,
  );
}

export async function fetchCadreGaps(code: string, year: number) {
  return (await getTable<CadreGapRow>('/cadre-gaps', { year, commune: code })).rows;
}

export async function fetchCommuneQuality(code: string, year: number) {
  const [dq, findings] = await Promise.all([
    getTable<DataQualityRow>('/data-quality', { year, commune: code }),
    getTable<FindingRow>('/data-quality/findings', { year, commune: code }),
  ]);
  return { quality: dq.rows.find((r) => r.commune_code === code) ?? null, findings: findings.rows };
}

export async function fetchCommuneRanking(code: string, year: number) {
  const { rows } = await getTable<RankingRow>('/rankings', { year });
  return rows.find((r) => r.commune_code === code) ?? null;
}

/** Submission history over every plan year up to the chosen one, newest first. */
export async function fetchCommuneSubmissions(code: string, years: number[]) {
  const answers = await Promise.all(
    years.map((year) => getTable<SubmissionRow>('/submissions', { year, commune: code })),
  );
  return answers
    .flatMap((a) => a.rows)
    .filter((s) => s.commune_code === code)
    .sort((a, b) => b.year - a.year || b.version - a.version);
}
