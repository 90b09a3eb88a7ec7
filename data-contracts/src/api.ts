// API shapes (docs/interfaces.md): the body of every answer the HTTP API gives, and of every request it reads. The
// OpenAPI document (functions/src/api/openapi.ts) is generated from these, and the API tests check every answer
// they receive against the document — so a route that answers something else fails a test, not a client.
// Row schemas are strict: the columns are the views' columns, a promise to users; a view that gains a column
// must gain it here too (at the end, docs/interfaces.md "New columns are added at the end").
import { z } from 'zod';
import { COMPARATORS, KPI_CODES, MEETINGS, SEVERITIES } from './plan.ts';
import { ROLES } from './roles.ts';

const pct = z.number().min(0).max(100).nullable();
const code5 = z.string().regex(/^[0-9]{5}$/);
const instant = z.string().describe('ISO-8601 instant (UTC)');
const count = z.int().min(0);

/** A KPI's value against its target: the columns both KPI views share, in the views' order. */
const kpiValue = {
  kpi: z.enum(KPI_CODES),
  numerator: z.number().nullable(),
  denominator: z.number().nullable(),
  value_pct: pct,
  target_pct: pct,
  comparator: z.enum(COMPARATORS).nullable(),
  met: z.boolean().nullable(),
};

/** Columns every KPI view carries after its own (docs/cycle.md): whether the year's deadline passed, and so on. */
const kpiTail = {
  year_closed: z.boolean(),
  gap_units: count
    .nullable()
    .describe('Units short of the target (people, communes, …); NULL when met or not judged'),
  plan_version: z.string(),
};

export const ROW_SCHEMAS = {
  kpi_province_year: z.strictObject({
    year: z.int(),
    phase: z.string(),
    ...kpiValue,
    communes_reporting: count,
    communes_expected: count,
    coverage_pct: pct,
    ...kpiTail,
  }),
  kpi_commune_year: z.strictObject({
    year: z.int(),
    phase: z.string(),
    commune_code: code5,
    ...kpiValue,
    ...kpiTail,
  }),
  gap_warnings: z.strictObject({
    year: z.int(),
    phase: z.string(),
    scope: z.enum(['province', 'commune']),
    commune_code: code5.nullable(),
    kpi: z.enum(KPI_CODES),
    value_pct: pct,
    target_pct: pct,
    projected_pct: pct,
    severity: z.enum(SEVERITIES),
    year_closed: z.boolean(),
    gap_units: count.nullable(),
  }),
  cadre_gaps: z.strictObject({
    year: z.int(),
    commune_code: code5,
    cadre_code: z.string(),
    position: z.string(),
    is_leader: z.boolean(),
    reason: z.string(),
    detail: z.string().nullable(),
  }),
  commune_ranking: z.strictObject({
    year: z.int(),
    commune_code: code5,
    type: z.string(),
    score: z.number(),
    rank: z.int().min(1),
    rank_in_type: z.int().min(1),
    kpi_score: z.number(),
    evaluation_score: z.number(),
    data_quality_score: z.number(),
    year_closed: z.boolean(),
  }),
  data_quality: z.strictObject({
    year: z.int(),
    commune_code: code5,
    dung: z.number(),
    du: z.number(),
    sach: z.number(),
    song: z.number(),
    score: z.number(),
    year_closed: z.boolean(),
  }),
  data_quality_findings: z.strictObject({
    year: z.int(),
    commune_code: code5,
    rule: z.string(),
    passed: z.boolean(),
    detail: z.string().nullable(),
  }),
  communes: z.strictObject({
    commune_code: code5,
    name: z.string(),
    type: z.string(),
    former_province: z.string(),
    former_district: z.string(),
  }),
} as const;

export function tabularSchema<T extends z.ZodType>(row: T) {
  return z.strictObject({ refreshed_at: instant.nullable(), rows: z.array(row) });
}

// --- errors ---
export const ApiErrorSchema = z.strictObject({
  error: z.strictObject({ code: z.string(), message_vi: z.string(), message_en: z.string() }),
});

const FieldErrorSchema = z.strictObject({
  path: z.string().describe('A JSON pointer, or Sheet!Cell for a workbook'),
  code: z.string(),
  message_vi: z.string(),
  message_en: z.string(),
});
export const FieldErrorsSchema = z.strictObject({ errors: z.array(FieldErrorSchema) });

// --- submissions ---
/** A soft finding: accepted, but worth a look (docs/contracts.md soft rules); a cell for a workbook. */
const SoftFindingSchema = FieldErrorSchema;

export const SubmissionAcceptedSchema = z.strictObject({
  submission_id: z.string(),
  version: z.int().min(1),
  status: z.enum(['accepted', 'duplicate']),
  received_at: instant,
  on_time: z.boolean(),
  soft_findings: z.array(SoftFindingSchema),
});

export const DryRunSchema = z.strictObject({
  valid: z.boolean(),
  errors: z.array(FieldErrorSchema),
  soft_findings: z.array(SoftFindingSchema),
});

export const SubmissionHistorySchema = tabularSchema(
  z.strictObject({
    submission_id: z.string(),
    commune_code: code5,
    year: z.int(),
    version: z.int().min(1),
    received_at: instant,
    content_sha256: z.string(),
    on_time: z.boolean(),
    committed: z.boolean(),
    voided: z.boolean(),
    void_reason: z.string().nullable(),
    submitted_by: z.string().optional().describe('Not shown to analysts'),
  }),
);

export const VoidRequestSchema = z.object({ reason: z.string().min(1).max(500) });
export const VoidedSchema = z.strictObject({
  submission_id: z.string(),
  voided: z.literal(true),
  year: z.int(),
  commune_code: code5,
});

// --- who, when ---
const ROLE = z.enum(ROLES);

export const HealthSchema = z.strictObject({
  status: z.enum(['ok', 'degraded']),
  mode: z.enum(['local', 'cloud']),
  demo: z.boolean(),
  time: instant,
  damaged: z.array(z.string()).optional().describe('Degraded: the data files that failed verification'),
});

export const AuthConfigSchema = z.strictObject({
  mode: z.enum(['local', 'cognito']),
  roles: z.array(ROLE),
  demo_communes: z.array(z.strictObject({ commune_code: code5, name: z.string() })),
  sign_in_code_required: z.boolean().optional(),
});

export const DemoLoginRequestSchema = z.object({
  role: ROLE,
  commune_code: code5.optional(),
  code: z.string().optional().describe('The one-time sign-in code, once the folder holds real data'),
});
export const DemoLoginSchema = z.strictObject({
  token: z.string(),
  role: ROLE,
  commune_code: code5.optional(),
});

export const MeSchema = z.strictObject({ sub: z.string(), role: ROLE, commune_code: code5.optional() });

export const YearsSchema = z.strictObject({
  current_year: z.int(),
  years: z.array(z.int()),
  deadline: instant,
  deadline_passed: z.boolean(),
});

// --- meeting packs ---
export const ExportRequestSchema = z.object({
  year: z.int(),
  meeting: z.enum(MEETINGS),
  as_of: instant.optional(),
});
export const ExportQueuedSchema = z.strictObject({ export_id: z.string() });

export const ExportStatusSchema = z.strictObject({
  export_id: z.string(),
  meeting: z.enum(MEETINGS),
  year: z.int(),
  years: z.array(z.int()),
  as_of: instant,
  status: z.enum(['queued', 'running', 'done', 'failed']),
  progress: z.strictObject({ step: z.string().nullable(), done: count, total: count }),
  files: z.array(
    z.strictObject({ name: z.string(), bytes: count, sha256: z.string(), content_type: z.string() }),
  ),
  requested_by: z.string(),
  created_at: instant,
  updated_at: instant,
  data_sha256: z.string().optional(),
  error: z.strictObject({ code: z.string(), message_vi: z.string(), message_en: z.string() }).optional(),
});
export const ExportListSchema = z.strictObject({ rows: z.array(ExportStatusSchema) });

// --- analysts' SQL, audit ---
export const SqlRequestSchema = z.object({ sql: z.string().min(1) });
export const SqlResultSchema = z.strictObject({
  columns: z.array(z.strictObject({ name: z.string(), type: z.string() })),
  rows: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))),
  truncated: z.boolean(),
});

export const AuditSchema = z.strictObject({
  rows: z.array(
    z.strictObject({
      event_id: z.string(),
      at: instant,
      actor: z.string(),
      role: z.string(),
      action: z.string(),
      target: z.string().optional(),
      outcome: z.string(),
      detail: z.record(z.string(), z.unknown()).optional(),
    }),
  ),
});

// --- the answers' types, for clients written in TypeScript (the dashboard) ---
type RowOf<K extends keyof typeof ROW_SCHEMAS> = z.infer<(typeof ROW_SCHEMAS)[K]>;
export type KpiProvinceRow = RowOf<'kpi_province_year'>;
export type KpiCommuneRow = RowOf<'kpi_commune_year'>;
export type WarningRow = RowOf<'gap_warnings'>;
export type CadreGapRow = RowOf<'cadre_gaps'>;
export type RankingRow = RowOf<'commune_ranking'>;
export type DataQualityRow = RowOf<'data_quality'>;
export type FindingRow = RowOf<'data_quality_findings'>;
export type CommuneRow = RowOf<'communes'>;
export type SubmissionRow = z.infer<typeof SubmissionHistorySchema>['rows'][number];
export type Health = z.infer<typeof HealthSchema>;
export type AuthConfig = z.infer<typeof AuthConfigSchema>;
export type Me = z.infer<typeof MeSchema>;
export type YearsInfo = z.infer<typeof YearsSchema>;
export type ApiFieldError = z.infer<typeof FieldErrorSchema>;
export type DryRunResult = z.infer<typeof DryRunSchema>;
export type SubmitResult = z.infer<typeof SubmissionAcceptedSchema>;
