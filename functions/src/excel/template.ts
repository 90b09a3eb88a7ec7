// Builds the .xlsx submission template (docs/contracts.md "The Excel template"): Vietnamese headers with the field
// code in a small grey row beneath, Có/Không and code lists as drop-downs with Vietnamese labels, the CCCD
// column formatted as text, an instructions sheet with an example row; optionally pre-filled from a commune's
// latest accepted submission — never with national IDs, which carry over by staff code at ingest.
import type { Cadre, CodeLabel, Submission } from '@scorecard/data-contracts';
import { TEMPLATE_FIELDS, TEMPLATE_TEXT } from '@scorecard/data-contracts/i18n/excel.ts';
import ExcelJS from 'exceljs';
import {
  ARRAY_SHEETS,
  type ArraySheet,
  CADRE_ROW_NO_COL,
  CADRES_SHEET,
  CODE_LISTS,
  CODE_ROW,
  colLetter,
  communeLabel,
  EXAMPLE_CADRE,
  FIRST_DATA_ROW,
  type FieldDef,
  firstFieldCol,
  HEADER_ROW,
  type ListName,
  listColumns,
  NO,
  REPORT_CODE_COL,
  REPORT_FIELDS,
  REPORT_FIRST_ROW,
  REPORT_LABEL_COL,
  REPORT_VALUE_COL,
  SHEETS,
  TITLE_ROW,
  YES,
} from './layout.ts';

/** A submission to pre-fill from: the stored form is fine (person keys and national IDs are never written). */
export type TemplatePrefill = Omit<Submission, 'cadres'> & { cadres: readonly Omit<Cadre, 'national_id'>[] };

export interface TemplateOptions {
  prefill?: TemplatePrefill;
  lang?: 'vi';
}

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
const CODE_FONT: Partial<ExcelJS.Font> = { size: 7, color: { argb: 'FF999999' } };
const TITLE_FONT: Partial<ExcelJS.Font> = { bold: true, size: 12, color: { argb: 'FF1F4E79' } };
const TEXT_FORMAT = '@';
/** A fixed date keeps the template's document properties free of the generation time. */
const FIXED_DATE = new Date(Date.UTC(2026, 0, 1));

function valueAt(obj: unknown, path: readonly string[]): unknown {
  let cur = obj;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

/** How one field of a row shows in its cell: Có/Không, Vietnamese labels, numbers, text. */
function renderCell(def: FieldDef, row: unknown): ExcelJS.CellValue {
  const kind = def.kind;
  if (kind.type === 'training') {
    const t = valueAt(row, ['trainings']);
    return Array.isArray(t) ? (t.includes(kind.training) ? YES : NO) : null;
  }
  const v = valueAt(row, def.path);
  if (v === undefined || v === null) return null;
  switch (kind.type) {
    case 'bool':
      return v === true ? YES : v === false ? NO : String(v);
    case 'code': {
      const label = CODE_LISTS[kind.list].labels[String(v)] as CodeLabel | undefined;
      return label ? label.vi : String(v);
    }
    case 'commune':
      return communeLabel(String(v));
    case 'national_id':
      // Never written by the server (docs/contracts.md: pre-fill without national IDs).
      return null;
    case 'int':
      return typeof v === 'number' ? v : String(v);
    case 'text':
      return String(v);
  }
}

function listRange(lists: { name: ListName; values: string[] }[], name: ListName): string {
  const i = lists.findIndex((l) => l.name === name);
  const list = lists[i] as { values: string[] };
  const col = colLetter(i + 1);
  return `${SHEETS.lists}!$${col}$2:$${col}$${list.values.length + 1}`;
}

function validationFor(
  def: FieldDef,
  lists: { name: ListName; values: string[] }[],
): ExcelJS.DataValidation | null {
  const k = def.kind;
  const list = (name: ListName): ExcelJS.DataValidation => ({
    type: 'list',
    allowBlank: true,
    showErrorMessage: true,
    formulae: [listRange(lists, name)],
  });
  if (k.type === 'bool' || k.type === 'training') return list('boolean');
  if (k.type === 'code') return list(k.list);
  if (k.type === 'commune') return list('commune');
  if (k.type === 'int') {
    return {
      type: 'whole',
      operator: 'greaterThanOrEqual',
      allowBlank: true,
      showErrorMessage: true,
      formulae: [0],
    };
  }
  return null;
}

function styleHeader(row: ExcelJS.Row): void {
  row.font = { bold: true };
  row.alignment = { wrapText: true, vertical: 'middle' };
  row.eachCell((c) => {
    c.fill = HEADER_FILL;
  });
}

function addReportSheet(
  wb: ExcelJS.Workbook,
  lists: { name: ListName; values: string[] }[],
  prefill?: TemplatePrefill,
) {
  const ws = wb.addWorksheet(SHEETS.report, { views: [{ state: 'frozen', ySplit: HEADER_ROW }] });
  ws.getColumn(REPORT_LABEL_COL).width = 52;
  ws.getColumn(REPORT_VALUE_COL).width = 36;
  ws.getColumn(REPORT_CODE_COL).width = 36;
  ws.getCell(TITLE_ROW, 1).value = TEMPLATE_TEXT.sheet_BaoCao.vi;
  ws.getCell(TITLE_ROW, 1).font = TITLE_FONT;
  const header = ws.getRow(HEADER_ROW);
  header.getCell(REPORT_LABEL_COL).value = TEMPLATE_TEXT.header_item.vi;
  header.getCell(REPORT_VALUE_COL).value = TEMPLATE_TEXT.header_value.vi;
  header.getCell(REPORT_CODE_COL).value = TEMPLATE_TEXT.header_code.vi;
  styleHeader(header);
  const base = prefill ?? { schema_version: 1 };
  REPORT_FIELDS.forEach((def, i) => {
    const r = REPORT_FIRST_ROW + i;
    ws.getCell(r, REPORT_LABEL_COL).value = TEMPLATE_FIELDS[def.code].vi;
    const value = ws.getCell(r, REPORT_VALUE_COL);
    value.value = renderCell(def, base);
    if (def.kind.type === 'commune') value.numFmt = TEXT_FORMAT;
    const dv = validationFor(def, lists);
    if (dv) value.dataValidation = dv;
    const code = ws.getCell(r, REPORT_CODE_COL);
    code.value = def.code;
    code.font = CODE_FONT;
  });
}

function addArraySheet(
  wb: ExcelJS.Workbook,
  s: ArraySheet,
  lists: { name: ListName; values: string[] }[],
  rows: readonly unknown[],
) {
  const ws = wb.addWorksheet(s.sheet, { views: [{ state: 'frozen', ySplit: CODE_ROW }] });
  ws.getCell(TITLE_ROW, 1).value = TEMPLATE_TEXT[`sheet_${s.sheet}` as 'sheet_CanBo'].vi;
  ws.getCell(TITLE_ROW, 1).font = TITLE_FONT;
  const header = ws.getRow(HEADER_ROW);
  const codes = ws.getRow(CODE_ROW);
  const first = firstFieldCol(s);
  if (s === CADRES_SHEET) {
    header.getCell(CADRE_ROW_NO_COL).value = TEMPLATE_FIELDS.row_no.vi;
    codes.getCell(CADRE_ROW_NO_COL).value = 'row_no';
    ws.getColumn(CADRE_ROW_NO_COL).width = 6;
  }
  const lastRow = FIRST_DATA_ROW + s.maxRows - 1;
  s.columns.forEach((def, j) => {
    const col = first + j;
    header.getCell(col).value = TEMPLATE_FIELDS[def.code].vi;
    codes.getCell(col).value = def.code;
    const column = ws.getColumn(col);
    column.width = def.width ?? 16;
    // The CCCD column is text: Excel drops the leading zero of a number typed as 087… (docs/contracts.md).
    if (def.kind.type === 'national_id' || def.kind.type === 'text') column.numFmt = TEXT_FORMAT;
    const dv = validationFor(def, lists);
    // exceljs writes a range key as one sqref (its typings omit the worksheet's dataValidations collection).
    if (dv)
      (
        ws as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }
      ).dataValidations.add(`${colLetter(col)}${FIRST_DATA_ROW}:${colLetter(col)}${lastRow}`, dv);
  });
  styleHeader(header);
  header.height = 45;
  codes.font = CODE_FONT;
  codes.height = 10;
  rows.forEach((row, i) => {
    const r = ws.getRow(FIRST_DATA_ROW + i);
    if (s === CADRES_SHEET) r.getCell(CADRE_ROW_NO_COL).value = i + 1;
    s.columns.forEach((def, j) => {
      const cell = r.getCell(first + j);
      cell.value = renderCell(def, row);
      if (def.kind.type === 'national_id' || def.kind.type === 'text') cell.numFmt = TEXT_FORMAT;
    });
  });
}

function addInstructions(wb: ExcelJS.Workbook) {
  const ws = wb.addWorksheet(SHEETS.instructions);
  ws.getColumn(1).width = 120;
  ws.getCell(1, 1).value = TEMPLATE_TEXT.sheet_HuongDan.vi;
  ws.getCell(1, 1).font = { ...TITLE_FONT, size: 14 };
  const lines = TEMPLATE_TEXT.instructions.vi.split('\n');
  lines.forEach((line, i) => {
    const c = ws.getCell(3 + i, 1);
    c.value = `${i + 1}. ${line}`;
    c.alignment = { wrapText: true };
  });
  const exampleRow = 3 + lines.length + 1;
  ws.getCell(exampleRow, 1).value = TEMPLATE_TEXT.example_heading.vi;
  ws.getCell(exampleRow, 1).font = { bold: true };
  // The example as it would look on CanBo: header, code and value, one field per row (readable on one screen).
  CADRES_SHEET.columns.forEach((def, j) => {
    const r = ws.getRow(exampleRow + 1 + j);
    const shown =
      def.kind.type === 'national_id' ? EXAMPLE_CADRE.national_id : renderCell(def, EXAMPLE_CADRE);
    r.getCell(1).value = `${TEMPLATE_FIELDS[def.code].vi}: ${shown ?? ''}`;
  });
}

function addLists(wb: ExcelJS.Workbook, lists: { name: ListName; values: string[] }[]) {
  const ws = wb.addWorksheet(SHEETS.lists, { state: 'hidden' });
  lists.forEach((l, i) => {
    ws.getCell(1, i + 1).value = l.name;
    l.values.forEach((v, j) => {
      ws.getCell(2 + j, i + 1).value = v;
    });
  });
}

export async function buildTemplate(options: TemplateOptions = {}): Promise<Uint8Array> {
  const { prefill } = options;
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Commune Scorecard';
  wb.created = FIXED_DATE;
  wb.modified = FIXED_DATE;
  const lists = listColumns();
  addInstructions(wb);
  addReportSheet(wb, lists, prefill);
  const rowsOf = (s: ArraySheet): readonly unknown[] => {
    const v = prefill ? valueAt(prefill, s.path) : undefined;
    return Array.isArray(v) ? v : [];
  };
  for (const s of ARRAY_SHEETS) addArraySheet(wb, s, lists, rowsOf(s));
  addLists(wb, lists);
  wb.views = [
    { x: 0, y: 0, width: 20000, height: 12000, firstSheet: 0, activeTab: 1, visibility: 'visible' },
  ];
  const buffer = await wb.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}
