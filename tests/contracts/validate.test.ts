import { readFileSync } from 'node:fs';
import {
  COMMUNES,
  ERRORS,
  PLAN,
  type Submission,
  submissionJsonSchema,
  type ValidationContext,
  validateSubmission,
} from '@scorecard/data-contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { submissionArb } from '../helpers/arbitraries.ts';
import { validSubmission } from '../helpers/fixtures.ts';
import { HARD_RULE_CASES, type Mutable } from '../helpers/invalid-cases.ts';

const ctx: ValidationContext = {
  currentYear: 2027,
  planYears: PLAN.years,
  communeCodes: new Set(COMMUNES.map((c) => c.commune_code)),
};

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

describe('submission validation — hard rules (docs/contracts.md)', () => {
  it('accepts the valid fixture', () => {
    const r = validateSubmission(validSubmission(), ctx);
    expect(r.errors).toEqual([]);
    expect(r.ok).toBe(true);
  });

  const cases = HARD_RULE_CASES;
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
    s.cadres = Array.from({ length: 1001 }, (_, i) => ({
      ...s.cadres[2]!,
      cadre_code: `X${i}`,
      national_id: String(100000000000 + i),
    }));
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
    s.report.survey = {
      citizen_respondents: 0,
      citizen_satisfied: 0,
      business_respondents: 0,
      business_satisfied: 0,
    };
    expect(validateSubmission(s, ctx).ok).toBe(true);
  });

  it('every catalogue entry has Vietnamese with diacritics and English', () => {
    for (const [code, m] of Object.entries(ERRORS)) {
      expect(m.vi.normalize('NFD'), code).toMatch(/\p{M}/u);
      expect(m.en, code).toMatch(/[a-z]/);
    }
  });

  it('exposes a JSON Schema for the OpenAPI document', () => {
    const schema = submissionJsonSchema() as {
      properties: Record<string, unknown>;
      additionalProperties?: boolean;
    };
    expect(Object.keys(schema.properties)).toEqual([
      'schema_version',
      'commune_code',
      'year',
      'report',
      'cadres',
    ]);
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
    [
      'float score',
      (s, i) => (
        (s.cadres[i].evaluation = {
          rating: 'tot',
          task_results: 1.5,
          service_quality: 1,
          coordination: 1,
          integrity: 1,
        }),
        `/cadres/${i}/evaluation/task_results`
      ),
    ],
    [
      'satisfied above respondents',
      (s) => (
        (s.report.survey.business_satisfied = s.report.survey.business_respondents + 1),
        '/report/survey/business_satisfied'
      ),
    ],
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

describe('the shipped plan', () => {
  it('is the plan file as the schema parses it (the browser reads it unparsed, Node checks it at load)', async () => {
    const { PLAN: shipped, parsePlan: parse, PLAN_CHECKED } = await import('@scorecard/data-contracts');
    expect(parse(shipped)).toEqual(shipped);
    expect(PLAN_CHECKED).toEqual(shipped);
    // A broken plan is refused: weights that do not sum to 100.
    const broken = structuredClone(shipped);
    broken.policy.ranking.weights.kpi += 1;
    expect(() => parse(broken)).toThrow('ranking weights must sum to 100');
  });

  it('plan.ts, which the dashboard loads first, does not import zod', () => {
    const source = readFileSync(new URL('../../data-contracts/src/plan.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/^import \{[^}]*\} from 'zod'/m);
    expect(source).not.toMatch(/^import [^t][^\n]*plan-schema/m);
  });
});
