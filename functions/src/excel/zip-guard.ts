// Hostile-file guard for uploaded .xlsx files, run before exceljs sees a byte. An .xlsx is a zip: a few KB can
// declare (or, lying in its headers, hide) gigabytes once inflated, and a one-line `sqref="A1:XFD1048576"`
// makes exceljs expand a data validation or merge into 17 billion cells. So we walk the central directory,
// inflate every entry ourselves with a hard output cap (declared sizes are not trusted), and read every XML
// entry with a real XML parser (saxes — the parser exceljs itself uses, so quoting, spacing, entities and
// character references mean to us exactly what they mean to exceljs) to add up what a reader would expand:
// range attributes (`ref`, `sqref`, `<xm:sqref>` text), column spans, rows and cells.
// The guard is linear in the inflated bytes; callers run it (and exceljs) in a worker (workbook-worker.ts).

import { posix } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { SaxesParser } from 'saxes';

export const XLSX_LIMITS = {
  /** Sum of inflated entry sizes. A full 1000-cadre template is ~2 MB inflated. */
  maxUncompressedBytes: 24 * 1024 * 1024,
  maxEntries: 200,
  /** Sum of the areas of every range a reader may expand (validations, formats, merges, filters…) over all parts. */
  maxRangeCells: 250_000,
  /** `<c>` elements over all sheets: the full template has ~45 000. */
  maxCells: 400_000,
  /** `<row>` elements over all sheets. */
  maxRows: 100_000,
  /** Sum of `<col min max>` spans (exceljs makes one object per column). Excel writes max="16384" per sheet. */
  maxColumns: 200_000,
} as const;

export type XlsxLimits = { readonly [K in keyof typeof XLSX_LIMITS]: number };

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

/**
 * Cells covered by a whitespace-separated list of ranges ("A1:B3 D4"). A ref we cannot read exactly (a whole
 * column, another sheet, a name) counts as too many: we refuse what we cannot bound.
 */
function rangeArea(sqref: string): number {
  let total = 0;
  for (const part of sqref.trim().split(/\s+/)) {
    if (part === '') continue;
    const ends = part.split(':');
    if (ends.length > 2) return Number.MAX_SAFE_INTEGER;
    const [a, b] = ends;
    const from = decodeCell(a ?? '');
    const to = b === undefined ? from : decodeCell(b);
    if (!from || !to) return Number.MAX_SAFE_INTEGER;
    total += (Math.abs(to.col - from.col) + 1) * (Math.abs(to.row - from.row) + 1);
  }
  return total;
}

/** Throws UnsafeWorkbook unless the bytes are a zip whose inflated content and declared ranges stay in bounds. */
/**
 * What the XML says that exceljs cannot tell us: the formula cells whose cached result is an empty text
 * (`<c t="str"><f>""</f><v></v></c>`, Calc's `=""`), by sheet name and cell. exceljs reads those exactly like
 * a formula with no cached value at all; the user sees an empty cell.
 */
export interface XlsxFacts {
  emptyFormulaResults: Map<string, Set<string>>;
}

export function checkXlsx(bytes: Uint8Array, limits: XlsxLimits = XLSX_LIMITS): XlsxFacts {
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
  const budget = new ExpansionBudget(limits);
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
    // Every entry that is XML is read as XML, whatever its name: exceljs finds parts by patterns that need not
    // match where we would look, and XML spells an attribute in many ways (quotes, spacing, entities).
    if (looksLikeXml(inflated)) budget.scan(name, inflated);
  }
  return budget.facts();
}

function looksLikeXml(bytes: Uint8Array): boolean {
  let i = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  while (
    i < bytes.length &&
    (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)
  )
    i++;
  // '<' in UTF-8, or a UTF-16 byte-order mark (exceljs would misread such a part; we refuse it below).
  return (
    bytes[i] === 0x3c || (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)
  );
}

const localName = (qname: string): string => qname.slice(qname.indexOf(':') + 1).toLowerCase();

/** Counts, across all XML parts, what a reader would expand; throws as soon as a bound is passed. */
class ExpansionBudget {
  private rangeCells = 0;
  private cells = 0;
  private rows = 0;
  private columns = 0;
  /** Per part: the refs of formula cells whose cached value is present and empty. */
  private readonly emptyResults = new Map<string, Set<string>>();
  /** xl/workbook.xml: sheet name → relationship id; its rels: relationship id → part. */
  private readonly sheetRels = new Map<string, string>();
  private readonly relTargets = new Map<string, string>();
  constructor(private readonly limits: XlsxLimits) {}

  /** The empty formula results by sheet name, through the workbook's sheet list and relationships. */
  facts(): XlsxFacts {
    const bySheet = new Map<string, Set<string>>();
    for (const [sheet, rid] of this.sheetRels) {
      const target = this.relTargets.get(rid);
      if (!target) continue;
      const part = target.startsWith('/') ? target.slice(1) : `xl/${target}`;
      const refs = this.emptyResults.get(posix.normalize(part));
      if (refs) bySheet.set(sheet, refs);
    }
    return { emptyFormulaResults: bySheet };
  }

  private addRange(part: string, value: string): void {
    this.rangeCells += rangeArea(value);
    if (this.rangeCells > this.limits.maxRangeCells)
      throw new UnsafeWorkbook('too_large', `ranges in ${part}`);
  }

  scan(part: string, bytes: Uint8Array): void {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new UnsafeWorkbook('not_workbook', `${part} is not UTF-8`);
    }
    const parser = new SaxesParser({ position: false });
    // Text of an element whose local name is sqref or ref (<xm:sqref> in x14 extension lists), collected whole.
    let rangeText: string[] | null = null;
    // The cell being read: its ref, whether it has a formula, its cached value's text once closed.
    let cell: { ref: string; formula: boolean; value: string[] | null; cached: string | null } | null = null;
    const isWorkbook = part === 'xl/workbook.xml';
    const isWorkbookRels = part === 'xl/_rels/workbook.xml.rels';
    parser.on('opentag', (tag) => {
      const el = localName(tag.name);
      if (isWorkbook && el === 'sheet') {
        const rid = Object.entries(tag.attributes).find(
          ([q]) => q.includes(':') && localName(q) === 'id',
        )?.[1];
        if (typeof tag.attributes.name === 'string' && typeof rid === 'string')
          this.sheetRels.set(tag.attributes.name, rid);
      }
      if (isWorkbookRels && el === 'relationship') {
        const { Id: id, Target: target } = tag.attributes as Record<string, unknown>;
        if (typeof id === 'string' && typeof target === 'string') this.relTargets.set(id, target);
      }
      if (el === 'f' && cell) cell.formula = true;
      if (el === 'v' && cell) cell.value = [];
      if (el === 'c') {
        const ref = tag.attributes.r;
        cell =
          typeof ref === 'string'
            ? { ref: ref.toUpperCase(), formula: false, value: null, cached: null }
            : null;
        if (++this.cells > this.limits.maxCells) throw new UnsafeWorkbook('too_large', `cells in ${part}`);
      } else if (el === 'row') {
        if (++this.rows > this.limits.maxRows) throw new UnsafeWorkbook('too_large', `rows in ${part}`);
      } else if (el === 'sqref' || el === 'ref') {
        rangeText = [];
      }
      for (const [qname, value] of Object.entries(tag.attributes)) {
        const attr = localName(qname);
        if (el === 'col' && (attr === 'min' || attr === 'max')) continue;
        // <dimension ref> is informational: exceljs reads it and allocates nothing from it.
        if ((attr === 'ref' || attr === 'sqref') && el !== 'dimension') this.addRange(part, String(value));
      }
      if (el === 'col') {
        const min = columnBound(tag.attributes, 'min');
        const max = columnBound(tag.attributes, 'max');
        this.columns += min === null || max === null || max < min ? Number.MAX_SAFE_INTEGER : max - min + 1;
        if (this.columns > this.limits.maxColumns)
          throw new UnsafeWorkbook('too_large', `columns in ${part}`);
      }
    });
    parser.on('text', (t) => {
      rangeText?.push(t);
      cell?.value?.push(t);
    });
    parser.on('cdata', (t) => {
      rangeText?.push(t);
      cell?.value?.push(t);
    });
    parser.on('closetag', (tag) => {
      const el = localName(tag.name);
      if (el === 'v' && cell?.value) {
        cell.cached = cell.value.join('');
        cell.value = null;
      }
      if (el === 'c' && cell) {
        if (cell.formula && cell.cached === '') {
          const refs = this.emptyResults.get(part) ?? new Set<string>();
          refs.add(cell.ref);
          this.emptyResults.set(part, refs);
        }
        cell = null;
      }
      if ((el === 'sqref' || el === 'ref') && rangeText) {
        this.addRange(part, rangeText.join(''));
        rangeText = null;
      }
    });
    try {
      parser.write(text).close();
    } catch (e) {
      if (e instanceof UnsafeWorkbook) throw e;
      throw new UnsafeWorkbook('not_workbook', `${part} is not well-formed XML`);
    }
  }
}

/** A column bound as exceljs would use it: an integer within the sheet's 16 384 columns, else null. */
function columnBound(attributes: Record<string, unknown>, name: 'min' | 'max'): number | null {
  const entry = Object.entries(attributes).find(([q]) => localName(q) === name);
  if (!entry) return null;
  const s = String(entry[1]).trim();
  if (!/^[0-9]{1,5}$/.test(s)) return null;
  const n = Number(s);
  return n >= 1 && n <= 16_384 ? n : null;
}
