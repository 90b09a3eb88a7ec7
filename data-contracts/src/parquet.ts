// Parquet column definitions, derived from the submission schema (submission.ts) — nothing here restates a
// field list by hand except how each schema field is *stored*: flattened, derived, restricted or dropped.
// Layout: curated/<table>/year=YYYY/<submission_id>.parquet (the `year` partition is not a file column).
import { z } from 'zod';
import { TRAINING } from './codes.ts';
import {
  CadreSchema,
  EvaluationSchema,
  InitiativeSchema,
  ReportSchema,
  StaffingRowSchema,
  SurveySchema,
} from './submission.ts';

export type ColumnType = 'string' | 'int' | 'bigint' | 'boolean' | 'double' | 'timestamp';
export interface Column {
  name: string;
  type: ColumnType;
  nullable: boolean;
}

function typeOf(schema: z.ZodType): { type: ColumnType; nullable: boolean } {
  if (schema instanceof z.ZodOptional)
    return { type: typeOf(schema.unwrap() as z.ZodType).type, nullable: true };
  if (schema instanceof z.ZodBoolean) return { type: 'boolean', nullable: false };
  if (schema instanceof z.ZodNumber) return { type: 'int', nullable: false };
  if (schema instanceof z.ZodString || schema instanceof z.ZodEnum)
    return { type: 'string', nullable: false };
  throw new Error('parquet: no column type for a nested schema field');
}

function columnsOf(shape: Record<string, z.ZodType>, skip: readonly string[] = []): Column[] {
  return Object.entries(shape)
    .filter(([name]) => !skip.includes(name))
    .map(([name, s]) => ({ name, ...typeOf(s) }));
}

const KEY: Column[] = [
  { name: 'submission_id', type: 'string', nullable: false },
  { name: 'commune_code', type: 'string', nullable: false },
];

/**
 * How each cadre field is stored. Every field of CadreSchema must appear here (a test checks), so a new
 * field cannot reach storage without a decision about personal data.
 */
const CADRE_FIELD_STORAGE = {
  cadre_code: 'restricted',
  national_id: 'person_key', // HMAC-SHA256, never stored
  category: 'column',
  position: 'restricted', // plus the derived title_suggests_leader flag
  is_leader: 'column',
  org_unit: 'column',
  education: 'column',
  meets_competency_standard: 'column',
  edoc_proficient: 'column',
  online_service_proficient: 'column',
  record_digitized: 'column',
  trainings: 'trainings', // sorted comma-separated text + one flag per training code
  evaluation: 'evaluation', // flattened: rating + four group scores
  on_probation: 'column_default_false',
  rotated_in: 'column_default_false',
  birth_year: 'age_band', // only the band is stored for analysis
  gender: 'column',
} as const satisfies Record<keyof typeof CadreSchema.shape, string>;

const cadreShape = CadreSchema.shape as unknown as Record<string, z.ZodType>;
const directCadre = Object.entries(CADRE_FIELD_STORAGE)
  .filter(([, how]) => how === 'column' || how === 'column_default_false')
  .map(([name]) => name);

const TRAINING_FLAG_COLUMNS = TRAINING.codes.map((c) => `trained_${c}`);

export const TABLES = {
  /** The commit marker: written last; a submission exists for the views only once this row does. */
  submissions: [
    ...KEY,
    { name: 'version', type: 'int', nullable: false },
    { name: 'received_at', type: 'timestamp', nullable: false },
    { name: 'content_sha256', type: 'string', nullable: false },
    { name: 'submitted_by', type: 'string', nullable: false },
    { name: 'schema_version', type: 'int', nullable: false },
    { name: 'cadre_rows', type: 'int', nullable: false },
    // When the commit marker was written (docs/kpis.md "As known on"): a version claimed before a crash and completed
    // later becomes visible at its completion, never earlier. Null in markers written before this column.
    { name: 'committed_at', type: 'timestamp', nullable: true },
    // sha256 of each data file this commit wrote ({"reports": "…", …}, JSON): a load verifies them (integrity/).
    { name: 'files_sha256', type: 'string', nullable: true },
    // received_at's date in the plan's zone (YYYY-MM-DD; Vietnam is UTC+7), computed here: views do no zone math.
    { name: 'received_date_vn', type: 'string', nullable: true },
  ],
  reports: [
    ...KEY,
    ...columnsOf(ReportSchema.shape as unknown as Record<string, z.ZodType>, [
      'survey',
      'staffing',
      'initiatives',
    ]),
    ...columnsOf(SurveySchema.shape as unknown as Record<string, z.ZodType>),
  ],
  staffing: [...KEY, ...columnsOf(StaffingRowSchema.shape as unknown as Record<string, z.ZodType>)],
  initiatives: [
    ...KEY,
    { name: 'item_no', type: 'int', nullable: false },
    ...columnsOf(InitiativeSchema.shape as unknown as Record<string, z.ZodType>),
  ],
  cadres: [
    ...KEY,
    { name: 'row_no', type: 'int', nullable: false },
    { name: 'person_key', type: 'string', nullable: false },
    ...directCadre.map((name) => ({
      name,
      type: typeOf(cadreShape[name] as z.ZodType).type,
      nullable: name === 'gender',
    })),
    { name: 'title_suggests_leader', type: 'boolean', nullable: false },
    { name: 'trainings', type: 'string', nullable: false },
    ...TRAINING_FLAG_COLUMNS.map((name) => ({ name, type: 'boolean' as const, nullable: false })),
    { name: 'age_band', type: 'string', nullable: true },
    ...columnsOf(EvaluationSchema.shape as unknown as Record<string, z.ZodType>).map((c) => ({
      ...c,
      nullable: true,
    })),
  ],
  /** Restricted: identifies people. Its own prefix, readable by the API's cadre_gaps only, never by analysts. */
  cadre_identity: [
    ...KEY,
    { name: 'row_no', type: 'int', nullable: false },
    { name: 'cadre_code', type: 'string', nullable: false },
    { name: 'position', type: 'string', nullable: false },
  ],
  /** Voids: an admin's decision that a version was filed in error. */
  voids: [
    { name: 'submission_id', type: 'string', nullable: false },
    { name: 'voided_at', type: 'timestamp', nullable: false },
    { name: 'voided_by', type: 'string', nullable: false },
    { name: 'reason', type: 'string', nullable: false },
  ],
} as const satisfies Record<string, Column[]>;

export type TableName = keyof typeof TABLES;

/** Where each table lives in the store; the restricted table has its own prefix (least privilege on S3). */
export const TABLE_PREFIX: Record<TableName, string> = {
  submissions: 'curated/submissions',
  reports: 'curated/reports',
  staffing: 'curated/staffing',
  initiatives: 'curated/initiatives',
  cadres: 'curated/cadres',
  cadre_identity: 'restricted/cadre_identity',
  voids: 'curated/voids',
};

/** Tables written per submission, in write order; `submissions` (the commit marker) always last. */
export const SUBMISSION_TABLES_IN_WRITE_ORDER: TableName[] = [
  'reports',
  'staffing',
  'initiatives',
  'cadres',
  'cadre_identity',
  'submissions',
];
