// Arrow IPC → plain row objects. The API prefers Arrow for tables (docs/interfaces.md); the page code sees the same
// rows it would get from JSON.
//
// Decoding is column-wise and reads Arrow's buffers directly. Asking `vector.get(i)` cell by cell (chunk lookup,
// visitor dispatch, one TextDecoder call per string, a new property per cell) was several times slower than
// JSON.parse of the same rows (bench/README.md, "Measured once"). Now:
// - each string column is decoded with one TextDecoder call, and its cells are slices of that text;
// - the rows are built by code made for the table's shape (as d3-dsv's objectConverter does): one object
//   literal per row, reading each column's typed array, validity bitmap or text in place — no per-cell calls,
//   no intermediate arrays, one object shape;
// - what that code cannot read in place (several record batches, dictionaries, 64-bit integers, timestamps, …)
//   is first turned into one array per column, with the same conversions as before.
// Where a Content-Security-Policy forbids `new Function`, every column becomes an array and rows are filled in
// a loop: the same rows, slower.
// Kept over @uwdata/flechette for now (bench/README.md, "Arrow decoding"): as fast under the dashboard's CSP,
// but 2.6 throws on a dictionary column of an empty answer (no dictionary batch in the stream), and 2.7 cannot
// be installed from this registry.
import {
  type Data,
  type DataType,
  makeVector,
  Precision,
  Type,
  tableFromIPC,
  type Vector,
} from 'apache-arrow';

/**
 * 64-bit integers arrive as BigInt: counts become numbers only when they are safe integers; anything larger
 * stays a decimal string rather than silently losing digits (identifiers stay strings anyway).
 */
export function safeNumber(value: bigint): number | string {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value.toString();
}

/** One cell as `vector.get` returns it → the JSON form (the slow path, and the reference for the fast ones). */
function convert(value: unknown, type: DataType): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') {
    // Timestamps in a 64-bit unit still arrive as BigInt in some readers: milliseconds → ISO.
    if (type.typeId === Type.Timestamp) return new Date(Number(value)).toISOString();
    return safeNumber(value);
  }
  // Timestamps and dates come back as epoch milliseconds: the API's JSON form is an ISO string.
  if ((type.typeId === Type.Timestamp || type.typeId === Type.Date) && typeof value === 'number') {
    return new Date(value).toISOString();
  }
  return value;
}

type Cells = ArrayLike<unknown>;

/** The validity bitmap when a chunk has nulls, else null (Arrow's own rule: Data.getValid). */
function nullBitmap(data: Data): Uint8Array | null {
  const bitmap = data.nullBitmap as Uint8Array | undefined;
  return data.nullCount > 0 && bitmap && bitmap.byteLength > 0 ? bitmap : null;
}

const isNull = (bitmap: Uint8Array, pos: number) => ((bitmap[pos >> 3] ?? 0) & (1 << (pos & 7))) === 0;

/** 8/16/32-bit integers and 32/64-bit floats: the values buffer is a typed array of JS numbers. */
function isNumeric(type: DataType): boolean {
  if (type.typeId === Type.Int) return (type as unknown as { bitWidth: number }).bitWidth <= 32;
  if (type.typeId === Type.Float)
    return (type as unknown as { precision: Precision }).precision !== Precision.HALF;
  return false;
}

const isString = (type: DataType) => type.typeId === Type.Utf8 || type.typeId === Type.LargeUtf8;

// Byte-order marks are kept, as JSON keeps them (Arrow's own `get` drops a BOM at the start of each string).
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const encoder = new TextEncoder();

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A string chunk as one text: cell i is `text.slice(units[i], units[i + 1])`. */
interface ChunkText {
  text: string;
  units: ArrayLike<number>;
}

/**
 * One TextDecoder call for the whole chunk. Byte offsets map to UTF-16 offsets by counting lead bytes (a 4-byte
 * sequence is two UTF-16 units), which is only right for valid UTF-8: a chunk that does not survive a
 * decode/encode round trip (malformed bytes, which the decoder replaces) gives null, and is decoded cell by cell.
 */
function chunkText(data: Data): ChunkText | null {
  const bytes = data.values as Uint8Array;
  // LargeUtf8 has 64-bit offsets: as numbers they are exact far beyond what a browser can hold.
  const offsets: ArrayLike<number> =
    data.valueOffsets instanceof BigInt64Array
      ? Float64Array.from(data.valueOffsets, Number)
      : (data.valueOffsets as Int32Array);
  const n = data.length;
  const first = offsets[0] ?? 0;
  const chunk = bytes.subarray(first, offsets[n] ?? first);
  const text = decoder.decode(chunk);
  let ascii = true;
  for (let i = 0; i < chunk.length; i++) {
    if ((chunk[i] ?? 0) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    // Byte offsets are character offsets.
    if (first === 0 && !(offsets instanceof Float64Array)) return { text, units: offsets };
    return { text, units: Int32Array.from({ length: n + 1 }, (_, i) => (offsets[i] ?? first) - first) };
  }
  if (!sameBytes(encoder.encode(text), chunk)) return null;
  const units = new Int32Array(n + 1);
  let byte = first;
  let unit = 0;
  for (let i = 0; i < n; i++) {
    const end = offsets[i + 1] ?? byte;
    for (; byte < end; byte++) {
      const b = bytes[byte] ?? 0;
      if (b < 0x80 || (b >= 0xc0 && b < 0xf0)) unit += 1;
      else if (b >= 0xf0) unit += 2;
    }
    units[i + 1] = unit;
  }
  return { text, units };
}

// --- columns as arrays (any type, any number of chunks) --------------------------------------------------------

function numbers(data: Data, out: unknown[], at: number): void {
  const values = data.values as ArrayLike<number>;
  const bitmap = nullBitmap(data);
  const offset = data.offset;
  for (let i = 0, n = data.length; i < n; i++) {
    out[at + i] = bitmap && isNull(bitmap, offset + i) ? null : values[i];
  }
}

function bigints(data: Data, out: unknown[], at: number): void {
  const values = data.values as ArrayLike<bigint>;
  const bitmap = nullBitmap(data);
  const offset = data.offset;
  for (let i = 0, n = data.length; i < n; i++) {
    const value = values[i];
    out[at + i] = value === undefined || (bitmap && isNull(bitmap, offset + i)) ? null : safeNumber(value);
  }
}

function booleans(data: Data, out: unknown[], at: number): void {
  const bits = data.values as Uint8Array;
  const bitmap = nullBitmap(data);
  const offset = data.offset;
  for (let i = 0, n = data.length; i < n; i++) {
    const pos = offset + i;
    out[at + i] = bitmap && isNull(bitmap, pos) ? null : ((bits[pos >> 3] ?? 0) & (1 << (pos & 7))) !== 0;
  }
}

function strings(data: Data, out: unknown[], at: number): void {
  const bitmap = nullBitmap(data);
  const offset = data.offset;
  const whole = chunkText(data);
  const bytes = data.values as Uint8Array;
  const offsets = data.valueOffsets as ArrayLike<number | bigint>;
  for (let i = 0, n = data.length; i < n; i++) {
    if (bitmap && isNull(bitmap, offset + i)) out[at + i] = null;
    else if (whole) out[at + i] = whole.text.slice(whole.units[i], whole.units[i + 1]);
    else out[at + i] = decoder.decode(bytes.subarray(Number(offsets[i]), Number(offsets[i + 1])));
  }
}

/** Dictionary-encoded columns: the dictionary is decoded once (as a column of its value type), then indexed. */
function dictionary(data: Data, out: unknown[], at: number, seen: Map<Vector, Cells>): void {
  const dict = data.dictionary;
  let entries: Cells = [];
  if (dict) {
    entries = seen.get(dict) ?? columnCells(dict, dict.type, dict.length);
    seen.set(dict, entries);
  }
  const indices = data.values as ArrayLike<number | bigint>;
  const bitmap = nullBitmap(data);
  const offset = data.offset;
  for (let i = 0, n = data.length; i < n; i++) {
    const value = bitmap && isNull(bitmap, offset + i) ? null : entries[Number(indices[i])];
    out[at + i] = value === undefined ? null : value;
  }
}

/** Any other type: `get` cell by cell, converted as before. */
function generic(data: Data, type: DataType, out: unknown[], at: number): void {
  const vector = makeVector(data);
  for (let i = 0, n = data.length; i < n; i++) out[at + i] = convert(vector.get(i), type);
}

function columnCells(vector: Vector | null, type: DataType, rows: number): Cells {
  const chunks = vector?.data ?? [];
  const out: unknown[] = new Array(rows).fill(null);
  const dictionaries = new Map<Vector, Cells>();
  let at = 0;
  for (const data of chunks) {
    if (isNumeric(type)) numbers(data, out, at);
    else if (type.typeId === Type.Int) bigints(data, out, at);
    else if (type.typeId === Type.Bool) booleans(data, out, at);
    else if (isString(type)) strings(data, out, at);
    else if (type.typeId === Type.Dictionary) dictionary(data, out, at, dictionaries);
    else generic(data, type, out, at);
    at += data.length;
  }
  return out;
}

// --- columns read in place by generated code ------------------------------------------------------------------

/**
 * A column as the row builder reads it: `values` (typed array, bits, unit offsets or a ready array), `text` for
 * strings, the validity `bitmap` and its bit `offset`. `kind` says which expression reads cell `r`.
 */
interface Reader {
  kind: 'cells' | 'number' | 'bool' | 'text';
  values: ArrayLike<unknown>;
  text: string;
  bitmap: Uint8Array | null;
  offset: number;
}

function reader(vector: Vector | null, type: DataType, rows: number): Reader {
  const only = vector?.data.length === 1 ? vector.data[0] : undefined;
  if (only && only.length === rows) {
    const bitmap = nullBitmap(only);
    const offset = only.offset;
    if (isNumeric(type)) return { kind: 'number', values: only.values as Cells, text: '', bitmap, offset };
    if (type.typeId === Type.Bool)
      return { kind: 'bool', values: only.values as Cells, text: '', bitmap, offset };
    const whole = isString(type) ? chunkText(only) : null;
    if (whole) return { kind: 'text', values: whole.units, text: whole.text, bitmap, offset };
  }
  return { kind: 'cells', values: columnCells(vector, type, rows), text: '', bitmap: null, offset: 0 };
}

/** The expression for cell r of column c (locals v<c>, t<c>, b<c>, o<c>). */
function cellExpression(c: number, r: Reader): string {
  const value =
    r.kind === 'number' || r.kind === 'cells'
      ? `v${c}[r]`
      : r.kind === 'bool'
        ? `(v${c}[(o${c} + r) >> 3] & (1 << ((o${c} + r) & 7))) !== 0`
        : `t${c}.slice(v${c}[r], v${c}[r + 1])`;
  return r.bitmap ? `(b${c}[(o${c} + r) >> 3] & (1 << ((o${c} + r) & 7))) === 0 ? null : ${value}` : value;
}

type RowBuilder = (readers: Reader[], rows: number) => Record<string, unknown>[];

// The API has a handful of table shapes: each gets its code once (and the engine optimises it once).
const builders = new Map<string, RowBuilder | null>();

function rowBuilder(names: string[], readers: Reader[]): RowBuilder | null {
  const key = JSON.stringify([names, readers.map((r) => [r.kind, r.bitmap !== null])]);
  if (builders.has(key)) return builders.get(key) ?? null;
  if (builders.size >= 64) builders.clear(); // not a page's tables: something generating shapes
  const locals = readers
    .map(
      (_, c) => `const v${c} = readers[${c}].values, t${c} = readers[${c}].text,
      b${c} = readers[${c}].bitmap, o${c} = readers[${c}].offset;`,
    )
    .join('\n');
  // JSON.stringify makes each name a safe string literal; `__proto__` is written as a computed key, which
  // makes an own property (as JSON.parse does) instead of setting the prototype.
  const props = names.map((name, c) => {
    const key = JSON.stringify(name);
    return `${name === '__proto__' ? `[${key}]` : key}: ${cellExpression(c, readers[c] as Reader)}`;
  });
  let builder: RowBuilder | null = null;
  try {
    builder = new Function(
      'readers',
      'n',
      `${locals}
      const rows = new Array(n);
      for (let r = 0; r < n; r++) rows[r] = { ${props.join(', ')} };
      return rows;`,
    ) as RowBuilder;
  } catch {
    // No `new Function` here (Content-Security-Policy): rowsByLoop.
  }
  builders.set(key, builder);
  return builder;
}

interface Column {
  name: string;
  vector: Vector | null;
  type: DataType;
}

/** Without generated code: every column as an array, rows copied from a template and filled in. */
function rowsByLoop(columns: Column[], n: number) {
  const names = columns.map((c) => c.name);
  const cells = columns.map((c) => columnCells(c.vector, c.type, n));
  const template: Record<string, unknown> = {};
  for (const name of names) {
    Object.defineProperty(template, name, {
      value: null,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }
  const rows: Record<string, unknown>[] = new Array(n);
  for (let r = 0; r < n; r++) {
    const row = { ...template };
    names.forEach((name, c) => {
      row[name] = cells[c]?.[r];
    });
    rows[r] = row;
  }
  return rows;
}

export function rowsFromArrow<T = Record<string, unknown>>(bytes: ArrayBuffer | Uint8Array): T[] {
  const table = tableFromIPC(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
  const n = table.numRows;
  // A repeated column name keeps its first column, as a lookup by name would.
  const columns: Column[] = [];
  table.schema.fields.forEach((field, i) => {
    if (!columns.some((c) => c.name === field.name)) {
      columns.push({ name: field.name, vector: table.getChildAt(i), type: field.type });
    }
  });
  if (!canGenerate()) return rowsByLoop(columns, n) as T[];
  const readers = columns.map((c) => reader(c.vector, c.type, n));
  const build = rowBuilder(
    columns.map((c) => c.name),
    readers,
  );
  return (build ? build(readers, n) : rowsByLoop(columns, n)) as T[];
}

let generated: boolean | undefined;

/** Whether this page may generate code (a Content-Security-Policy without 'unsafe-eval' forbids it). */
function canGenerate(): boolean {
  if (generated === undefined) {
    try {
      generated = typeof new Function('return 1') === 'function';
    } catch {
      generated = false;
    }
  }
  return generated;
}
