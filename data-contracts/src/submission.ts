// Submission contract, schema_version 1 — the single definition (docs/contracts.md). The TypeScript type, the
// validator, the JSON Schema in the OpenAPI document and the Parquet columns are all derived from it.
import { z } from 'zod';
import { CATEGORY, EDUCATION, GENDER, ORG_UNIT, RATING, STAFFING_FIELD, TRAINING } from './codes.ts';
import { LIMITS } from './limits.ts';

// Custom messages are catalogue codes (i18n/errors.ts); validate.ts turns them into vi/en text.
const count = () => z.int().min(0).max(LIMITS.maxCount);
const score = () => z.int().min(0).max(100);
// Free text: no control characters (tabs, line breaks, NUL, C1 controls, bidi overrides …) — they would be changed
// silently on a template round trip, hide text on screen, or break a CSV; the officer is told instead.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is this rule's purpose
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;
const text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((v) => !CONTROL.test(v), { error: 'control_characters' });

export const StaffingRowSchema = z.strictObject({
  field: z.enum(STAFFING_FIELD.codes),
  required: count(),
  actual: count(),
});

export const InitiativeSchema = z.strictObject({
  title: text(LIMITS.maxTitleLength),
  replicated: z.boolean(),
});

export const SurveySchema = z.strictObject({
  citizen_respondents: count(),
  citizen_satisfied: count(),
  business_respondents: count(),
  business_satisfied: count(),
});

export const ReportSchema = z.strictObject({
  digital_cadre_management: z.boolean(),
  survey: SurveySchema,
  staffing: z.array(StaffingRowSchema).min(1).max(STAFFING_FIELD.codes.length),
  staff_quota: count(),
  civil_servants: count(),
  dialogues_held: count(),
  citizen_reception_days: z.int().min(0).max(366),
  complaints_received: count(),
  complaints_resolved_on_time: count(),
  initiatives: z.array(InitiativeSchema).max(LIMITS.maxInitiatives),
});

export const EvaluationSchema = z.strictObject({
  rating: z.enum(RATING.codes),
  task_results: score(),
  service_quality: score(),
  coordination: score(),
  integrity: score(),
});

export const CadreSchema = z.strictObject({
  cadre_code: z.string().regex(/^[A-Za-z0-9._-]{1,32}$/, { error: 'cadre_code_format' }),
  // Hashed at ingest into person_key and never stored or logged (docs/contracts.md "What is stored").
  national_id: z
    .string()
    .regex(/^[0-9]{12}$/, { error: 'national_id_format' })
    .optional(),
  category: z.enum(CATEGORY.codes),
  position: text(LIMITS.maxPositionLength),
  is_leader: z.boolean(),
  org_unit: z.enum(ORG_UNIT.codes),
  education: z.enum(EDUCATION.codes),
  meets_competency_standard: z.boolean(),
  edoc_proficient: z.boolean(),
  online_service_proficient: z.boolean(),
  record_digitized: z.boolean(),
  trainings: z.array(z.enum(TRAINING.codes)).max(TRAINING.codes.length),
  evaluation: EvaluationSchema.optional(),
  on_probation: z.boolean().optional(),
  rotated_in: z.boolean().optional(),
  birth_year: z.int().min(1900).max(2100).optional(),
  gender: z.enum(GENDER.codes).optional(),
});

export const SubmissionSchema = z.strictObject({
  schema_version: z.literal(1, { error: 'schema_version' }),
  commune_code: z.string().regex(/^[0-9]{5}$/, { error: 'commune_code_format' }),
  year: z.int(),
  report: ReportSchema,
  cadres: z.array(CadreSchema).min(1).max(LIMITS.maxCadres),
});

export type Submission = z.infer<typeof SubmissionSchema>;
export type Cadre = z.infer<typeof CadreSchema>;

/** JSON Schema of the submission, for the OpenAPI document. */
export function submissionJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(SubmissionSchema, { target: 'openapi-3.0' }) as Record<string, unknown>;
}
