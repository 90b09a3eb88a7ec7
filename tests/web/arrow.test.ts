// Arrow IPC → rows: 64-bit integers become numbers only when safe, timestamps become ISO strings, NULL stays null;
// and for any table, the rows are exactly the rows the JSON answer would give (property tests).

import { toArrowIpc } from '@scorecard/functions/marts/arrow.ts';
import { rowsFromArrow, safeNumber } from '@scorecard/web/lib/arrow.ts';
import {
  Bool,
  type DataType,
  Dictionary,
  Float64,
  Int32,
  Int64,
  Table,
  TimestampMillisecond,
  tableToIPC,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';

describe('rowsFromArrow', () => {
  it('reads the API column types into the JSON shape', () => {
    const table = new Table({
      year: vectorFromArray([2026, 2027], new Int32()),
      commune_code: vectorFromArray(['28249', null], new Utf8()),
      numerator: vectorFromArray([854n, null], new Int64()),
      value_pct: vectorFromArray([86.26262626262626, null], new Float64()),
      met: vectorFromArray([false, null], new Bool()),
      received_at: vectorFromArray([new Date('2026-11-05T16:59:59.123Z'), null], new TimestampMillisecond()),
    });
    const rows = rowsFromArrow(tableToIPC(table, 'stream'));
    expect(rows).toEqual([
      {
        year: 2026,
        commune_code: '28249',
        numerator: 854,
        value_pct: 86.26262626262626,
        met: false,
        received_at: '2026-11-05T16:59:59.123Z',
      },
      { year: 2027, commune_code: null, numerator: null, value_pct: null, met: null, received_at: null },
    ]);
    expect(typeof rows[0]?.numerator).toBe('number');
  });

  it('keeps a 64-bit value beyond 2^53 as an exact decimal string rather than losing digits', () => {
    expect(safeNumber(9007199254740993n)).toBe('9007199254740993');
    expect(safeNumber(-9007199254740993n)).toBe('-9007199254740993');
    expect(safeNumber(9007199254740991n)).toBe(9007199254740991);
    const table = new Table({ big: vectorFromArray([9007199254740993n], new Int64()) });
    expect(rowsFromArrow(tableToIPC(table, 'stream'))).toEqual([{ big: '9007199254740993' }]);
  });

  it('reads an empty table as no rows', () => {
    const table = new Table({ kpi: vectorFromArray([] as string[], new Utf8()) });
    expect(rowsFromArrow(tableToIPC(table, 'stream'))).toEqual([]);
  });
});

// --- property tests -------------------------------------------------------------------------------------------
// A random table is made as JSON rows first (what `Accept: application/json` would give), then encoded as Arrow;
// decoding it must give those rows back exactly.

type Json = string | number | boolean | null;
interface ColumnSpec {
  kind: 'int32' | 'float64' | 'int64' | 'utf8' | 'bool' | 'timestamp' | 'dictionary';
  nullable: boolean;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Per kind: the JSON value, and how it goes into Arrow. */
const KINDS = {
  int32: {
    json: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    arrow: (v: Json) => v,
    type: () => new Int32(),
  },
  // JSON has no -0 (JSON.stringify(-0) is "0"), NaN or Infinity (both become null): not JSON values.
  float64: {
    json: fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x)),
    arrow: (v: Json) => v,
    type: () => new Float64(),
  },
  // Safe 64-bit integers are numbers, the others exact decimal strings (safeNumber).
  int64: {
    json: fc
      .oneof(fc.bigInt({ min: INT64_MIN, max: INT64_MAX }), fc.integer().map(BigInt))
      .map((b) => safeNumber(b)),
    arrow: (v: Json) => (v === null ? null : BigInt(v as number | string)),
    type: () => new Int64(),
  },
  // Any code point (a byte-order mark, NUL, astral planes) except lone surrogates, which UTF-8 cannot carry.
  utf8: { json: fc.string({ unit: 'binary', maxLength: 12 }), arrow: (v: Json) => v, type: () => new Utf8() },
  bool: { json: fc.boolean(), arrow: (v: Json) => v, type: () => new Bool() },
  timestamp: {
    json: fc
      .date({ noInvalidDate: true, min: new Date('1900-01-01'), max: new Date('2200-01-01') })
      .map((d) => d.toISOString()),
    arrow: (v: Json) => (v === null ? null : new Date(v as string)),
    type: () => new TimestampMillisecond(),
  },
  dictionary: {
    json: fc.constantFrom('gt', 'gte', 'Phường Đạo Thạnh', '', '\ufeffBOM', '𝔁'),
    arrow: (v: Json) => v,
    type: () => new Dictionary(new Utf8(), new Int32()),
  },
} satisfies Record<
  ColumnSpec['kind'],
  { json: fc.Arbitrary<Json>; arrow: (v: Json) => unknown; type: () => DataType }
>;

const specArb: fc.Arbitrary<ColumnSpec> = fc.record({
  kind: fc.constantFrom(...(Object.keys(KINDS) as ColumnSpec['kind'][])),
  nullable: fc.boolean(),
});

// Column names as the API has them, plus the awkward ones (an integer-like name, "__proto__", non-ASCII).
const nameArb = fc.oneof(
  fc.stringMatching(/^[a-z_][a-z0-9_]{0,12}$/),
  fc.constantFrom('__proto__', '7', 'tên xã', 'constructor', 'a"b\\c'),
);

const tableArb = fc
  .uniqueArray(fc.tuple(nameArb, specArb), { minLength: 1, maxLength: 8, selector: ([name]) => name })
  .chain((columns) =>
    fc.record({
      columns: fc.constant(columns),
      rows: fc.array(
        fc.tuple(
          ...columns.map(([, spec]): fc.Arbitrary<Json> => {
            const value: fc.Arbitrary<Json> = KINDS[spec.kind].json;
            return spec.nullable ? fc.option(value, { freq: 4 }) : value;
          }),
        ),
        { maxLength: 40 },
      ),
      // Where the rows are cut into record batches (one Arrow chunk each).
      cuts: fc.uniqueArray(fc.integer({ min: 1, max: 39 }), { maxLength: 3 }),
    }),
  );

/** JSON rows → an Arrow stream of one or more record batches (of the rows from..to, when given: a slice). */
function toArrow(
  columns: [string, ColumnSpec][],
  rows: Json[][],
  cuts: number[],
  window?: [from: number, to: number],
): Uint8Array {
  const types = columns.map(([, spec]) => KINDS[spec.kind].type());
  const bounds = [0, ...cuts.filter((c) => c < rows.length).sort((a, b) => a - b), rows.length];
  const batches = bounds.slice(1).flatMap((end, b) => {
    const part = rows.slice(bounds[b], end);
    const vectors = Object.fromEntries(
      columns.map(([name, spec], c) => [
        name,
        vectorFromArray(part.map((r) => KINDS[spec.kind].arrow(r[c] ?? null)) as never[], types[c] as never),
      ]),
    );
    return new Table(vectors).batches;
  });
  const table = new Table(batches);
  return tableToIPC(window ? table.slice(...window) : table, 'stream');
}

function jsonRows(columns: [string, ColumnSpec][], rows: Json[][]): Record<string, Json>[] {
  const objects = rows.map((r) => {
    // fromEntries defines own properties: a "__proto__" column is a column, as in JSON.
    return Object.fromEntries(columns.map(([name], c) => [name, r[c] ?? null]));
  });
  return JSON.parse(JSON.stringify(objects));
}

describe('rowsFromArrow, for any table', () => {
  it('gives exactly the JSON rows: every type, nulls, several record batches, awkward names', () => {
    fc.assert(
      fc.property(tableArb, ({ columns, rows, cuts }) => {
        expect(rowsFromArrow(toArrow(columns, rows, cuts))).toStrictEqual(jsonRows(columns, rows));
      }),
      { numRuns: 300 },
    );
  });

  it('gives exactly the JSON rows of a slice (how the API answers one year of a mart)', () => {
    fc.assert(
      fc.property(tableArb, fc.nat(), fc.nat(), ({ columns, rows, cuts }, a, b) => {
        const from = rows.length ? a % rows.length : 0;
        const to = from + (rows.length ? b % (rows.length - from + 1) : 0);
        expect(rowsFromArrow(toArrow(columns, rows, cuts, [from, to]))).toStrictEqual(
          jsonRows(columns, rows).slice(from, to),
        );
      }),
      { numRuns: 150 },
    );
  });

  it('gives exactly the JSON rows for what the API encodes (the marts’ own Arrow writer)', () => {
    const ENGINE_TYPES = { int32: 'INTEGER', float64: 'DOUBLE', utf8: 'VARCHAR', bool: 'BOOLEAN' } as const;
    const apiTable = fc
      .uniqueArray(
        fc.tuple(
          fc.stringMatching(/^[a-z_][a-z0-9_]{0,12}$/),
          fc.constantFrom('int32', 'float64', 'utf8', 'bool', 'bigint'),
        ),
        {
          minLength: 1,
          maxLength: 12,
          selector: ([name]) => name,
        },
      )
      .chain((columns) =>
        fc.record({
          columns: fc.constant(columns),
          rows: fc.array(
            fc.tuple(
              ...columns.map(([, kind]) => {
                // BIGINT counts reach the API as safe integers (the engine port converts them deliberately).
                const value: fc.Arbitrary<Json> = kind === 'bigint' ? fc.maxSafeInteger() : KINDS[kind].json;
                return fc.option(value, { freq: 4 });
              }),
            ),
            { maxLength: 60 },
          ),
        }),
      );
    fc.assert(
      fc.property(apiTable, ({ columns, rows }) => {
        const objects = rows.map((r) => Object.fromEntries(columns.map(([name], c) => [name, r[c] ?? null])));
        const bytes = toArrowIpc({
          columns: columns.map(([name, kind]) => ({
            name,
            type: kind === 'bigint' ? 'BIGINT' : ENGINE_TYPES[kind],
          })),
          rows: objects,
        });
        expect(rowsFromArrow(bytes)).toStrictEqual(JSON.parse(JSON.stringify(objects)));
      }),
      { numRuns: 150 },
    );
  });

  it('gives the same rows where a Content-Security-Policy forbids generated code', async () => {
    // A fresh copy of the module, which finds `new Function` refused the first time it tries.
    vi.resetModules();
    const csp = await import('@scorecard/web/lib/arrow.ts');
    const refuse = new Proxy(Function, {
      construct() {
        throw new EvalError('Refused to evaluate a string as JavaScript (unsafe-eval)');
      },
    });
    const decodeUnderCsp = (bytes: Uint8Array) => {
      vi.stubGlobal('Function', refuse);
      try {
        return csp.rowsFromArrow(bytes);
      } finally {
        vi.unstubAllGlobals();
      }
    };
    fc.assert(
      fc.property(tableArb, ({ columns, rows, cuts }) => {
        expect(decodeUnderCsp(toArrow(columns, rows, cuts))).toStrictEqual(jsonRows(columns, rows));
      }),
      { numRuns: 100 },
    );
  });

  it('decodes malformed UTF-8 as the per-string decoder would (replacement characters), not shifted', () => {
    const table = new Table({ s: vectorFromArray(['ok', 'Xã', 'end'], new Utf8()) });
    const bytes = tableToIPC(table, 'stream');
    // Corrupt the "ã" (C3 A3) into a lone continuation byte pair: A3 A3.
    const at = bytes.findIndex((b, i) => b === 0xc3 && bytes[i + 1] === 0xa3);
    expect(at).toBeGreaterThan(0);
    bytes[at] = 0xa3;
    expect(rowsFromArrow(bytes)).toEqual([{ s: 'ok' }, { s: 'X\ufffd\ufffd' }, { s: 'end' }]);
  });
});
