// Validation of a submission against schema v1 and the hard rules of docs/contracts.md. Every error is reported at
// once, each with a JSON-pointer path, a code and vi/en text from the catalogue. Pure: no I/O, the caller
// passes the clock-derived current year and the reference list.
import type { z } from 'zod';
import { ERRORS, type ErrorCode, message, type Params } from './i18n/index.ts';
import { LIMITS } from './limits.ts';
import { type Submission, SubmissionSchema } from './submission.ts';

export interface FieldError {
  /** JSON pointer (`/cadres/12/national_id`), or `Sheet!Cell` for the Excel template. */
  path: string;
  code: string;
  message_vi: string;
  message_en: string;
}

export interface ValidationContext {
  /** Current calendar year in the plan's zone (from the clock port). */
  currentYear: number;
  planYears: readonly number[];
  communeCodes: ReadonlySet<string>;
}

export type ValidationResult =
  | { ok: true; value: Submission; errors: [] }
  | { ok: false; errors: FieldError[] };

function pointer(path: readonly PropertyKey[]): string {
  return path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

export function fieldError(
  path: readonly PropertyKey[] | string,
  code: ErrorCode,
  params: Params = {},
): FieldError {
  return { path: typeof path === 'string' ? path : pointer(path), ...message(code, params) };
}

/**
 * Trim strings and normalise them to NFC, recursively (docs/contracts.md: "strings trimmed, NFC-normalised").
 * Builds plain data with `Object.fromEntries`, so a `__proto__` key stays an ordinary (unknown) field and is
 * reported, never turned into a prototype.
 */
function normalise(input: unknown, depth = 0): unknown {
  if (depth > LIMITS.maxNestingDepth) throw new NestingTooDeep();
  if (typeof input === 'string') return input.trim().normalize('NFC');
  if (Array.isArray(input)) return input.map((v) => normalise(v, depth + 1));
  if (input !== null && typeof input === 'object') {
    return Object.fromEntries(Object.entries(input).map(([k, v]) => [k, normalise(v, depth + 1)]));
  }
  return input;
}

class NestingTooDeep extends Error {}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, p as string)) return undefined;
    cur = (cur as Record<string, unknown>)[p as string];
  }
  return cur;
}

const TYPE_VI: Record<string, string> = {
  string: 'chuỗi ký tự',
  number: 'số',
  int: 'số nguyên',
  boolean: 'Có/Không (true/false)',
  object: 'đối tượng',
  array: 'danh sách',
};

function issueToErrors(issue: z.core.$ZodIssue, root: unknown): FieldError[] {
  const path = issue.path;
  if (valueAt(root, path) === undefined && issue.code !== 'unrecognized_keys' && path.length > 0) {
    return [fieldError(path, 'required')];
  }
  // Custom messages carry a catalogue code (submission.ts).
  if (issue.message in ERRORS && issue.code !== 'unrecognized_keys') {
    const value = valueAt(root, path);
    if (issue.message === 'national_id_format' && typeof value === 'string' && /^[0-9]{11}$/.test(value)) {
      return [fieldError(path, 'national_id_leading_zero')];
    }
    return [fieldError(path, issue.message as ErrorCode, { value: String(value) })];
  }
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((k) => fieldError([...path, k], 'unknown_field', { field: k }));
    case 'invalid_type': {
      const value = valueAt(root, path);
      if (value === undefined) return [fieldError(path, 'required')];
      if (issue.expected === 'int' && typeof value === 'number') return [fieldError(path, 'not_integer')];
      if (issue.expected === 'boolean') return [fieldError(path, 'invalid_boolean')];
      return [fieldError(path, 'invalid_type', { expected: TYPE_VI[issue.expected] ?? issue.expected })];
    }
    case 'invalid_value': {
      const options = issue.values.map(String).join(', ');
      return [fieldError(path, 'invalid_code', { value: String(valueAt(root, path)), options })];
    }
    case 'too_small':
      if (issue.origin === 'array')
        return [fieldError(path, 'too_few_items', { min: Number(issue.minimum) })];
      if (issue.origin === 'string') return [fieldError(path, 'string_empty')];
      return [fieldError(path, 'too_small', { min: Number(issue.minimum) })];
    case 'too_big':
      if (issue.origin === 'array')
        return [fieldError(path, 'too_many_items', { max: Number(issue.maximum) })];
      if (issue.origin === 'string')
        return [fieldError(path, 'string_too_long', { max: Number(issue.maximum) })];
      return [fieldError(path, 'too_big', { max: Number(issue.maximum) })];
    case 'invalid_union':
    case 'invalid_format':
    case 'invalid_key':
    case 'invalid_element':
    case 'not_multiple_of':
    case 'custom':
      return [fieldError(path, 'invalid_type', { expected: issue.code })];
  }
  return [fieldError(path, 'invalid_type', { expected: 'valid value' })];
}

/** Field errors for zod's issues over `root`, in the catalogue's words (also used for the API's request bodies). */
export function fieldErrorsOf(issues: readonly z.core.$ZodIssue[], root: unknown): FieldError[] {
  return issues.flatMap((issue) => issueToErrors(issue, root));
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/** Cross-field hard rules, checked on whatever parts are well-typed so that all errors come out together. */
function crossFieldErrors(input: Obj, ctx: ValidationContext): FieldError[] {
  const errors: FieldError[] = [];
  const code = input.commune_code;
  if (typeof code === 'string' && /^[0-9]{5}$/.test(code) && !ctx.communeCodes.has(code)) {
    errors.push(fieldError(['commune_code'], 'unknown_commune', { value: code }));
  }
  const year = input.year;
  if (isInt(year)) {
    const from = Math.min(...ctx.planYears);
    const to = Math.max(...ctx.planYears);
    if (!ctx.planYears.includes(year))
      errors.push(fieldError(['year'], 'year_not_in_plan', { value: year, from, to }));
    else if (year > ctx.currentYear)
      errors.push(fieldError(['year'], 'year_in_future', { value: year, current: ctx.currentYear }));
  }
  const report = input.report;
  if (isObj(report)) {
    const survey = report.survey;
    if (isObj(survey)) {
      for (const who of ['citizen', 'business']) {
        const resp = survey[`${who}_respondents`];
        const sat = survey[`${who}_satisfied`];
        if (isInt(resp) && isInt(sat) && sat > resp) {
          errors.push(
            fieldError(['report', 'survey', `${who}_satisfied`], 'satisfied_exceeds_respondents', {
              value: sat,
              max: resp,
            }),
          );
        }
      }
    }
    const rec = report.complaints_received;
    const res = report.complaints_resolved_on_time;
    if (isInt(rec) && isInt(res) && res > rec) {
      errors.push(
        fieldError(['report', 'complaints_resolved_on_time'], 'resolved_exceeds_received', {
          value: res,
          max: rec,
        }),
      );
    }
    if (Array.isArray(report.staffing)) {
      const seen = new Map<string, number>();
      report.staffing.forEach((row, i) => {
        const f = isObj(row) ? row.field : undefined;
        if (typeof f !== 'string') return;
        const first = seen.get(f);
        if (first !== undefined)
          errors.push(
            fieldError(['report', 'staffing', i, 'field'], 'duplicate_staffing_field', {
              value: f,
              other: first,
            }),
          );
        else seen.set(f, i);
      });
    }
  }
  if (Array.isArray(input.cadres)) {
    const codes = new Map<string, number>();
    const ids = new Map<string, number>();
    input.cadres.forEach((cadre, i) => {
      if (!isObj(cadre)) return;
      const cc = cadre.cadre_code;
      if (typeof cc === 'string') {
        const first = codes.get(cc);
        if (first !== undefined)
          errors.push(
            fieldError(['cadres', i, 'cadre_code'], 'duplicate_cadre_code', { value: cc, other: first }),
          );
        else codes.set(cc, i);
      }
      const nid = cadre.national_id;
      if (typeof nid === 'string' && /^[0-9]{12}$/.test(nid)) {
        const first = ids.get(nid);
        // The message never repeats the ID itself: errors are logged and audited.
        if (first !== undefined)
          errors.push(fieldError(['cadres', i, 'national_id'], 'duplicate_national_id', { other: first }));
        else ids.set(nid, i);
      }
      if (Array.isArray(cadre.trainings)) {
        const t = new Set<unknown>();
        cadre.trainings.forEach((tr, j) => {
          if (t.has(tr))
            errors.push(
              fieldError(['cadres', i, 'trainings', j], 'duplicate_training', { value: String(tr) }),
            );
          t.add(tr);
        });
      }
      const by = cadre.birth_year;
      if (isInt(by) && isInt(year)) {
        const max = year - LIMITS.minCadreAge;
        if (by < LIMITS.minBirthYear || by > max) {
          errors.push(
            fieldError(['cadres', i, 'birth_year'], 'birth_year_range', { min: LIMITS.minBirthYear, max }),
          );
        }
      }
    });
  }
  return errors;
}

/** Sort errors in document order so a user reads them top to bottom. */
function byPath(a: FieldError, b: FieldError): number {
  return a.path.localeCompare(b.path, 'en', { numeric: true });
}

export function validateSubmission(raw: unknown, ctx: ValidationContext): ValidationResult {
  let input: unknown;
  try {
    input = normalise(raw);
  } catch (e) {
    if (e instanceof NestingTooDeep) return { ok: false, errors: [fieldError('', 'too_deep')] };
    throw e;
  }
  if (!isObj(input)) return { ok: false, errors: [fieldError('', 'not_an_object')] };
  const parsed = SubmissionSchema.safeParse(input);
  const errors: FieldError[] = parsed.success
    ? []
    : parsed.error.issues.flatMap((i) => issueToErrors(i, input));
  errors.push(...crossFieldErrors(input, ctx));
  // One error per path and code (zod and the cross-field pass may both see a field).
  const unique = [...new Map(errors.map((e) => [`${e.path}|${e.code}`, e])).values()].sort(byPath);
  if (unique.length > 0 || !parsed.success) return { ok: false, errors: unique };
  return { ok: true, value: parsed.data, errors: [] };
}
