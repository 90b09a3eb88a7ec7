import {
  COMMUNES,
  ERRORS,
  PLAN,
  type Submission,
  submissionJsonSchema,
  validateSubmission,
  type ValidationContext,
} from '@scorecard/data-contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { submissionArb } from '../helpers/arbitraries.ts';
import { validSubmission } from '../helpers/fixtures.ts';

const ctx: ValidationContext = {
  currentYear: 2027,
  planYears: PLAN.years,
  communeCodes: new Set(COMMUNES.map((c) => c.commune_code)),
};

type Mutable = Record<string, any>;
function mutate(fn: (s: Mutable) => void): unknown {
  const s = structuredClone(validSubmission()) as Mutable;
  fn(s);
  return s;
}
function errorsOf(raw: unknown) {
  const r = validateSubmission(raw, ctx);
  expect(r.ok).toBe(false);
  return r.ok ? [] : r.errors;
}

describe('submission validation — hard rules (contracts.md)', () => {
  it('accepts the valid fixture', () => {
    const r = validateSubmission(validSubmission(), ctx);
    expect(r.errors).toEqual([]);
    expect(r.ok).toBe(true);
  });

  // One invalid fixture per hard rule: [name, mutation, expected path, expected code].
  const cases: [string, (s: Mutable) => void, string, string][] = [
    ['unknown top-level field', (s) => (s.extra = 1), '/extra', 'unknown_field'],
    ['unknown nested field (typo)', (s) => (s.cadres[0].is_leadr = true), '/cadres/0/is_leadr', 'unknown_field'],
    ['__proto__ key is an unknown field, not a prototype', (s) => Object.defineProperty(s.report, '__proto__', { value: { x: 1 }, enumerable: true }), '/report/__proto__', 'unknown_field'],
    ['missing required field', (s) => delete s.report.staff_quota, '/report/staff_quota', 'required'],
    ['wrong type', (s) => (s.report.dialogues_held = '2'), '/report/dialogues_held', 'invalid_type'],
    ['non-integer count', (s) => (s.report.staff_quota = 31.5), '/report/staff_quota', 'not_integer'],
    ['negative count', (s) => (s.report.complaints_received = -1), '/report/complaints_received', 'too_small'],
    ['score out of range', (s) => (s.cadres[2].evaluation.integrity = 101), '/cadres/2/evaluation/integrity', 'too_big'],
    ['code list', (s) => (s.cadres[1].category = 'cong-chuc'), '/cadres/1/category', 'invalid_code'],
    ['boolean as text', (s) => (s.cadres[0].edoc_proficient = 'Có'), '/cadres/0/edoc_proficient', 'invalid_boolean'],
    ['citizen satisfied > respondents', (s) => (s.report.survey.citizen_satisfied = 401), '/report/survey/citizen_satisfied', 'satisfied_exceeds_respondents'],
    ['business satisfied > respondents', (s) => (s.report.survey.business_satisfied = 41), '/report/survey/business_satisfied', 'satisfied_exceeds_respondents'],
    ['resolved on time > received', (s) => (s.report.complaints_resolved_on_time = 7), '/report/complaints_resolved_on_time', 'resolved_exceeds_received'],
    ['duplicate cadre_code', (s) => (s.cadres[3].cadre_code = s.cadres[0].cadre_code), '/cadres/3/cadre_code', 'duplicate_cadre_code'],
    ['duplicate national_id', (s) => (s.cadres[2].national_id = s.cadres[1].national_id), '/cadres/2/national_id', 'duplicate_national_id'],
    ['national_id not 12 digits', (s) => (s.cadres[0].national_id = '08720100123A'), '/cadres/0/national_id', 'national_id_format'],
    ['national_id with 11 digits (leading zero lost)', (s) => (s.cadres[0].national_id = '87201001234'), '/cadres/0/national_id', 'national_id_leading_zero'],
    ['bad cadre_code', (s) => (s.cadres[0].cadre_code = 'DT 0001'), '/cadres/0/cadre_code', 'cadre_code_format'],
    ['commune not in the reference list', (s) => (s.commune_code = '99999'), '/commune_code', 'unknown_commune'],
    ['commune code format', (s) => (s.commune_code = '2824'), '/commune_code', 'commune_code_format'],
    ['year outside the plan', (s) => (s.year = 2025), '/year', 'year_not_in_plan'],
    ['year in the future', (s) => (s.year = 2028), '/year', 'year_in_future'],
    ['schema version', (s) => (s.schema_version = 2), '/schema_version', 'schema_version'],
    ['no cadres', (s) => (s.cadres = []), '/cadres', 'too_few_items'],
    ['no staffing rows', (s) => (s.report.staffing = []), '/report/staffing', 'too_few_items'],
    ['duplicate staffing field', (s) => (s.report.staffing[1].field = 'tu_phap_ho_tich'), '/report/staffing/1/field', 'duplicate_staffing_field'],
    ['duplicate training', (s) => (s.cadres[0].trainings = ['chuc_danh', 'chuc_danh']), '/cadres/0/trainings/1', 'duplicate_training'],
    ['incomplete evaluation', (s) => delete s.cadres[0].evaluation.coordination, '/cadres/0/evaluation/coordination', 'required'],
    ['empty position', (s) => (s.cadres[0].position = '   '), '/cadres/0/position', 'string_empty'],
  ];
  for (const [name, fn, path, code] of cases) {
    it(`rejects: ${name}`, () => {
      const errors = errorsOf(mutate(fn));
      expect(errors).toContainEqual(expect.objectContaining({ path, code }));
      for (const e of errors) {
        expect(e.message_vi.length).toBeGreaterThan(0);
        expect(e.message_en.length).toBeGreaterThan(0);
        expect(e.message_vi).not.toMatch(/\{\w+\}/);
      }
    });
  }

  it('reports every error at once, not only the first', () => {
    const errors = errorsOf(
      mutate((s) => {
        s.extra = 1;
        s.report.survey.citizen_satisfied = 999;
        s.cadres[0].national_id = '123';
        s.cadres[4].category = 'x';
        s.year = 2031;
      }),
    );
    expect(errors.map((e) => `${e.path} ${e.code}`)).toEqual([
      '/cadres/0/national_id national_id_format',
      '/cadres/4/category invalid_code',
      '/extra unknown_field',
      '/report/survey/citizen_satisfied satisfied_exceeds_respondents',
      '/year year_not_in_plan',
    ]);
  });

  it('rejects more than 1000 cadres', () => {
    const s = validSubmission();
    s.cadres = Array.from({ length: 1001 }, (_, i) => ({ ...s.cadres[2]!, cadre_code: `X${i}`, national_id: String(100000000000 + i) }));
    expect(errorsOf(s)).toContainEqual(expect.objectContaining({ path: '/cadres', code: 'too_many_items' }));
  });

  it('gives the CCCD message in plain Vietnamese', () => {
    const [e] = errorsOf(mutate((s) => (s.cadres[0].national_id = '12')));
    expect(e?.message_vi).toBe('Số CCCD phải gồm đúng 12 chữ số');
  });

  it('never repeats a national ID in an error message', () => {
    const errors = errorsOf(mutate((s) => (s.cadres[2].national_id = s.cadres[1].national_id)));
    const id = validSubmission().cadres[1]!.national_id!;
    for (const e of errors) expect(`${e.message_vi} ${e.message_en}`).not.toContain(id);
  });

  it('trims and NFC-normalises strings before validating', () => {
    const s = validSubmission();
    s.commune_code = ' 28249 ';
    s.cadres[0]!.position = '  Chu\u0309 ti\u0323ch UBND ';
    const r = validateSubmission(s, ctx);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.commune_code).toBe('28249');
      expect(r.value.cadres[0]?.position).toBe('Chủ tịch UBND');
    }
  });

  it('accepts zero survey respondents (no value, not an error)', () => {
    const s = validSubmission();
    s.report.survey = { citizen_respondents: 0, citizen_satisfied: 0, business_respondents: 0, business_satisfied: 0 };
    expect(validateSubmission(s, ctx).ok).toBe(true);
  });

  it('every catalogue entry has Vietnamese with diacritics and English', () => {
    for (const [code, m] of Object.entries(ERRORS)) {
      expect(m.vi.normalize('NFD'), code).toMatch(/\p{M}/u);
      expect(m.en, code).toMatch(/[a-z]/);
    }
  });

  it('exposes a JSON Schema for the OpenAPI document', () => {
    const schema = submissionJsonSchema() as { properties: Record<string, unknown>; additionalProperties?: boolean };
    expect(Object.keys(schema.properties)).toEqual(['schema_version', 'commune_code', 'year', 'report', 'cadres']);
    expect(schema.additionalProperties).toBe(false);
  });
});

describe('submission validation — properties', () => {
  const arb = submissionArb(['28249', '28261', '28696'], [2026, 2027]);

  it('generated valid submissions validate and round-trip unchanged', () => {
    fc.assert(
      fc.property(arb, (s) => {
        const r = validateSubmission(JSON.parse(JSON.stringify(s)), ctx);
        if (!r.ok) throw new Error(JSON.stringify(r.errors));
        expect(r.value).toEqual(s);
      }),
      { numRuns: 150 },
    );
  });

  // Single-field corruptions, each with the path it must be reported at.
  const corruptions: [string, (s: Mutable, i: number) => string][] = [
    ['string in a count', (s) => ((s.report.staff_quota = 'ba mươi'), '/report/staff_quota')],
    ['unknown code', (s, i) => ((s.cadres[i].org_unit = 'phong_x'), `/cadres/${i}/org_unit`)],
    ['null boolean', (s, i) => ((s.cadres[i].record_digitized = null), `/cadres/${i}/record_digitized`)],
    ['short CCCD', (s, i) => ((s.cadres[i].national_id = '0123'), `/cadres/${i}/national_id`)],
    ['extra key', (s, i) => ((s.cadres[i].ho_ten = 'Nguyễn Văn A'), `/cadres/${i}/ho_ten`)],
    ['float score', (s, i) => ((s.cadres[i].evaluation = { rating: 'tot', task_results: 1.5, service_quality: 1, coordination: 1, integrity: 1 }), `/cadres/${i}/evaluation/task_results`)],
    ['satisfied above respondents', (s) => ((s.report.survey.business_satisfied = s.report.survey.business_respondents + 1), '/report/survey/business_satisfied')],
  ];

  it('single-field corruptions are rejected at the right path', () => {
    fc.assert(
      fc.property(arb, fc.nat(), fc.constantFrom(...corruptions), (s, k, [, corrupt]) => {
        const copy = structuredClone(s) as Mutable;
        const path = corrupt(copy, k % (s as Submission).cadres.length);
        const r = validateSubmission(copy, ctx);
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.errors.map((e) => e.path)).toContain(path);
      }),
      { numRuns: 200 },
    );
  });
});
