// The stored form of a submission: the normalised submission with national_id replaced by person_key and
// defaults made explicit, wrapped with the server fields. This is what raw/ holds, immutably.
import {
  ACTIVE_CATEGORIES,
  ageBand,
  type Cadre,
  type Plan,
  type Submission,
  TABLES,
  TRAINING,
  type TableName,
} from '@scorecard/data-contracts';
import { canonicalJson, sha256Hex } from '../lib/canonical.ts';

export type StoredCadre = Omit<Cadre, 'national_id'> & { person_key: string; on_probation: boolean; rotated_in: boolean };
export type StoredSubmission = Omit<Submission, 'cadres'> & { cadres: StoredCadre[] };

export interface StoredVersion {
  submission_id: string;
  commune_code: string;
  year: number;
  version: number;
  received_at: string;
  submitted_by: string;
  content_sha256: string;
  schema_version: 1;
  submission: StoredSubmission;
}

export function contentHash(s: StoredSubmission): string {
  return sha256Hex(canonicalJson(s));
}

export function rawKey(year: number, commune: string, version: number): string {
  return `raw/year=${year}/commune=${commune}/v${String(version).padStart(6, '0')}.json`;
}

export function tableKey(table: TableName, year: number, submissionId: string): string {
  const prefix = table === 'cadre_identity' ? 'restricted/cadre_identity' : `curated/${table}`;
  return `${prefix}/year=${year}/${submissionId}.parquet`;
}

/** The plan's leadership keywords, lower-cased once per plan (this runs for every cadre of every submission). */
const lowerKeywords = new WeakMap<Plan, string[]>();

export function titleSuggestsLeader(plan: Plan, position: string): boolean {
  let keywords = lowerKeywords.get(plan);
  if (!keywords) {
    keywords = plan.policy.data_quality.leader_title_keywords.map((k) => k.toLocaleLowerCase('vi'));
    lowerKeywords.set(plan, keywords);
  }
  // Vietnamese has no locale-specific case mappings (unlike Turkish): toLowerCase gives the same result as
  // toLocaleLowerCase('vi') — a test checks it over the plan's keywords — without an ICU call per cadre.
  const p = position.toLowerCase();
  return keywords.some((k) => p.includes(k));
}

export function isActive(category: string): boolean {
  return (ACTIVE_CATEGORIES as readonly string[]).includes(category);
}

const TRAINED_COLUMNS = TRAINING.codes.map((t) => [t, `trained_${t}`] as const);

function trainedFlags(trainings: readonly string[]): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const [t, column] of TRAINED_COLUMNS) out[column] = trainings.includes(t);
  return out;
}

/** Rows of every Parquet table for one stored version, keyed by table. */
export function tableRows(v: StoredVersion, plan: Plan): Record<TableName, Record<string, unknown>[]> {
  const key = { submission_id: v.submission_id, commune_code: v.commune_code };
  const r = v.submission.report;
  const { survey, staffing, initiatives, ...reportScalars } = r;
  return {
    submissions: [
      {
        ...key,
        version: v.version,
        received_at: new Date(v.received_at),
        content_sha256: v.content_sha256,
        submitted_by: v.submitted_by,
        schema_version: v.schema_version,
        cadre_rows: v.submission.cadres.length,
      },
    ],
    reports: [{ ...key, ...reportScalars, ...survey }],
    staffing: staffing.map((s) => ({ ...key, ...s })),
    initiatives: initiatives.map((it, i) => ({ ...key, item_no: i, ...it })),
    cadres: v.submission.cadres.map((c, i) => {
      const { cadre_code: _code, position, birth_year, evaluation, trainings, ...direct } = c;
      return {
        ...key,
        row_no: i,
        ...direct,
        gender: c.gender ?? null,
        title_suggests_leader: titleSuggestsLeader(plan, position),
        trainings: [...trainings].sort().join(','),
        ...trainedFlags(trainings),
        age_band: ageBand(birth_year, v.year),
        rating: evaluation?.rating ?? null,
        task_results: evaluation?.task_results ?? null,
        service_quality: evaluation?.service_quality ?? null,
        coordination: evaluation?.coordination ?? null,
        integrity: evaluation?.integrity ?? null,
      };
    }),
    cadre_identity: v.submission.cadres.map((c, i) => ({ ...key, row_no: i, cadre_code: c.cadre_code, position: c.position })),
    voids: [],
  };
}

// Keep TABLES referenced so a schema change that drops a table fails to type-check here.
export const STORED_TABLES = Object.keys(TABLES) as TableName[];
