// Hostile-file guard for uploaded .xlsx files, run before exceljs sees a byte. An .xlsx is a zip: a few KB can
// declare (or, lying in its headers, hide) gigabytes once inflated, and a one-line `sqref="A1:XFD1048576"`
// makes exceljs expand a data validation or merge into 17 billion cells. So we walk the central directory,
// inflate every entry ourselves with a hard output cap (declared sizes are not trusted), and add up the cell
// areas that sheet XML asks a reader to expand.
import { inflateRawSync } from 'node:zlib';

export const XLSX_LIMITS = {
  /** Sum of inflated entry sizes. A full 1000-cadre template is ~2 MB inflated. */
  maxUncompressedBytes: 24 * 1024 * 1024,
  maxEntries: 200,
  /** Sum of the areas of data-validation, conditional-format and merge ranges over all sheets. */
  maxRangeCells: 250_000,
} as const;

export type ZipProblem = 'not_workbook' | 'too_large';

export class UnsafeWorkbook extends Error {
  constructor(
    readonly problem: ZipProblem,
    detail: string,
  ) {
    super(`${problem}: ${detail}`);
    this.name = 'UnsafeWorkbook';
  }
}

const EOCD_SIG = 0x06054b50;
const CDH_SIG = 0x02014b50;
const LFH_SIG = 0x04034b50;

function findEocd(view: DataView): number {
  // The end-of-central-directory record is 22 bytes plus a comment of at most 65535 bytes.
  const min = Math.max(0, view.byteLength - 22 - 0xffff);
  for (let i = view.byteLength - 22; i >= min; i--) {
    if (view.getUint32(i, true) === EOCD_SIG) return i;
  }
  return -1;
}

function decodeCell(ref: string): { col: number; row: number } | null {
  const m = /^\$?([A-Z]{1,3})\$?([0-9]{1,7})$/.exec(ref.trim().toUpperCase());
  if (!m) return null;
  let col = 0;
  for (const ch of m[1] as string) col = col * 26 + (ch.charCodeAt(0) - 64);
  return { col, row: Number(m[2]) };
}

/** Cells covered by a space-separated list of ranges ("A1:B3 D4"). Unparseable refs count as the whole sheet. */
export function rangeArea(sqref: string): number {
  let total = 0;
  for (const part of sqref.trim().split(/\s+/)) {
    if (part === '') continue;
    const [a, b] = part.split(':');
    const from = decodeCell(a ?? '');
    const to = b === undefined ? from : decodeCell(b);
    if (!from || !to) return Number.MAX_SAFE_INTEGER;
    total += (Math.abs(to.col - from.col) + 1) * (Math.abs(to.row - from.row) + 1);
  }
  return total;
}

/** Throws UnsafeWorkbook unless the bytes are a zip whose inflated content and declared ranges stay in bounds. */
export function checkXlsx(bytes: Uint8Array, limits = XLSX_LIMITS): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 22 || view.getUint32(0, true) !== LFH_SIG)
    throw new UnsafeWorkbook('not_workbook', 'not a zip');
  const eocd = findEocd(view);
  if (eocd < 0) throw new UnsafeWorkbook('not_workbook', 'no end of central directory');
  const entries = view.getUint16(eocd + 10, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  if (entries === 0xffff || cdOffset === 0xffffffff) throw new UnsafeWorkbook('too_large', 'zip64');
  if (entries > limits.maxEntries) throw new UnsafeWorkbook('too_large', `${entries} entries`);
  let p = cdOffset;
  let inflatedTotal = 0;
  let rangeCells = 0;
  for (let n = 0; n < entries; n++) {
    if (p + 46 > bytes.byteLength || view.getUint32(p, true) !== CDH_SIG)
      throw new UnsafeWorkbook('not_workbook', 'bad central directory');
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    const compressed = view.getUint32(p + 20, true);
    const declared = view.getUint32(p + 24, true);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    const local = view.getUint32(p + 42, true);
    const name = new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLen));
    p += 46 + nameLen + extraLen + commentLen;
    if (flags & 1) throw new UnsafeWorkbook('not_workbook', 'encrypted entry');
    if (declared === 0xffffffff || compressed === 0xffffffff)
      throw new UnsafeWorkbook('too_large', 'zip64 entry');
    if (inflatedTotal + declared > limits.maxUncompressedBytes)
      throw new UnsafeWorkbook('too_large', `declared ${name}`);
    if (local + 30 > bytes.byteLength || view.getUint32(local, true) !== LFH_SIG)
      throw new UnsafeWorkbook('not_workbook', 'bad local header');
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const data = bytes.subarray(start, start + compressed);
    let inflated: Uint8Array;
    if (method === 0) inflated = data;
    else if (method === 8) {
      try {
        // The cap is what we still allow, whatever the header claimed.
        inflated = inflateRawSync(data, {
          maxOutputLength: Math.max(1, limits.maxUncompressedBytes - inflatedTotal),
        });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError)
          throw new UnsafeWorkbook('too_large', `inflating ${name}`);
        throw new UnsafeWorkbook('not_workbook', `corrupt entry ${name}`);
      }
    } else throw new UnsafeWorkbook('not_workbook', `compression method ${method}`);
    inflatedTotal += inflated.byteLength;
    if (inflatedTotal > limits.maxUncompressedBytes) throw new UnsafeWorkbook('too_large', 'inflated size');
    if (/^xl\/worksheets\/[^/]+\.xml$/.test(name)) {
      const xml = new TextDecoder().decode(inflated);
      for (const m of xml.matchAll(/\b(?:sqref|ref)="([^"]*)"/g)) {
        // <dimension ref> is informational; every other ref/sqref (merges, validations, formats) is expanded.
        const before = xml.slice(Math.max(0, (m.index ?? 0) - 12), m.index ?? 0);
        if (/<dimension\s*$/.test(before)) continue;
        rangeCells += rangeArea(m[1] as string);
        if (rangeCells > limits.maxRangeCells) throw new UnsafeWorkbook('too_large', `ranges in ${name}`);
      }
    }
  }
}
