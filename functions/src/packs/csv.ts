// CSV of one pack table (RFC 4180: comma, CRLF, double quotes). Deterministic: the same rows give the same
// bytes — no generation time, doubles rounded to a fixed precision (an aggregate summed in another order must
// not flip the last binary digit of a file that is hashed). Cells a spreadsheet would read as a formula are
// neutralised (OWASP "CSV injection"): a leading =, +, -, @, tab or carriage return gets a leading apostrophe.
import type { SqlValue } from '../ports/sql-engine.ts';
import type { PackColumn, PackTable } from './pack-data.ts';

const FORMULA_START = /^[=+\-@\t\r]/;
/** Decimal places kept for DOUBLE values (percentages and scores; display rounds further). */
const DOUBLE_DECIMALS = 6;

function neutralise(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

export function roundDouble(v: number): number {
  const r = Number(v.toFixed(DOUBLE_DECIMALS));
  return Object.is(r, -0) ? 0 : r;
}

function cellText(value: SqlValue, column: PackColumn): string {
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return String(column.type === 'double' ? roundDouble(value) : value);
  return neutralise(value);
}

function quote(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** UTF-8 byte-order mark: without it Excel on Windows opens a CSV as ANSI and garbles Vietnamese (tech-notes). */
const BOM = new Uint8Array([0xef, 0xbb, 0xbf]);

/** The file as written in a pack: the byte-order mark, then the CSV text in UTF-8 (the data hash covers both). */
export function tableCsvBytes(table: Pick<PackTable, 'columns' | 'rows'>): Uint8Array {
  const text = new TextEncoder().encode(tableCsv(table));
  const out = new Uint8Array(BOM.length + text.length);
  out.set(BOM, 0);
  out.set(text, BOM.length);
  return out;
}

export function tableCsv(table: Pick<PackTable, 'columns' | 'rows'>): string {
  const lines = [table.columns.map((c) => quote(c.code)).join(',')];
  for (const row of table.rows)
    lines.push(table.columns.map((c) => quote(cellText(row[c.code] ?? null, c))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
