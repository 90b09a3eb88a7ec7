// The layout of the .xlsx submission template — one definition shared by the builder (template.ts) and the
// parser (parse.ts), so a column can never be written in one place and read from another.
//
// Sheets: HuongDan (instructions + example), BaoCao (one report field per row: label | value | code),
// BienChe / SangKien / CanBo (one item per row: title row 1, Vietnamese headers row 2, field codes row 3,
// data from row 4), DanhMuc (hidden: the drop-down lists). The field codes, not the positions, are what the
// parser reads, so a user who reorders columns still gets the right fields.
import {
  CATEGORY,
  COMMUNES,
  type CodeLabel,
  EDUCATION,
  GENDER,
  LIMITS,
  ORG_UNIT,
  RATING,
  STAFFING_FIELD,
  TRAINING,
} from '@scorecard/data-contracts';
import { TEMPLATE_BOOLEAN, type TemplateFieldCode } from '@scorecard/data-contracts/i18n/excel.ts';

export const SHEETS = {
  instructions: 'HuongDan',
  report: 'BaoCao',
  staffing: 'BienChe',
  initiatives: 'SangKien',
  cadres: 'CanBo',
  lists: 'DanhMuc',
} as const;

export const TITLE_ROW = 1;
export const HEADER_ROW = 2;
export const CODE_ROW = 3;
export const FIRST_DATA_ROW = 4;
/** BaoCao: fields start on row 3 (row 1 title, row 2 headers); columns label | value | code. */
export const REPORT_FIRST_ROW = 3;
export const REPORT_LABEL_COL = 1;
export const REPORT_VALUE_COL = 2;
export const REPORT_CODE_COL = 3;

export type ListName =
  | 'boolean'
  | 'category'
  | 'org_unit'
  | 'education'
  | 'rating'
  | 'gender'
  | 'staffing_field'
  | 'commune';

type FieldKind =
  | { type: 'int' }
  | { type: 'bool' }
  | { type: 'text' }
  | { type: 'national_id' }
  | { type: 'commune' }
  | { type: 'code'; list: Exclude<ListName, 'boolean' | 'commune'> }
  /** One Có/Không column per training code; the cadre's `trainings` array is rebuilt in code-list order. */
  | { type: 'training'; training: string };

export interface FieldDef {
  code: TemplateFieldCode;
  /** Path inside the row object (for BaoCao: inside the submission). */
  path: readonly string[];
  kind: FieldKind;
  width?: number;
}

const int = { type: 'int' } as const;
const bool = { type: 'bool' } as const;
const text = { type: 'text' } as const;
const field = (
  code: TemplateFieldCode,
  kind: FieldKind,
  width?: number,
  path?: readonly string[],
): FieldDef => ({
  code,
  path: path ?? code.split('.'),
  kind,
  ...(width !== undefined ? { width } : {}),
});

export const REPORT_FIELDS: readonly FieldDef[] = [
  field('schema_version', int),
  field('commune_code', { type: 'commune' }),
  field('year', int),
  field('report.digital_cadre_management', bool),
  field('report.survey.citizen_respondents', int),
  field('report.survey.citizen_satisfied', int),
  field('report.survey.business_respondents', int),
  field('report.survey.business_satisfied', int),
  field('report.staff_quota', int),
  field('report.civil_servants', int),
  field('report.dialogues_held', int),
  field('report.citizen_reception_days', int),
  field('report.complaints_received', int),
  field('report.complaints_resolved_on_time', int),
];

export interface ArraySheet {
  sheet: (typeof SHEETS)[keyof typeof SHEETS];
  /** Where the rows live in the submission. */
  path: readonly string[];
  columns: readonly FieldDef[];
  maxRows: number;
}

const STAFFING_SHEET: ArraySheet = {
  sheet: SHEETS.staffing,
  path: ['report', 'staffing'],
  columns: [
    field('field', { type: 'code', list: 'staffing_field' }, 40),
    field('required', int, 16),
    field('actual', int, 16),
  ],
  maxRows: STAFFING_FIELD.codes.length,
};

const INITIATIVES_SHEET: ArraySheet = {
  sheet: SHEETS.initiatives,
  path: ['report', 'initiatives'],
  columns: [field('title', text, 60), field('replicated', bool, 16)],
  maxRows: LIMITS.maxInitiatives,
};

export const CADRES_SHEET: ArraySheet = {
  sheet: SHEETS.cadres,
  path: ['cadres'],
  columns: [
    field('cadre_code', text, 14),
    field('national_id', { type: 'national_id' }, 18),
    field('category', { type: 'code', list: 'category' }, 14),
    field('position', text, 28),
    field('is_leader', bool, 12),
    field('org_unit', { type: 'code', list: 'org_unit' }, 30),
    field('education', { type: 'code', list: 'education' }, 14),
    field('meets_competency_standard', bool, 14),
    field('edoc_proficient', bool, 14),
    field('online_service_proficient', bool, 14),
    field('record_digitized', bool, 12),
    ...TRAINING.codes.map((t) =>
      field(`trainings.${t}` as TemplateFieldCode, { type: 'training', training: t }, 14),
    ),
    field('evaluation.rating', { type: 'code', list: 'rating' }, 28),
    field('evaluation.task_results', int, 12),
    field('evaluation.service_quality', int, 12),
    field('evaluation.coordination', int, 12),
    field('evaluation.integrity', int, 12),
    field('on_probation', bool, 10),
    field('rotated_in', bool, 12),
    field('birth_year', int, 10),
    field('gender', { type: 'code', list: 'gender' }, 10),
  ],
  maxRows: LIMITS.maxCadres,
};

export const ARRAY_SHEETS: readonly ArraySheet[] = [STAFFING_SHEET, INITIATIVES_SHEET, CADRES_SHEET];

/** CanBo column A is a row number for people, ignored by the parser; the fields start in column B. */
export const CADRE_ROW_NO_COL = 1;
export function firstFieldCol(s: ArraySheet): number {
  return s === CADRES_SHEET ? 2 : 1;
}

export const CODE_LISTS: Record<
  Exclude<ListName, 'boolean' | 'commune'>,
  { codes: readonly string[]; labels: Record<string, CodeLabel> }
> = {
  category: CATEGORY,
  org_unit: ORG_UNIT,
  education: EDUCATION,
  rating: RATING,
  gender: GENDER,
  staffing_field: STAFFING_FIELD,
};

export const YES = TEMPLATE_BOOLEAN.yes.vi;
export const NO = TEMPLATE_BOOLEAN.no.vi;

/** "28249 – Phường Đạo Thạnh": how a commune shows in the drop-down; the parser keeps the five digits. */
export function communeLabel(code: string): string {
  const c = COMMUNES.find((x) => x.commune_code === code);
  return c ? `${c.commune_code} – ${c.name}` : code;
}

/** The hidden DanhMuc sheet: one column per drop-down list, header in row 1. */
export function listColumns(): { name: ListName; values: string[] }[] {
  return [
    { name: 'boolean', values: [YES, NO] },
    ...(Object.keys(CODE_LISTS) as (keyof typeof CODE_LISTS)[]).map((name) => ({
      name,
      values: CODE_LISTS[name].codes.map((c) => (CODE_LISTS[name].labels[c] as CodeLabel).vi),
    })),
    { name: 'commune', values: COMMUNES.map((c) => communeLabel(c.commune_code)) },
  ];
}

/** Column letters of a 1-based column number (1 → A, 27 → AA). */
export function colLetter(col: number): string {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

export function cellRef(sheet: string, col: number, row: number): string {
  return `${sheet}!${colLetter(col)}${row}`;
}

/** The template's sheets in the order a user sees their tabs. */
const SHEET_ORDER: readonly string[] = [
  SHEETS.instructions,
  SHEETS.report,
  ...ARRAY_SHEETS.map((s) => s.sheet),
  SHEETS.lists,
];

const CELL_PATH = /^([^!]+)!([A-Z]{1,3})([0-9]{1,7})$/;

/**
 * Orders message paths as a user reads the workbook (issue 25, item 5): file-level messages first, then by
 * sheet tab, row, column ("BaoCao!B9" before "BaoCao!B10", "CanBo!B4" before "CanBo!AA5"); any path that is
 * not a cell (a JSON pointer that names no cell) last, in code-point order.
 */
export function compareMessagePaths(a: string, b: string): number {
  const key = (p: string): [number, number, number, number, string] => {
    if (p === '') return [0, 0, 0, 0, p];
    const m = CELL_PATH.exec(p);
    if (!m) return [2, 0, 0, 0, p];
    const sheet = SHEET_ORDER.indexOf(m[1] as string);
    const col = [...(m[2] as string)].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
    return [1, sheet < 0 ? SHEET_ORDER.length : sheet, Number(m[3]), col, p];
  };
  const x = key(a);
  const y = key(b);
  for (let i = 0; i < 4; i++) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  return x[4] < y[4] ? -1 : x[4] > y[4] ? 1 : 0;
}

/** An example cadre for the instructions sheet (the example of docs/contracts.md; a made-up person). */
export const EXAMPLE_CADRE = {
  cadre_code: 'DT-0001',
  national_id: '087201001234',
  category: 'cong_chuc',
  position: 'Phó Chủ tịch UBND',
  is_leader: true,
  org_unit: 'vp',
  education: 'dai_hoc',
  meets_competency_standard: true,
  edoc_proficient: true,
  online_service_proficient: true,
  record_digitized: true,
  trainings: ['chuyen_sau', 'chuc_danh', 'quan_tri_hien_dai'],
  evaluation: { rating: 'tot', task_results: 86, service_quality: 80, coordination: 78, integrity: 92 },
  on_probation: false,
  rotated_in: false,
  birth_year: 1984,
  gender: 'nu',
} as const;
