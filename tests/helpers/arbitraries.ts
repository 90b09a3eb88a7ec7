// fast-check arbitraries for valid submissions (schema v1), shared by property tests.
import {
  CATEGORY,
  EDUCATION,
  GENDER,
  ORG_UNIT,
  RATING,
  STAFFING_FIELD,
  type Submission,
  TRAINING,
} from '@scorecard/data-contracts';
import fc from 'fast-check';

const count = fc.integer({ min: 0, max: 5000 });
const score = fc.integer({ min: 0, max: 100 });
// Vietnamese text with diacritics, already trimmed and NFC (normalisation is tested separately).
const viText = (max: number) =>
  fc
    .array(
      fc.constantFrom(
        ...'aăâbcdđeêghiklmnoôơpqrstuưvxyÁÀẢÃẠẮẰẲẴẶẤẦẨẪẬĐÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ 0123456789'.split(
          '',
        ),
      ),
      { minLength: 1, maxLength: max },
    )
    .map((cs) => cs.join('').trim().normalize('NFC'))
    .filter((s) => s.length > 0);

const surveyArb = fc.record({ cr: count, br: count }).chain(({ cr, br }) =>
  fc.record({
    citizen_respondents: fc.constant(cr),
    citizen_satisfied: fc.integer({ min: 0, max: cr }),
    business_respondents: fc.constant(br),
    business_satisfied: fc.integer({ min: 0, max: br }),
  }),
);

const cadreArb = (i: number) =>
  fc.record(
    {
      cadre_code: fc.constant(`C-${i}`),
      national_id: fc.constant(String(100000000000 + i * 7919)),
      category: fc.constantFrom(...CATEGORY.codes),
      position: viText(40),
      is_leader: fc.boolean(),
      org_unit: fc.constantFrom(...ORG_UNIT.codes),
      education: fc.constantFrom(...EDUCATION.codes),
      meets_competency_standard: fc.boolean(),
      edoc_proficient: fc.boolean(),
      online_service_proficient: fc.boolean(),
      record_digitized: fc.boolean(),
      trainings: fc.subarray([...TRAINING.codes]),
      evaluation: fc.record({
        rating: fc.constantFrom(...RATING.codes),
        task_results: score,
        service_quality: score,
        coordination: score,
        integrity: score,
      }),
      on_probation: fc.boolean(),
      rotated_in: fc.boolean(),
      birth_year: fc.integer({ min: 1960, max: 2004 }),
      gender: fc.constantFrom(...GENDER.codes),
    },
    {
      requiredKeys: [
        'cadre_code',
        'category',
        'position',
        'is_leader',
        'org_unit',
        'education',
        'meets_competency_standard',
        'edoc_proficient',
        'online_service_proficient',
        'record_digitized',
        'trainings',
        'national_id',
      ],
    },
  );

export const submissionArb = (
  communeCodes: readonly string[],
  years: readonly number[],
): fc.Arbitrary<Submission> =>
  fc
    .record({
      commune_code: fc.constantFrom(...communeCodes),
      year: fc.constantFrom(...years),
      n: fc.integer({ min: 1, max: 12 }),
      received: count,
      staffing: fc.uniqueArray(
        fc.record({
          field: fc.constantFrom(...STAFFING_FIELD.codes),
          required: fc.integer({ min: 0, max: 9 }),
          actual: fc.integer({ min: 0, max: 9 }),
        }),
        { minLength: 1, maxLength: 12, selector: (r) => r.field },
      ),
    })
    .chain(({ commune_code, year, n, received, staffing }) =>
      fc.record({
        schema_version: fc.constant(1 as const),
        commune_code: fc.constant(commune_code),
        year: fc.constant(year),
        report: fc.record({
          digital_cadre_management: fc.boolean(),
          survey: surveyArb,
          staffing: fc.constant(staffing),
          staff_quota: count,
          civil_servants: count,
          dialogues_held: count,
          citizen_reception_days: fc.integer({ min: 0, max: 366 }),
          complaints_received: fc.constant(received),
          complaints_resolved_on_time: fc.integer({ min: 0, max: received }),
          initiatives: fc.array(fc.record({ title: viText(60), replicated: fc.boolean() }), { maxLength: 3 }),
        }),
        cadres: fc.tuple(...Array.from({ length: n }, (_, i) => cadreArb(i + 1))),
      }),
    ) as fc.Arbitrary<Submission>;
