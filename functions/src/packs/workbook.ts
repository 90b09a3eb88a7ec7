// The meeting pack's .xlsx workbook: one sheet per pack table, Vietnamese headers, percentages with one
// decimal, and met / not met shown in words and colour (green Đạt, red Không đạt, grey no value or tracked).
import { TEMPLATE_BOOLEAN } from '@scorecard/data-contracts/i18n/excel.ts';
import ExcelJS from 'exceljs';
import type { SqlRow } from '../ports/sql-engine.ts';
import { roundDouble } from './csv.ts';
import type { PackColumn, PackTable } from './pack-data.ts';
import { type PackText, t } from './text.ts';

const FILL = (argb: string): ExcelJS.Fill => ({ type: 'pattern', pattern: 'solid', fgColor: { argb } });
const MET_FILL = FILL('FFC6EFCE');
const NOT_MET_FILL = FILL('FFFFC7CE');
const NONE_FILL = FILL('FFEDEDED');
const HEADER_FILL = FILL('FFDDEBF7');
const SEVERITY_FILL: Record<string, ExcelJS.Fill> = {
  critical: FILL('FFF4B6B6'),
  high: FILL('FFFCD5B4'),
  medium: FILL('FFFFF2CC'),
  missing: NONE_FILL,
};
const HEADER_ROW = 2;
const FIRST_DATA_ROW = 3;

/** Column widths in characters: names and KPI labels wrap inside a readable width; numbers stay narrow. */
function columnWidth(c: PackColumn): number {
  if (c.code === 'content_sha256' || c.code === 'submission_id') return 40;
  if (c.code === 'kpi_label') return 44;
  if (c.code.endsWith('_name')) return 24;
  if (c.code === 'target_wording') return 26;
  if (c.code === 'kpi') return 20;
  if (c.code === 'comparator' || c.code === 'met' || c.code === 'received_at') return 16;
  if (c.code === 'commune_type' || c.code === 'severity' || c.code === 'scope') return 12;
  return 10;
}
/** Short words and codes read best centred between the numbers beside them. */
const CENTRED = new Set([
  'year',
  'phase',
  'comparator',
  'met',
  'commune_code',
  'version',
  'severity',
  'scope',
]);
/** Wrapped so that nothing is cut off on paper (the row grows instead). */
const WRAPPED = new Set(['kpi_label', 'commune_name', 'target_wording', 'met']);
/** Points per wrapped line of 11-point Calibri/Carlito (Calc and Excel both print about 14.3–15). */
const LINE_PT = 15;

/**
 * How many lines `text` takes when wrapped in a column `width` characters wide: greedy word wrap, counting a
 * character as one unit (a column's width is measured in digit widths, and Vietnamese text in lower case runs
 * a little narrower than digits; measured against Calc's print by tests/packs/pack-print.test.ts). Neither Excel nor Calc grows a row for wrapped text in a file it opens, so the workbook sets it.
 */
function wrappedLines(text: string, width: number): number {
  const capacity = Math.max(1, Math.floor((width - 1) * 1.05));
  let lines = 1;
  let used = 0;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const need = used === 0 ? word.length : used + 1 + word.length;
    if (need <= capacity) used = need;
    else if (used === 0) {
      lines += Math.ceil(word.length / capacity) - 1;
      used = word.length % capacity || capacity;
    } else {
      lines++;
      used = Math.min(word.length, capacity);
      lines += Math.ceil(word.length / capacity) - 1;
    }
  }
  return lines;
}

const rowHeight = (cells: readonly { text: string; width: number }[]) =>
  LINE_PT * Math.max(1, ...cells.map((c) => wrappedLines(c.text, c.width))) + 2;

/** Wider than this (in characters) prints landscape: A4 portrait holds about 95 at 100 %. */
const PORTRAIT_MAX_WIDTH = 110;

/** A header/footer text is a format: a literal "&" must be doubled. */
const footerText = (s: string) => s.replaceAll('&', '&&');

/**
 * Printing as officials do (issue 25, item 7): A4, each sheet one page wide (landscape where wide), rows
 * flowing down; the title and header rows repeat on every page; the footer carries the as-of instant, the
 * sheet's name and "Trang p/n".
 */
function printLayout(ws: ExcelJS.Worksheet, columns: readonly PackColumn[], text: PackText): void {
  const width = columns.reduce((sum, c) => sum + columnWidth(c), 0);
  ws.pageSetup = {
    paperSize: 9,
    orientation: width > PORTRAIT_MAX_WIDTH ? 'landscape' : 'portrait',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    printTitlesRow: `1:${HEADER_ROW}`,
    horizontalCentered: true,
    margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.2, footer: 0.25 },
  };
  const footer = `&L&8${footerText(text.asOfLine)}&R&8&A · ${footerText(t('page'))} &P/&N`;
  ws.headerFooter = { oddFooter: footer, evenFooter: footer };
}

function metText(row: SqlRow): { text: string; fill: ExcelJS.Fill } {
  if (row.target_pct === null) return { text: t('no_target'), fill: NONE_FILL };
  if (row.met === true) return { text: t('met_yes'), fill: MET_FILL };
  if (row.met === false) return { text: t('met_no'), fill: NOT_MET_FILL };
  if (row.value_pct !== null && row.value_pct !== undefined && typeof row.communes_expected === 'number')
    return {
      text: t('met_low_coverage', {
        reporting: Number(row.communes_reporting),
        expected: row.communes_expected,
      }),
      fill: NONE_FILL,
    };
  return { text: t('met_none'), fill: NONE_FILL };
}

function cellValue(row: SqlRow, c: PackColumn): ExcelJS.CellValue {
  if (c.code === 'met') return metText(row).text;
  const v = row[c.code] ?? null;
  if (v === null) return null;
  if (c.code === 'severity') return t(`severity_${v}` as 'severity_high');
  if (c.code === 'scope') return t(v === 'province' ? 'scope_province' : 'scope_commune');
  // Officials read words, not codes: "trên" (strictly above) and "từ" (at least); the CSV keeps the codes.
  if (c.code === 'comparator') return t(v === 'gt' ? 'comparator_gt' : 'comparator_gte');
  if (c.type === 'bool') return v === true ? TEMPLATE_BOOLEAN.yes.vi : TEMPLATE_BOOLEAN.no.vi;
  if (c.type === 'double' && typeof v === 'number') return roundDouble(v);
  return v;
}

export async function packWorkbook(tables: readonly PackTable[], text: PackText): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Commune Scorecard';
  // Document properties carry the as-of instant, not the generation time.
  wb.created = text.asOf;
  wb.modified = text.asOf;
  for (const table of tables) {
    const ws = wb.addWorksheet(t(table.sheet).slice(0, 31), {
      views: [{ state: 'frozen', ySplit: HEADER_ROW }],
    });
    ws.getCell(1, 1).value = `${text.title} — ${text.asOfLine}`;
    ws.getCell(1, 1).font = { bold: true, size: 12, color: { argb: 'FF1F4E79' } };
    const header = ws.getRow(HEADER_ROW);
    table.columns.forEach((c, j) => {
      const cell = header.getCell(j + 1);
      cell.value = t(c.label);
      cell.font = { bold: true };
      cell.fill = HEADER_FILL;
      cell.alignment = { wrapText: true, vertical: 'middle' };
      ws.getColumn(j + 1).width = columnWidth(c);
      if (c.type === 'double') ws.getColumn(j + 1).numFmt = '0.0';
    });
    header.height = rowHeight(table.columns.map((c) => ({ text: t(c.label), width: columnWidth(c) })));
    table.rows.forEach((row, i) => {
      const r = ws.getRow(FIRST_DATA_ROW + i);
      table.columns.forEach((c, j) => {
        const cell = r.getCell(j + 1);
        cell.value = cellValue(row, c);
        // Top-aligned, so that a row grown for a wrapped label still reads as one line across.
        cell.alignment = WRAPPED.has(c.code)
          ? { wrapText: true, vertical: 'top', ...(c.code === 'target_wording' ? { indent: 1 } : {}) }
          : {
              vertical: 'top',
              ...(CENTRED.has(c.code) || c.type === 'bool' ? { horizontal: 'center' } : {}),
            };
        if (c.code === 'met') cell.fill = metText(row).fill;
        if (c.code === 'severity' && typeof row.severity === 'string')
          cell.fill = SEVERITY_FILL[row.severity] ?? NONE_FILL;
      });
      const wrapped = table.columns.filter((c) => WRAPPED.has(c.code));
      if (wrapped.length > 0)
        r.height = rowHeight(
          wrapped.map((c) => ({
            text: String(r.getCell(table.columns.indexOf(c) + 1).value ?? ''),
            width: columnWidth(c),
          })),
        );
    });
    printLayout(ws, table.columns, text);
    ws.autoFilter = {
      from: { row: HEADER_ROW, column: 1 },
      to: { row: HEADER_ROW, column: table.columns.length },
    };
  }
  return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}
