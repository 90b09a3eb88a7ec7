// Mart tables, held columnar as Apache Arrow: what the API serves with `Accept: application/vnd.apache.arrow.stream`,
// how marts are persisted for the API Lambda to read in pure JavaScript, and the in-memory form of a mart (an
// order of magnitude smaller than the same rows as JS objects: bench/README.md, "Measured once").
//
// A MartTable is built once per refresh (fromRows) or read once per generation (fromIpc). Answers are selections
// of row indices: a contiguous selection (one year of a year-ordered mart) is an Arrow slice, encoded without
// copying values row by row; JSON is written column-wise from the Arrow buffers and is byte-identical to
// JSON.stringify of the row objects the engine returned.
import { Buffer } from 'node:buffer';
import {
  Bool,
  type Data,
  type DataType,
  Float64,
  Int32,
  makeData,
  makeVector,
  Table,
  Type,
  tableFromIPC,
  tableToIPC,
  Utf8,
  type Vector,
} from 'apache-arrow';
import type { SqlColumn, SqlRow, SqlValue } from '../ports/sql-engine.ts';

/** The Arrow type of an engine column (unchanged wire format: INTEGER → Int32, other numbers → Float64). */
function arrowType(t: string): Int32 | Float64 | Bool | Utf8 {
  const u = t.toUpperCase();
  if (u === 'BOOLEAN') return new Bool();
  if (['INTEGER', 'SMALLINT', 'TINYINT', 'INT', 'UTINYINT', 'USMALLINT'].includes(u)) return new Int32();
  // BIGINT values arrive as safe numbers (the engine port converts them deliberately); doubles stay doubles.
  if (
    ['BIGINT', 'HUGEINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT', 'DOUBLE', 'FLOAT', 'REAL', 'DECIMAL'].some((p) =>
      u.startsWith(p),
    )
  )
    return new Float64();
  return new Utf8();
}

/** The engine type name of an Arrow type (for tables read back from IPC). */
function typeName(type: DataType): string {
  if (type.typeId === Type.Bool) return 'BOOLEAN';
  if (type.typeId === Type.Int)
    return (type as unknown as { bitWidth: number }).bitWidth <= 32 ? 'INTEGER' : 'BIGINT';
  if (type.typeId === Type.Float || type.typeId === Type.Decimal) return 'DOUBLE';
  return 'VARCHAR';
}

/** One column of values, built straight into Arrow buffers (vectorFromArray took ~8× longer: ~5 s for a national kpi_commune_year). */
function buildVector(
  type: Int32 | Float64 | Bool | Utf8,
  n: number,
  get: (k: number) => SqlValue | undefined,
): Vector {
  const validity = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  const isNull = (k: number, v: SqlValue | undefined): boolean => {
    if (v === null || v === undefined) {
      nulls++;
      return true;
    }
    validity[k >> 3] = (validity[k >> 3] as number) | (1 << (k & 7));
    return false;
  };
  const nullBitmap = () => (nulls > 0 ? validity : undefined);
  if (type instanceof Utf8) {
    const strings: string[] = new Array(n);
    for (let k = 0; k < n; k++) {
      const v = get(k);
      strings[k] = isNull(k, v) ? '' : String(v);
    }
    // One encode for the whole column; per-string offsets from the string lengths when it is all ASCII (the
    // usual case: codes, enums, ISO instants), else from each string's UTF-8 length.
    const joined = strings.join('');
    const data = Buffer.from(joined, 'utf8');
    const ascii = data.length === joined.length;
    const offsets = new Int32Array(n + 1);
    let at = 0;
    for (let k = 0; k < n; k++) {
      const s = strings[k] as string;
      at += ascii ? s.length : Buffer.byteLength(s, 'utf8');
      offsets[k + 1] = at;
    }
    const values = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    return makeVector(
      makeData({
        type,
        length: n,
        nullCount: nulls,
        nullBitmap: nullBitmap(),
        valueOffsets: offsets,
        data: values,
      }),
    );
  }
  if (type instanceof Bool) {
    const bits = new Uint8Array((n + 7) >> 3);
    for (let k = 0; k < n; k++) {
      const v = get(k);
      if (!isNull(k, v) && v) bits[k >> 3] = (bits[k >> 3] as number) | (1 << (k & 7));
    }
    return makeVector(makeData({ type, length: n, nullCount: nulls, nullBitmap: nullBitmap(), data: bits }));
  }
  const values = type instanceof Int32 ? new Int32Array(n) : new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const v = get(k);
    if (!isNull(k, v)) values[k] = Number(v);
  }
  return makeVector(
    makeData({ type, length: n, nullCount: nulls, nullBitmap: nullBitmap(), data: values } as never),
  );
}

/** A growing byte buffer: JSON answers are written as bytes, copying string values straight from Arrow. */
export class ByteWriter {
  private buf: Buffer;
  length = 0;
  constructor(capacity = 1 << 16) {
    this.buf = Buffer.allocUnsafe(capacity);
  }
  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }
  /** Text whose characters are all < 0x80 (JSON punctuation, numbers): short, so copied by hand (a native write per value costs more). */
  ascii(s: string): void {
    const n = s.length;
    this.ensure(n);
    const b = this.buf;
    const at = this.length;
    for (let k = 0; k < n; k++) b[at + k] = s.charCodeAt(k);
    this.length = at + n;
  }
  utf8(s: string): void {
    this.ensure(Buffer.byteLength(s, 'utf8'));
    this.length += this.buf.write(s, this.length, 'utf8');
  }
  bytes(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    this.ensure(n);
    const b = this.buf;
    if (n < 48) for (let k = 0; k < n; k++) b[this.length + k] = src[start + k] as number;
    else b.set(src.subarray(start, end), this.length);
    this.length += n;
  }
  /** The bytes written; copied to their own buffer when the spare capacity is worth giving back (cached answers). */
  result(): Uint8Array {
    const view = new Uint8Array(this.buf.buffer, this.buf.byteOffset, this.length);
    return this.buf.length - this.length > 1 << 16 ? view.slice() : view;
  }
}

/** Reads one column by row index, straight from the Arrow buffers: its values, and its JSON text into a writer. */
export interface ColumnReader {
  readonly name: string;
  value(i: number): SqlValue;
  writeJson(i: number, w: ByteWriter): void;
}

function columnReader(name: string, vector: Vector): ColumnReader {
  const chunks = vector.data as Data[];
  const d = chunks[0];
  const plain = (v: unknown): SqlValue => (typeof v === 'bigint' ? Number(v) : ((v ?? null) as SqlValue));
  const generic = (value: (i: number) => SqlValue): ColumnReader => ({
    name,
    value,
    writeJson: (i, w) => w.utf8(JSON.stringify(value(i)) ?? 'null'),
  });
  // Fast paths need one chunk at offset 0 (what fromRows builds and one-batch IPC streams give); else Arrow's get().
  if (chunks.length !== 1 || !d || d.offset !== 0) return generic((i) => plain(vector.get(i)));
  const bitmap = d.nullBitmap as Uint8Array | undefined;
  const valid = d.nullCount === 0 || !bitmap || bitmap.length === 0 ? null : bitmap;
  const ok = (i: number) => valid === null || ((valid[i >> 3] as number) & (1 << (i & 7))) !== 0;
  const t = d.type.typeId;
  if (t === Type.Utf8) {
    const offsets = d.valueOffsets as Int32Array;
    const values = d.values as Uint8Array;
    const buf = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
    // Without a quote, backslash or control byte in the column, a value's JSON is its UTF-8 bytes in quotes
    // (JSON.stringify escapes nothing else): copied as bytes, no string made per value.
    let plainJson = true;
    for (let k = 0; k < values.length && plainJson; k++) {
      const b = values[k] as number;
      if (b === 0x22 || b === 0x5c || b < 0x20) plainJson = false;
    }
    const value = (i: number) =>
      ok(i) ? buf.toString('utf8', offsets[i] as number, offsets[i + 1] as number) : null;
    const writeJson = plainJson
      ? (i: number, w: ByteWriter) => {
          if (!ok(i)) return w.ascii('null');
          w.ascii('"');
          w.bytes(values, offsets[i] as number, offsets[i + 1] as number);
          w.ascii('"');
        }
      : (i: number, w: ByteWriter) => w.utf8(ok(i) ? JSON.stringify(value(i)) : 'null');
    return { name, value, writeJson };
  }
  if (t === Type.Bool) {
    const bits = d.values as Uint8Array;
    const value = (i: number) => (ok(i) ? ((bits[i >> 3] as number) & (1 << (i & 7))) !== 0 : null);
    return { name, value, writeJson: (i, w) => w.ascii(String(value(i))) };
  }
  if ((t === Type.Int && (d.type as unknown as { bitWidth: number }).bitWidth <= 32) || t === Type.Float) {
    const values = d.values as Int32Array | Float64Array;
    const value = (i: number) => (ok(i) ? (values[i] as number) : null);
    // As JSON.stringify: NaN and ±Infinity are null in JSON, as they were in the row objects.
    return {
      name,
      value,
      writeJson: (i, w) => w.ascii(ok(i) && Number.isFinite(values[i]) ? String(values[i]) : 'null'),
    };
  }
  return generic((i) => plain(vector.get(i)));
}

/** Row indices of a table, in table order. */
export type Selection = readonly number[];

export class MartTable {
  readonly columns: SqlColumn[];
  private readerCache: ColumnReader[] | null = null;
  private years: Map<number, number[]> | null = null;

  constructor(
    readonly arrow: Table,
    columns?: SqlColumn[],
  ) {
    this.columns = columns ?? arrow.schema.fields.map((f) => ({ name: f.name, type: typeName(f.type) }));
  }

  /** Builds the Arrow columns once from the engine's rows (the refresh); the rows can then be dropped. */
  static fromRows(columns: SqlColumn[], rows: readonly SqlRow[]): MartTable {
    const vectors = Object.fromEntries(
      columns.map((c) => [
        c.name,
        buildVector(arrowType(c.type), rows.length, (k) => (rows[k] as SqlRow)[c.name]),
      ]),
    );
    return new MartTable(new Table(vectors), columns);
  }

  static fromIpc(bytes: Uint8Array): MartTable {
    return new MartTable(tableFromIPC(bytes));
  }

  get numRows(): number {
    return this.arrow.numRows;
  }

  private readers(): ColumnReader[] {
    this.readerCache ??= this.arrow.schema.fields.map((f, i) =>
      columnReader(f.name, this.arrow.getChildAt(i) as Vector),
    );
    return this.readerCache;
  }

  reader(name: string): ColumnReader | undefined {
    return this.readers().find((r) => r.name === name);
  }

  /** The rows as plain objects — materialised on each call (tests, small tables); serving never needs them. */
  get rows(): SqlRow[] {
    return this.rowsAt(Array.from({ length: this.numRows }, (_, i) => i));
  }

  rowsAt(selection: Selection): SqlRow[] {
    const readers = this.readers();
    return selection.map((i) => {
      const row: SqlRow = {};
      for (const r of readers) row[r.name] = r.value(i);
      return row;
    });
  }

  /** Row indices per value of the `year` column, in table order (built once per table, i.e. per mart generation). */
  yearIndex(): Map<number, number[]> {
    if (this.years) return this.years;
    const years = new Map<number, number[]>();
    const year = this.reader('year');
    for (let i = 0; year && i < this.numRows; i++) {
      const y = Number(year.value(i));
      const list = years.get(y);
      if (list) list.push(i);
      else years.set(y, [i]);
    }
    this.years = years;
    return years;
  }

  /** Writes `[{…},{…}]`: the same text as JSON.stringify of the engine's row objects, as UTF-8. */
  writeJsonRows(w: ByteWriter, selection?: Selection): void {
    const readers = this.readers();
    const keys = readers.map((r, k) =>
      Buffer.from(`${k === 0 ? '{' : ','}${JSON.stringify(r.name)}:`, 'utf8'),
    );
    const n = selection ? selection.length : this.numRows;
    w.ascii('[');
    for (let k = 0; k < n; k++) {
      const i = selection ? (selection[k] as number) : k;
      if (k > 0) w.ascii(',');
      if (readers.length === 0) w.ascii('{');
      for (let c = 0; c < readers.length; c++) {
        const key = keys[c] as Buffer;
        w.bytes(key, 0, key.length);
        (readers[c] as ColumnReader).writeJson(i, w);
      }
      w.ascii('}');
    }
    w.ascii(']');
  }

  /** `[{…},{…}]` as a string (tests, small answers). */
  jsonRows(selection?: Selection): string {
    const w = new ByteWriter();
    this.writeJsonRows(w, selection);
    return Buffer.from(w.result()).toString('utf8');
  }

  /** An Arrow IPC stream of the selected rows (all by default): a slice when they are contiguous. */
  toIpc(selection?: Selection): Uint8Array {
    if (!selection || (selection.length === this.numRows && this.numRows > 0 && isContiguous(selection)))
      return tableToIPC(this.arrow, 'stream');
    if (isContiguous(selection)) {
      const first = selection.length === 0 ? 0 : (selection[0] as number);
      return tableToIPC(this.arrow.slice(first, first + selection.length), 'stream');
    }
    const readers = this.readers();
    const vectors = Object.fromEntries(
      this.columns.map((c, k) => {
        const r = readers[k] as ColumnReader;
        return [
          c.name,
          buildVector(arrowType(c.type), selection.length, (j) => r.value(selection[j] as number)),
        ];
      }),
    );
    return tableToIPC(new Table(vectors), 'stream');
  }
}

function isContiguous(s: Selection): boolean {
  return s.length === 0 || (s[s.length - 1] as number) - (s[0] as number) === s.length - 1;
}

/** Rows → Arrow IPC (kept for callers holding row objects). */
export function toArrowIpc(
  table: { columns: SqlColumn[]; rows: readonly SqlRow[] },
  rows: readonly SqlRow[] = table.rows,
): Uint8Array {
  return MartTable.fromRows(table.columns, rows).toIpc();
}
