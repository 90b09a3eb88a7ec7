// Reads a filled .xlsx template back into the submission JSON of docs/contracts.md: labels → codes, Có/Không →
// booleans, numbers → integers, empty optional cells omitted. The JSON then goes through the same validation
// as every other submission; `locate` turns the validator's JSON pointers into the cells a user sees.
//
// Hostile files: the zip is inspected before loading (zip-guard.ts), and both run in a worker with a time and
// memory cap (isolated.ts); formulas are never evaluated — a formula cell contributes its cached result or
// nothing; rows are capped per sheet.
import { COMMUNES, type FieldError, fieldError } from '@scorecard/data-contracts';
import { type ExcelErrorCode, excelMessage, TEMPLATE_FIELDS } from '@scorecard/data-contracts/i18n/excel.ts';
import ExcelJS from 'exceljs';
import {
  ARRAY_SHEETS,
  type ArraySheet,
  CODE_LISTS,
  CODE_ROW,
  cellRef,
  compareMessagePaths,
  FIRST_DATA_ROW,
  type FieldDef,
  REPORT_CODE_COL,
  REPORT_FIELDS,
  REPORT_FIRST_ROW,
  REPORT_VALUE_COL,
  SHEETS,
} from './layout.ts';
import { checkXlsx, UnsafeWorkbook, XLSX_LIMITS, type XlsxFacts, type XlsxLimits } from './zip-guard.ts';

export interface WorkbookSubmission {
  /** The submission JSON, or null when the file could not be read as a template at all. */
  raw: unknown | null;
  /** Parse-level errors, each with a `Sheet!Cell` path (or the file itself: path ''). */
  errors: FieldError[];
  /** The cell (`CanBo!C16`) of a validator JSON pointer (`/cadres/12/national_id`), when it has one. */
  locate(pointer: string): string | undefined;
}

/** Where each field of a parsed workbook was found: plain data (it crosses from the parsing worker). */
export interface WorkbookLayout {
  reportRows: [string, number][];
  /** One per ARRAY_SHEETS entry, in that order. */
  sheets: { columns: [string, number][]; rows: number[]; trainingOrder: string[][] }[];
}

export interface ParsedWorkbook {
  raw: unknown | null;
  errors: FieldError[];
  layout: WorkbookLayout | null;
}

/** How far down a sheet we look for the report's field codes. */
const REPORT_SCAN_ROWS = 100;

function excelError(
  path: string,
  code: ExcelErrorCode,
  params: Record<string, string | number> = {},
): FieldError {
  return { path, ...excelMessage(code, params) };
}

type Cell =
  | { t: 'blank' }
  | { t: 'string'; s: string }
  | { t: 'number'; n: number; percent?: boolean }
  | { t: 'date'; d: Date }
  | { t: 'bool'; b: boolean }
  | { t: 'other' }
  | { t: 'formula_without_value' };

/** The value a user sees in a cell; formulas contribute their cached result, never an evaluation. */
function readCell(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return { t: 'blank' };
  if (typeof value === 'number') return Number.isFinite(value) ? { t: 'number', n: value } : { t: 'other' };
  if (typeof value === 'string') return value.trim() === '' ? { t: 'blank' } : { t: 'string', s: value };
  if (typeof value === 'boolean') return { t: 'bool', b: value };
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? { t: 'other' } : { t: 'date', d: value };
  if (typeof value === 'object') {
    if ('formula' in value || 'sharedFormula' in value) {
      const result = (value as { result?: unknown }).result;
      if (result === undefined || result === null) return { t: 'formula_without_value' };
      if (typeof result === 'object' && !(result instanceof Date)) return { t: 'other' };
      return readCell(result as ExcelJS.CellValue);
    }
    if ('richText' in value && Array.isArray(value.richText))
      return readCell(value.richText.map((r) => r.text).join(''));
    if ('text' in value && typeof (value as { text: unknown }).text === 'string')
      return readCell((value as { text: string }).text);
  }
  return { t: 'other' };
}

/**
 * What a cell holds, formulas included: exceljs's `value` drops a formula's falsy cached result (0, FALSE), which
 * Calc writes for a typed TRUE/FALSE — `result` keeps it. Only a formula with no cached value at all is an
 * error (issue 25).
 */
function readCellOf(cell: ExcelJS.Cell): Cell {
  let read: Cell;
  if (cell.type === ExcelJS.ValueType.Formula) {
    const result = cell.result as ExcelJS.CellValue | undefined;
    if (result === undefined || result === null) {
      // exceljs reads an empty cached text as no result at all; the XML tells them apart (zip-guard.ts).
      const empty = EMPTY_RESULTS.get(cell.worksheet.workbook)?.get(cell.worksheet.name);
      return empty?.has(cell.address) ? { t: 'blank' } : { t: 'formula_without_value' };
    }
    if (typeof result === 'object' && !(result instanceof Date)) return { t: 'other' };
    read = readCell(result);
  } else read = readCell(cell.value);
  // A number shown as a percentage ("85%" holds 0.85, "100%" holds 1): never a count as typed.
  if (read.t === 'number' && isPercentFormat(cell.numFmt)) return { ...read, percent: true };
  return read;
}

/** Per workbook being parsed: the formula cells whose cached result is an empty text, by sheet. */
const EMPTY_RESULTS = new WeakMap<ExcelJS.Workbook, Map<string, Set<string>>>();

/** A number format that shows a percentage: a `%` outside quoted text and escapes. */
function isPercentFormat(fmt: string | undefined): boolean {
  if (!fmt) return false;
  return fmt.replace(/"[^"]*"|\\./g, '').includes('%');
}

const pad2 = (n: number) => String(n).padStart(2, '0');
/** A date as a Vietnamese spreadsheet shows it: dd/mm/yyyy (exceljs reads the serial as that day, UTC). */
const shownDate = (d: Date) => `${pad2(d.getUTCDate())}/${pad2(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
/** The percentage a cell shows ("85%"), to two decimals at most. */
const shownPercent = (n: number) => `${Number((n * 100).toFixed(2))}%`;
/** "1.320", "1,320", "1 320" (also a non-breaking space): a whole number typed with thousands separators. */
const THOUSANDS = /^\s*(-?[0-9]{1,3})((?:([.,\s\u00a0])[0-9]{3})(?:\3[0-9]{3})*)\s*$/u;

const fold = (s: string) => s.normalize('NFC').trim().toLocaleLowerCase('vi');

/**
 * How people actually type a label (issue 14): any dash (-, ‐, ‑, ‒, –, —, −), any run of spaces (also
 * non-breaking), spaces around a dash or not, any case, NFC or NFD, and either tone-mark placement
 * ("hoá"/"hóa", "thuỷ"/"thủy"). `loose` keeps the letters and drops the tone marks only: a label is matched
 * that way when no other label of the list reads the same without its tones.
 */
const DASHES = /[-\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g;
const spaced = (s: string) =>
  fold(s)
    .replace(DASHES, '-')
    .replace(/\s*-\s*/g, ' - ')
    .replace(/\s+/g, ' ')
    .trim();
// Tone marks only (grave, acute, tilde, hook above, dot below): the letters' own marks (ă â ê ô ơ ư đ) stay.
const loose = (s: string) =>
  spaced(s)
    .normalize('NFD')
    .replace(/[\u0300\u0301\u0303\u0309\u0323]/g, '')
    .normalize('NFC');

function labelIndex(list: keyof typeof CODE_LISTS): {
  exact: Map<string, string>;
  loose: Map<string, string | null>;
} {
  const { codes, labels } = CODE_LISTS[list];
  const exact = new Map<string, string>();
  const looseMap = new Map<string, string | null>();
  const add = (text: string, code: string) => {
    exact.set(spaced(text), code);
    const k = loose(text);
    // Two codes that read the same without tones: neither is matched loosely (the error lists the choices).
    looseMap.set(k, looseMap.has(k) && looseMap.get(k) !== code ? null : code);
  };
  for (const c of codes) {
    const l = labels[c];
    add(c, c);
    if (l) {
      add(l.en, c);
      add(l.vi, c);
    }
  }
  return { exact, loose: looseMap };
}
const LABELS = Object.fromEntries(
  Object.keys(CODE_LISTS).map((k) => [k, labelIndex(k as keyof typeof CODE_LISTS)]),
) as Record<keyof typeof CODE_LISTS, ReturnType<typeof labelIndex>>;

/** Commune names (loosely spelled) → code, for names only one commune has. */
const COMMUNE_NAMES: Map<string, string> = (() => {
  const byName = new Map<string, string | null>();
  for (const c of COMMUNES) {
    const k = loose(c.name);
    byName.set(k, byName.has(k) ? null : c.commune_code);
  }
  return new Map([...byName].filter((e): e is [string, string] => e[1] !== null));
})();

/** The code a typed label means, or undefined when it matches none (or is ambiguous). */
export function codeForLabel(list: keyof typeof CODE_LISTS, text: string): string | undefined {
  const index = LABELS[list];
  return index.exact.get(spaced(text)) ?? index.loose.get(loose(text)) ?? undefined;
}
const BOOLEANS = new Map<string, boolean>([
  ['có', true],
  ['co', true],
  ['không', false],
  ['khong', false],
  ['true', true],
  ['false', false],
]);

type Converted = { value?: unknown; error?: FieldError };

/** Converts one cell of a field; a bad value keeps its text (so validation also rejects it) and an error. */
function convert(def: FieldDef, cell: Cell, at: string): Converted {
  if (cell.t === 'blank') return {};
  if (cell.t === 'formula_without_value') return { error: excelError(at, 'excel_formula_without_value') };
  const k = def.kind;
  const asText =
    cell.t === 'string'
      ? cell.s
      : cell.t === 'number'
        ? String(cell.n)
        : cell.t === 'bool'
          ? String(cell.b)
          : undefined;
  switch (k.type) {
    case 'int': {
      if (cell.t === 'number' && cell.percent) {
        const shown = shownPercent(cell.n);
        return { value: shown, error: excelError(at, 'excel_percent_for_number', { shown }) };
      }
      if (cell.t === 'number') return { value: cell.n };
      if (cell.t === 'date') {
        // The cell was formatted as a date (Excel does that to "1995" typed into a date-formatted cell, or to
        // "3/1995"): say what the cell shows, and what to type instead.
        const shown = shownDate(cell.d);
        return def.code.endsWith('year')
          ? {
              value: shown,
              error: excelError(at, 'excel_date_for_year', { shown, year: cell.d.getUTCFullYear() }),
            }
          : { value: shown, error: excelError(at, 'excel_date_for_number', { shown }) };
      }
      if (cell.t === 'string') {
        const grouped = THOUSANDS.exec(cell.s);
        if (grouped) {
          const meant = `${grouped[1]}${(grouped[2] ?? '').replace(/[^0-9]/g, '')}`;
          return {
            value: cell.s,
            error: excelError(at, 'excel_thousands_separator', { value: cell.s.trim(), meant }),
          };
        }
        if (/^\s*-?[0-9]+(\.[0-9]+)?\s*$/.test(cell.s)) return { value: Number(cell.s) };
      }
      return { value: asText ?? '', error: excelError(at, 'excel_not_a_number', { value: asText ?? '' }) };
    }
    case 'bool':
    case 'training': {
      if (cell.t === 'bool') return { value: cell.b };
      const b = asText === undefined ? undefined : BOOLEANS.get(fold(asText));
      if (b !== undefined) return { value: b };
      return { value: asText ?? '', error: fieldError(at, 'invalid_boolean') };
    }
    case 'code': {
      const code = asText === undefined ? undefined : codeForLabel(k.list, asText);
      if (code !== undefined) return { value: code };
      const { codes, labels } = CODE_LISTS[k.list];
      const options = codes.map((c) => labels[c]?.vi ?? c).join(', ');
      return { value: asText ?? '', error: fieldError(at, 'invalid_code', { value: asText ?? '', options }) };
    }
    case 'commune': {
      if (cell.t === 'number' && Number.isInteger(cell.n)) return { value: String(cell.n) };
      if (asText === undefined) return { value: '', error: excelError(at, 'excel_not_text') };
      // "28249 – Phường Đạo Thạnh" (the drop-down) or "28249": keep the five digits; the commune's name alone
      // ("Phường Đạo Thạnh", any spelling the label matcher accepts) names it too when exactly one has it.
      const m = /^\s*([0-9]{5})(?![0-9])/.exec(asText);
      if (m) return { value: m[1] };
      const byName = COMMUNE_NAMES.get(loose(asText));
      if (byName) return { value: byName };
      return { value: asText, error: excelError(at, 'excel_commune_unknown', { value: asText }) };
    }
    case 'national_id': {
      if (cell.t === 'number') {
        const digits = Number.isInteger(cell.n) ? String(cell.n) : (asText ?? '');
        // Excel turned "087…" into a number and dropped the leading zero (docs/contracts.md).
        if (/^[0-9]{11}$/.test(digits))
          return { value: digits, error: fieldError(at, 'national_id_leading_zero') };
        return { value: digits };
      }
      if (asText === undefined) return { value: '', error: excelError(at, 'excel_not_text') };
      return { value: asText };
    }
    case 'text': {
      if (asText === undefined) return { value: '', error: excelError(at, 'excel_not_text') };
      return { value: asText };
    }
  }
}

function setAt(obj: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let cur = obj;
  for (const p of path.slice(0, -1)) {
    if (cur[p] === undefined) cur[p] = {};
    cur = cur[p] as Record<string, unknown>;
  }
  cur[path[path.length - 1] as string] = value;
}

interface SheetMap {
  /** Column of each field code. */
  columns: Map<string, number>;
  /** Worksheet row of each item index. */
  rows: number[];
  /** The training code of each index of each cadre's `trainings` array. */
  trainingOrder: string[][];
}

function readReport(
  ws: ExcelJS.Worksheet,
  raw: Record<string, unknown>,
  errors: FieldError[],
  rowOf: Map<string, number>,
) {
  const last = Math.min(ws.rowCount, REPORT_SCAN_ROWS);
  for (let r = 1; r <= last; r++) {
    const code = readCellOf(ws.getCell(r, REPORT_CODE_COL));
    if (code.t !== 'string') continue;
    const def = REPORT_FIELDS.find((f) => f.code === code.s.trim());
    if (def && !rowOf.has(def.code)) rowOf.set(def.code, r);
  }
  for (const def of REPORT_FIELDS) {
    const r = rowOf.get(def.code);
    if (r === undefined) {
      errors.push(
        excelError(`${SHEETS.report}!A1`, 'excel_column_missing', {
          column: TEMPLATE_FIELDS[def.code].vi,
          code: def.code,
        }),
      );
      continue;
    }
    const at = cellRef(SHEETS.report, REPORT_VALUE_COL, r);
    const { value, error } = convert(def, readCellOf(ws.getCell(r, REPORT_VALUE_COL)), at);
    if (error) errors.push(error);
    if (value !== undefined) setAt(raw, def.path, value);
  }
  // The report object and its survey always exist, so a blank field is "required" at its own path.
  if (raw.report === undefined) raw.report = {};
  const report = raw.report as Record<string, unknown>;
  if (report.survey === undefined) report.survey = {};
}

function readArraySheet(
  ws: ExcelJS.Worksheet,
  s: ArraySheet,
  errors: FieldError[],
  map: SheetMap,
): Record<string, unknown>[] {
  const codeRow = ws.getRow(CODE_ROW);
  const known = new Set(s.columns.map((c) => c.code as string));
  codeRow.eachCell((cell, col) => {
    const v = readCellOf(cell);
    if (v.t !== 'string') return;
    const code = v.s.trim();
    if (known.has(code)) {
      if (!map.columns.has(code)) map.columns.set(code, col);
    } else if (code !== 'row_no') {
      // A column the contract does not know would silently drop data: report it (docs/contracts.md, unknown fields).
      errors.push(fieldError(cellRef(s.sheet, col, CODE_ROW), 'unknown_field', { field: code }));
    }
  });
  for (const def of s.columns) {
    if (!map.columns.has(def.code)) {
      errors.push(
        excelError(cellRef(s.sheet, 1, CODE_ROW), 'excel_column_missing', {
          column: TEMPLATE_FIELDS[def.code].vi,
          code: def.code,
        }),
      );
    }
  }
  const present = s.columns.filter((d) => map.columns.has(d.code));
  const items: Record<string, unknown>[] = [];
  let tooMany = false;
  // eachRow visits only rows that exist in the file, so a stray cell on row 1 048 576 costs nothing.
  ws.eachRow((row, r) => {
    if (r < FIRST_DATA_ROW || tooMany) return;
    const cells = present.map((def) => ({
      def,
      col: map.columns.get(def.code) as number,
      cell: readCellOf(row.getCell(map.columns.get(def.code) as number)),
    }));
    if (cells.every((c) => c.cell.t === 'blank')) return;
    if (items.length >= s.maxRows) {
      tooMany = true;
      errors.push(
        excelError(cellRef(s.sheet, 1, r), 'excel_too_many_rows', { sheet: s.sheet, max: s.maxRows }),
      );
      return;
    }
    const item: Record<string, unknown> = {};
    const trainings: string[] = [];
    for (const { def, col, cell } of cells) {
      const { value, error } = convert(def, cell, cellRef(s.sheet, col, r));
      if (error) errors.push(error);
      if (def.kind.type === 'training') {
        // A blank training cell means "not trained": trainings is a required (possibly empty) list.
        if (value === true) trainings.push(def.kind.training);
        else if (value !== undefined && value !== false) trainings.push(String(value));
        continue;
      }
      if (value !== undefined) setAt(item, def.path, value);
    }
    if (s.columns.some((d) => d.kind.type === 'training')) item.trainings = trainings;
    map.trainingOrder.push(trainings);
    map.rows.push(r);
    items.push(item);
  });
  return items;
}

/** One error per merged range of a sheet that covers a value cell (`isValue(row, col)`). */
function mergedValueErrors(
  ws: ExcelJS.Worksheet,
  sheet: string,
  isValue: (row: number, col: number) => boolean,
): FieldError[] {
  // exceljs keeps a sheet's merges as ranges by master cell (its typings omit them).
  const merges = Object.values(
    (
      ws as unknown as {
        _merges: Record<string, { top: number; left: number; bottom: number; right: number; range: string }>;
      }
    )._merges ?? {},
  );
  const out: FieldError[] = [];
  for (const m of merges) {
    let covers = false;
    for (let r = m.top; r <= m.bottom && !covers; r++)
      for (let c = m.left; c <= m.right && !covers; c++) covers = isValue(r, c);
    if (covers) out.push(excelError(`${sheet}!${m.range}`, 'excel_merged_cells', { range: m.range }));
  }
  return out;
}

/** Orders keys as the contract lists them, so that a round trip gives the same JSON text, not only equal data. */
function ordered(raw: Record<string, unknown>): Record<string, unknown> {
  const order = ['schema_version', 'commune_code', 'year', 'report', 'cadres'];
  return Object.fromEntries([...Object.entries(raw)].sort(([a], [b]) => order.indexOf(a) - order.indexOf(b)));
}

/**
 * Reads a workbook in this thread. Untrusted bytes go through `submissionFromWorkbook` (isolated.ts), which
 * runs this in a worker with a time and memory cap; the result is plain data so that it crosses threads.
 */
export async function parseWorkbook(
  bytes: Uint8Array,
  limits: XlsxLimits = XLSX_LIMITS,
): Promise<ParsedWorkbook> {
  let facts: XlsxFacts;
  try {
    facts = checkXlsx(bytes, limits);
  } catch (e) {
    if (e instanceof UnsafeWorkbook) {
      const err =
        e.problem === 'too_large'
          ? excelError('', 'excel_too_large', { max_mb: XLSX_LIMITS.maxUncompressedBytes / (1024 * 1024) })
          : excelError('', 'excel_not_workbook');
      return { raw: null, errors: [err], layout: null };
    }
    throw e;
  }
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer,
    );
  } catch {
    return { raw: null, errors: [excelError('', 'excel_not_workbook')], layout: null };
  }
  EMPTY_RESULTS.set(wb, facts.emptyFormulaResults);
  // A zip without any sheet of the template is some other file, not a damaged template.
  if (![SHEETS.report, ...ARRAY_SHEETS.map((s) => s.sheet)].some((name) => wb.getWorksheet(name))) {
    return { raw: null, errors: [excelError('', 'excel_not_workbook')], layout: null };
  }
  const errors: FieldError[] = [];
  const raw: Record<string, unknown> = {};
  const reportRows = new Map<string, number>();
  const maps = new Map<ArraySheet, SheetMap>();

  const reportSheet = wb.getWorksheet(SHEETS.report);
  if (reportSheet) readReport(reportSheet, raw, errors, reportRows);
  else errors.push(excelError(`${SHEETS.report}!A1`, 'excel_sheet_missing', { sheet: SHEETS.report }));
  const report = (raw.report ?? {}) as Record<string, unknown>;
  raw.report = report;

  for (const s of ARRAY_SHEETS) {
    const ws = wb.getWorksheet(s.sheet);
    const map: SheetMap = { columns: new Map(), rows: [], trainingOrder: [] };
    maps.set(s, map);
    let items: Record<string, unknown>[] = [];
    if (ws) items = readArraySheet(ws, s, errors, map);
    else errors.push(excelError(`${s.sheet}!A1`, 'excel_sheet_missing', { sheet: s.sheet }));
    setAt(raw, s.path, items);
  }
  // Report keys in the contract's order, after the sheets have filled in staffing and initiatives.
  const reportOrder = [
    ...REPORT_FIELDS.filter((f) => f.path[0] === 'report').map((f) => f.path[1] as string),
    'staffing',
    'initiatives',
  ];
  raw.report = Object.fromEntries(
    Object.entries(report).sort(([a], [b]) => reportOrder.indexOf(a) - reportOrder.indexOf(b)),
  );

  // A merge over a value (or field-code) cell makes exceljs give every covered cell the first one's value: a
  // wrong figure, silently. Refused, naming the range; merges over labels and titles are harmless (issue 25).
  if (reportSheet)
    errors.push(
      ...mergedValueErrors(
        reportSheet,
        SHEETS.report,
        (r, c) => r >= REPORT_FIRST_ROW && (c === REPORT_VALUE_COL || c === REPORT_CODE_COL),
      ),
    );
  for (const s of ARRAY_SHEETS) {
    const ws = wb.getWorksheet(s.sheet);
    // One row is one item: no merge belongs in the code row or below it.
    if (ws) errors.push(...mergedValueErrors(ws, s.sheet, (r) => r >= CODE_ROW));
  }
  errors.sort((a, b) => a.path.localeCompare(b.path, 'en', { numeric: true }));
  const layout: WorkbookLayout = {
    reportRows: [...reportRows],
    sheets: ARRAY_SHEETS.map((s) => {
      const m = maps.get(s) as SheetMap;
      return { columns: [...m.columns], rows: m.rows, trainingOrder: m.trainingOrder };
    }),
  };
  return { raw: ordered(raw), errors, layout };
}

/** Turns the layout of a parsed workbook into `locate`: validator JSON pointers → the cells a user sees. */
export function locator(layout: WorkbookLayout | null): (pointer: string) => string | undefined {
  if (!layout) return () => undefined;
  const reportRows = new Map(layout.reportRows);
  const maps = new Map<ArraySheet, SheetMap>(
    ARRAY_SHEETS.map((s, i) => {
      const m = layout.sheets[i];
      return [
        s,
        { columns: new Map(m?.columns ?? []), rows: m?.rows ?? [], trainingOrder: m?.trainingOrder ?? [] },
      ];
    }),
  );
  return (pointer) => locateIn(pointer, reportRows, maps);
}

function unescapePointer(p: string): string {
  return p.replace(/~1/g, '/').replace(/~0/g, '~');
}

function locateIn(
  pointer: string,
  reportRows: Map<string, number>,
  maps: Map<ArraySheet, SheetMap>,
): string | undefined {
  if (!pointer.startsWith('/')) return undefined;
  const parts = pointer.slice(1).split('/').map(unescapePointer);
  for (const s of ARRAY_SHEETS) {
    if (!s.path.every((p, i) => parts[i] === p)) continue;
    const map = maps.get(s);
    if (!map) return undefined;
    const rest = parts.slice(s.path.length);
    const firstCol = map.columns.get(s.columns[0]?.code ?? '') ?? 1;
    if (rest.length === 0) return cellRef(s.sheet, firstCol, FIRST_DATA_ROW);
    const index = Number(rest[0]);
    if (!Number.isInteger(index) || index < 0) return undefined;
    const row = map.rows[index];
    if (row === undefined) return undefined;
    if (rest.length === 1) return cellRef(s.sheet, firstCol, row);
    let code = rest.slice(1).join('.');
    if (rest[1] === 'trainings') {
      // /cadres/i/trainings/j is the j-th training ticked on that row; the list itself points at its first column.
      const j = rest[2] === undefined ? 0 : Number(rest[2]);
      const training = map.trainingOrder[index]?.[j];
      code =
        training !== undefined
          ? `trainings.${training}`
          : (s.columns.find((c) => c.kind.type === 'training')?.code ?? code);
    } else if (rest[1] === 'evaluation' && rest.length === 2) {
      code = 'evaluation.rating';
    }
    const col = map.columns.get(code);
    return col === undefined ? undefined : cellRef(s.sheet, col, row);
  }
  const code = parts.join('.');
  const row = reportRows.get(code);
  if (row !== undefined) return cellRef(SHEETS.report, REPORT_VALUE_COL, row);
  // A whole object (e.g. /report/survey): point at its first field.
  const first = REPORT_FIELDS.find((f) => f.code.startsWith(`${code}.`));
  const firstRow = first ? reportRows.get(first.code) : undefined;
  return firstRow === undefined ? undefined : cellRef(SHEETS.report, REPORT_VALUE_COL, firstRow);
}

/**
 * Rewrites validator errors (JSON pointers) into cell references and merges them with the parse errors: one
 * error per cell — a cell the parser already reported is not reported again by validation.
 */
export function workbookErrors(
  parsed: Pick<WorkbookSubmission, 'errors' | 'locate'>,
  validationErrors: readonly FieldError[],
): FieldError[] {
  const seen = new Set(parsed.errors.map((e) => e.path));
  const rewritten = validationErrors
    .map((e) => ({ ...e, path: parsed.locate(e.path) ?? e.path }))
    .filter((e) => !seen.has(e.path));
  const unique = [
    ...new Map([...parsed.errors, ...rewritten].map((e) => [`${e.path}|${e.code}`, e])).values(),
  ];
  return unique.sort((a, b) => compareMessagePaths(a.path, b.path));
}
