// The stored form of a submission: the normalised submission with national_id replaced by person_key and
// defaults made explicit, wrapped with the server fields. This is what raw/ holds, immutably.
import {
  ACTIVE_CATEGORIES,
  ageBand,
  type Cadre,
  type Plan,
  type Submission,
  TABLES,
  type TableName,
  TRAINING,
} from '@scorecard/data-contracts';
import { canonicalJson, sha256Hex } from '../codec/canonical.ts';

export type StoredCadre = Omit<Cadre, 'national_id'> & {
  person_key: string;
  on_probation: boolean;
  rotated_in: boolean;
};
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

type CadreGetter = (c: StoredCadre, v: StoredVersion, i: number, plan: Plan) => unknown;

/** Cadre columns that are not a field of the stored cadre of the same name. */
const CADRE_DERIVED: Record<string, CadreGetter> = {
  submission_id: (_c, v) => v.submission_id,
  commune_code: (_c, v) => v.commune_code,
  row_no: (_c, _v, i) => i,
  gender: (c) => c.gender ?? null,
  title_suggests_leader: (c, _v, _i, plan) => titleSuggestsLeader(plan, c.position),
  trainings: (c) => [...c.trainings].sort().join(','),
  age_band: (c, v) => ageBand(c.birth_year, v.year),
  rating: (c) => c.evaluation?.rating ?? null,
  task_results: (c) => c.evaluation?.task_results ?? null,
  service_quality: (c) => c.evaluation?.service_quality ?? null,
  coordination: (c) => c.evaluation?.coordination ?? null,
  integrity: (c) => c.evaluation?.integrity ?? null,
  ...Object.fromEntries(
    TRAINING.codes.map((t) => [`trained_${t}`, ((c: StoredCadre) => c.trainings.includes(t)) as CadreGetter]),
  ),
};

/**
 * One getter per column of TABLES.cadres, in column order: every row is then built by assigning the same keys
 * in the same order (one hidden class). Spreading the cadre into a literal after other properties was V8's slow
 * path — about 0.25 ms per row, most of an ingest's CPU.
 */
const CADRE_COLUMNS: readonly (readonly [string, CadreGetter])[] = TABLES.cadres.map(
  (col) =>
    [
      col.name,
      CADRE_DERIVED[col.name] ?? ((c: StoredCadre) => (c as unknown as Record<string, unknown>)[col.name]),
    ] as const,
);

function cadreRow(c: StoredCadre, v: StoredVersion, i: number, plan: Plan): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [name, get] of CADRE_COLUMNS) row[name] = get(c, v, i, plan);
  return row;
}

/** Rows of every Parquet table for one stored version, keyed by table. */
/** The Parquet rows of a version; `committedAt` is when its commit marker is written (null: not a marker write). */
export function tableRows(
  v: StoredVersion,
  plan: Plan,
  committedAt: Date | null = null,
): Record<TableName, Record<string, unknown>[]> {
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
        committed_at: committedAt,
        received_date_vn: new Date(Date.parse(v.received_at) + plan.utc_offset_hours * 3_600_000)
          .toISOString()
          .slice(0, 10),
      },
    ],
    reports: [{ ...key, ...reportScalars, ...survey }],
    staffing: staffing.map((s) => ({ ...key, ...s })),
    initiatives: initiatives.map((it, i) => ({ ...key, item_no: i, ...it })),
    cadres: v.submission.cadres.map((c, i) => cadreRow(c, v, i, plan)),
    cadre_identity: v.submission.cadres.map((c, i) => ({
      submission_id: v.submission_id,
      commune_code: v.commune_code,
      row_no: i,
      cadre_code: c.cadre_code,
      position: c.position,
    })),
    voids: [],
  };
}
