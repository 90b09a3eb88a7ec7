// API response shapes (interfaces.md): row schemas of every tabular route, from which the OpenAPI document
// is generated. Column names are the views' columns — a promise to users.
import { z } from 'zod';
import { COMPARATORS, KPI_CODES, SEVERITIES } from './plan.ts';

const pct = z.number().min(0).max(100).nullable();
const code5 = z.string().regex(/^[0-9]{5}$/);

export const ROW_SCHEMAS = {
  kpi_province_year: z.object({
    year: z.int(), phase: z.string(), kpi: z.enum(KPI_CODES), numerator: z.number().nullable(), denominator: z.number().nullable(),
    value_pct: pct, target_pct: pct, comparator: z.enum(COMPARATORS).nullable(), met: z.boolean().nullable(), communes_reporting: z.number(),
  }),
  kpi_commune_year: z.object({
    year: z.int(), phase: z.string(), commune_code: code5, kpi: z.enum(KPI_CODES), numerator: z.number().nullable(),
    denominator: z.number().nullable(), value_pct: pct, target_pct: pct, comparator: z.enum(COMPARATORS).nullable(), met: z.boolean().nullable(),
  }),
  gap_warnings: z.object({
    year: z.int(), phase: z.string(), scope: z.enum(['province', 'commune']), commune_code: code5.nullable(), kpi: z.enum(KPI_CODES),
    value_pct: pct, target_pct: pct, projected_pct: pct, severity: z.enum(SEVERITIES),
  }),
  cadre_gaps: z.object({
    year: z.int(), commune_code: code5, cadre_code: z.string(), position: z.string(), is_leader: z.boolean(), reason: z.string(), detail: z.string().nullable(),
  }),
  commune_ranking: z.object({
    year: z.int(), commune_code: code5, type: z.string(), score: z.number(), rank: z.number(), rank_in_type: z.number(),
    kpi_score: z.number(), evaluation_score: z.number(), data_quality_score: z.number(),
  }),
  data_quality: z.object({
    year: z.int(), commune_code: code5, dung: z.number(), du: z.number(), sach: z.number(), song: z.number(), score: z.number(),
  }),
  communes: z.object({
    commune_code: code5, name: z.string(), type: z.string(), former_province: z.string(), former_district: z.string(),
  }),
} as const;

export const ApiErrorSchema = z.object({
  error: z.object({ code: z.string(), message_vi: z.string(), message_en: z.string() }),
});

export const FieldErrorsSchema = z.object({
  errors: z.array(z.object({ path: z.string(), code: z.string(), message_vi: z.string(), message_en: z.string() })),
});

export const SubmissionAcceptedSchema = z.object({
  submission_id: z.string(), version: z.int(), status: z.enum(['accepted', 'duplicate']), received_at: z.string(), on_time: z.boolean(),
});

export function tabularSchema(row: z.ZodType) {
  return z.object({ refreshed_at: z.string().nullable(), rows: z.array(row) });
}
