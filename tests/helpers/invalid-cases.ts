// One invalid fixture per hard rule of contracts.md: [name, mutation of the valid fixture, path, code].
// Shared by the validator tests and the ingest test that proves a rejection writes nothing.
// biome-ignore lint/suspicious/noExplicitAny: fixtures are mutated freely, whatever their type
export type Mutable = Record<string, any>;

export const HARD_RULE_CASES: [string, (s: Mutable) => void, string, string][] = [
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
