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
export const HEADER_ROW = 2;
export const FIRST_DATA_ROW = 3;

function metText(row: SqlRow): { text: string; fill: ExcelJS.Fill } {
  if (row.target_pct === null) return { text: t('no_target'), fill: NONE_FILL };
  if (row.met === true) return { text: t('met_yes'), fill: MET_FILL };
  if (row.met === false) return { text: t('met_no'), fill: NOT_MET_FILL };
  if (row.value_pct !== null && row.value_pct !== undefined && typeof row.communes_expected === 'number')
    return { text: t('met_low_coverage', { reporting: Number(row.communes_reporting), expected: row.communes_expected }), fill: NONE_FILL };
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
      ws.getColumn(j + 1).width =
        c.code.endsWith('_name') || c.code === 'kpi_label'
          ? 36
          : c.code === 'content_sha256' || c.code === 'submission_id'
            ? 40
            : 14;
      if (c.type === 'double') ws.getColumn(j + 1).numFmt = '0.0';
    });
    header.height = 32;
    table.rows.forEach((row, i) => {
      const r = ws.getRow(FIRST_DATA_ROW + i);
      table.columns.forEach((c, j) => {
        const cell = r.getCell(j + 1);
        cell.value = cellValue(row, c);
        if (c.code === 'met') cell.fill = metText(row).fill;
        if (c.code === 'severity' && typeof row.severity === 'string')
          cell.fill = SEVERITY_FILL[row.severity] ?? NONE_FILL;
      });
    });
    ws.autoFilter = {
      from: { row: HEADER_ROW, column: 1 },
      to: { row: HEADER_ROW, column: table.columns.length },
    };
  }
  return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}
