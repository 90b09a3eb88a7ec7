// Arrow IPC → rows: 64-bit integers become numbers only when safe, timestamps become ISO strings, NULL stays null.
import {
  Bool,
  Float64,
  Int32,
  Int64,
  Table,
  TimestampMillisecond,
  tableToIPC,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { rowsFromArrow, safeNumber } from '../../web/src/lib/arrow.ts';

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
