// The Athena adapter with aws-sdk-client-mock: the protocol (start → poll with backoff → page results), the
// shape of Athena's answers (every value a string, NULL a missing field, the header row on the first page
// only), failure and timeout — and the promise of the SqlEngine port: the same typed rows DuckDB gives.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AthenaClient,
  type ColumnInfo,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type Row,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import {
  AthenaEngine,
  AthenaQueryError,
  toAthenaPlaceholders,
} from '@scorecard/functions/adapters/athena-engine.ts';
import { ManualClock } from '@scorecard/functions/ports/clock.ts';
import { openWarehouse } from '@scorecard/functions/warehouse/duckdb-warehouse.ts';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const col = (Name: string, Type: string): ColumnInfo => ({ Name, Label: Name, Type });
const row = (...values: (string | undefined)[]): Row => ({
  Data: values.map((v) => (v === undefined ? {} : { VarCharValue: v })),
});

function engineWith(setup: (m: ReturnType<typeof mockClient>) => void, extra: { timeoutMs?: number } = {}) {
  const athena = new AthenaClient({ region: 'ap-southeast-1' });
  const mock = mockClient(athena);
  mock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
  setup(mock);
  const clock = new ManualClock('2026-11-06T00:00:00Z');
  const sleeps: number[] = [];
  const engine = new AthenaEngine({
    athena,
    workGroup: 'scorecard-analysts',
    database: 'commune_scorecard',
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.advance(ms);
    },
    now: () => clock.now().getTime(),
    ...(extra.timeoutMs ? { defaultTimeoutMs: extra.timeoutMs } : {}),
  });
  return { engine, mock, sleeps };
}

const succeeded = {
  QueryExecution: { Status: { State: 'SUCCEEDED' as const }, StatementType: 'DML' as const },
};

describe('Athena engine: protocol', () => {
  it('starts the query in its workgroup and database, with ExecutionParameters as literals', async () => {
    const { engine, mock } = engineWith((m) => {
      m.on(GetQueryExecutionCommand).resolves(succeeded);
      m.on(GetQueryResultsCommand).resolves({
        ResultSet: { ResultSetMetadata: { ColumnInfo: [col('n', 'bigint')] }, Rows: [row('n'), row('1')] },
      });
    });
    await engine.query(
      "SELECT count(*) AS n FROM cadres WHERE commune_code = $1 AND year = $2 AND org_unit <> 'a$1' AND note = $1",
      {
        params: ["O'Neil", 2026],
      },
    );
    const input = mock.commandCalls(StartQueryExecutionCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      WorkGroup: 'scorecard-analysts',
      QueryExecutionContext: { Database: 'commune_scorecard' },
      QueryString:
        "SELECT count(*) AS n FROM cadres WHERE commune_code = ? AND year = ? AND org_unit <> 'a$1' AND note = ?",
      ExecutionParameters: ["'O''Neil'", '2026', "'O''Neil'"],
    });
    // The workgroup enforces the output location: the client never sends one.
    expect(input?.ResultConfiguration).toBeUndefined();
  });

  it('sends no ExecutionParameters when there are none (Athena rejects an empty list)', async () => {
    const { engine, mock } = engineWith((m) => {
      m.on(GetQueryExecutionCommand).resolves({
        QueryExecution: { Status: { State: 'SUCCEEDED' }, StatementType: 'DDL' },
      });
      m.on(GetQueryResultsCommand).resolves({
        ResultSet: { ResultSetMetadata: { ColumnInfo: [] }, Rows: [] },
      });
    });
    const r = await engine.query('CREATE OR REPLACE VIEW v AS SELECT 1 AS x');
    expect(r).toEqual({ columns: [], rows: [], truncated: false });
    expect(
      mock.commandCalls(StartQueryExecutionCommand)[0]?.args[0].input.ExecutionParameters,
    ).toBeUndefined();
  });

  it('polls with backoff from 100 ms doubling to at most 2 s', async () => {
    const states = [
      'QUEUED',
      'RUNNING',
      'RUNNING',
      'RUNNING',
      'RUNNING',
      'RUNNING',
      'RUNNING',
      'SUCCEEDED',
    ] as const;
    const { engine, sleeps } = engineWith((m) => {
      let i = 0;
      m.on(GetQueryExecutionCommand).callsFake(() => ({
        QueryExecution: { Status: { State: states[i++] }, StatementType: 'DML' },
      }));
      m.on(GetQueryResultsCommand).resolves({
        ResultSet: { ResultSetMetadata: { ColumnInfo: [col('x', 'integer')] }, Rows: [row('x'), row('1')] },
      });
    });
    await engine.query('SELECT 1 AS x');
    expect(sleeps).toEqual([100, 200, 400, 800, 1600, 2000, 2000]);
  });

  it("a failed query is an error with Athena's reason", async () => {
    const { engine } = engineWith((m) => {
      m.on(GetQueryExecutionCommand).resolves({
        QueryExecution: {
          Status: {
            State: 'FAILED',
            StateChangeReason: "COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved",
          },
        },
      });
    });
    const err = await engine.query('SELECT nope FROM cadres').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AthenaQueryError);
    expect(err).toMatchObject({
      code: 'athena_failed',
      queryExecutionId: 'q-1',
      message: expect.stringContaining('COLUMN_NOT_FOUND'),
    });
  });

  it('a cancelled query is an error too', async () => {
    const { engine } = engineWith((m) =>
      m.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'CANCELLED' } } }),
    );
    await expect(engine.query('SELECT 1')).rejects.toMatchObject({ code: 'athena_cancelled' });
  });

  it('times out, and stops the query on Athena so it stops scanning', async () => {
    const { engine, mock, sleeps } = engineWith((m) => {
      m.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'RUNNING' } } });
      m.on(StopQueryExecutionCommand).resolves({});
    });
    await expect(engine.query('SELECT * FROM cadres', { timeoutMs: 3_000 })).rejects.toMatchObject({
      code: 'athena_timeout',
    });
    expect(sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(3_000);
    expect(mock.commandCalls(StopQueryExecutionCommand)[0]?.args[0].input).toEqual({
      QueryExecutionId: 'q-1',
    });
  });

  it('the default timeout applies when the caller gives none', async () => {
    const { engine } = engineWith(
      (m) => m.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'QUEUED' } } }),
      {
        timeoutMs: 500,
      },
    );
    await expect(engine.query('SELECT 1')).rejects.toMatchObject({ code: 'athena_timeout' });
  });
});

describe('Athena engine: results', () => {
  const columns = [col('commune_code', 'varchar'), col('year', 'integer'), col('note', 'varchar')];

  it('skips the header row on the first page only, and pages 1000 rows at a time', async () => {
    const data = Array.from({ length: 2500 }, (_, i) => row(String(28000 + i), '2026', `r${i}`));
    // A data row that looks exactly like the header, first on page 2: it is data and must be kept.
    data[999] = row('commune_code', 'year', 'note');
    const pages = [
      { Rows: [row('commune_code', 'year', 'note'), ...data.slice(0, 999)], NextToken: 'p2' },
      { Rows: data.slice(999, 1999), NextToken: 'p3' },
      { Rows: data.slice(1999) },
    ];
    const { engine, mock } = engineWith((m) => {
      m.on(GetQueryExecutionCommand).resolves(succeeded);
      m.on(GetQueryResultsCommand, { NextToken: undefined }).resolves({
        ResultSet: { ResultSetMetadata: { ColumnInfo: columns }, Rows: pages[0]?.Rows },
        NextToken: 'p2',
      });
      m.on(GetQueryResultsCommand, { NextToken: 'p2' }).resolves({
        ResultSet: { Rows: pages[1]?.Rows },
        NextToken: 'p3',
      });
      m.on(GetQueryResultsCommand, { NextToken: 'p3' }).resolves({ ResultSet: { Rows: pages[2]?.Rows } });
    });
    // The year column is an integer, so a header-looking row would not type: give it a varchar year here.
    columns[1] = col('year', 'varchar');
    const r = await engine.query('SELECT commune_code, year, note FROM x');
    columns[1] = col('year', 'integer');
    expect(r.rows).toHaveLength(2500);
    expect(r.rows[0]).toEqual({ commune_code: '28000', year: '2026', note: 'r0' });
    expect(r.rows[999]).toEqual({ commune_code: 'commune_code', year: 'year', note: 'note' });
    expect(r.rows[2499]).toEqual({ commune_code: String(28000 + 2499), year: '2026', note: 'r2499' });
    expect(mock.commandCalls(GetQueryResultsCommand).map((c) => c.args[0].input)).toEqual([
      { QueryExecutionId: 'q-1', MaxResults: 1000, NextToken: undefined },
      { QueryExecutionId: 'q-1', MaxResults: 1000, NextToken: 'p2' },
      { QueryExecutionId: 'q-1', MaxResults: 1000, NextToken: 'p3' },
    ]);
  });

  it('a missing field is NULL; an empty string stays an empty string', async () => {
    const { engine } = engineWith((m) => {
      m.on(GetQueryExecutionCommand).resolves(succeeded);
      m.on(GetQueryResultsCommand).resolves({
        ResultSet: {
          ResultSetMetadata: { ColumnInfo: columns },
          Rows: [
            row('commune_code', 'year', 'note'),
            row('28249', undefined, ''),
            row(undefined, '2027', undefined),
          ],
        },
      });
    });
    const r = await engine.query('SELECT 1');
    expect(r.rows).toEqual([
      { commune_code: '28249', year: null, note: '' },
      { commune_code: null, year: 2027, note: null },
    ]);
  });

  it('stops at maxRows and says truncated, without fetching further pages', async () => {
    const { engine, mock } = engineWith((m) => {
      m.on(GetQueryExecutionCommand).resolves(succeeded);
      m.on(GetQueryResultsCommand).resolves({
        ResultSet: {
          ResultSetMetadata: { ColumnInfo: [col('x', 'integer')] },
          Rows: [row('x'), ...Array.from({ length: 10 }, (_, i) => row(String(i)))],
        },
        NextToken: 'more',
      });
    });
    const r = await engine.query('SELECT x FROM t', { maxRows: 3 });
    expect(r).toMatchObject({ truncated: true, rows: [{ x: 0 }, { x: 1 }, { x: 2 }] });
    expect(mock.commandCalls(GetQueryResultsCommand)).toHaveLength(1);
  });

  it('gives the same typed rows and column types as DuckDB for the same result', async () => {
    // One query, every type the views return, with NULLs, Vietnamese text, a BIGINT beyond 2^53 and
    // sub-second timestamps. DuckDB runs it for real (the warehouse adapter's row conversion); Athena's answer
    // is what Athena prints for the same values.
    const sql = `SELECT * FROM (VALUES
        (CAST('28249' AS VARCHAR), CAST(2026 AS INTEGER), CAST(12 AS BIGINT), CAST(90.5 AS DOUBLE), true,
         TIMESTAMP '2026-11-05 16:59:59.123', DATE '2026-11-05'),
        (CAST('Phường Đạo Thạnh' AS VARCHAR), CAST(NULL AS INTEGER), CAST(9007199254740993 AS BIGINT), CAST(0.1 AS DOUBLE), false,
         TIMESTAMP '2027-01-01 00:00:00', CAST(NULL AS DATE)),
        (CAST(NULL AS VARCHAR), CAST(-1 AS INTEGER), CAST(NULL AS BIGINT), CAST(NULL AS DOUBLE), CAST(NULL AS BOOLEAN),
         CAST(NULL AS TIMESTAMP), DATE '2030-12-31')
      ) AS t(name, year, n, pct, met, received_at, day) ORDER BY year NULLS LAST`;
    const dataDir = mkdtempSync(join(tmpdir(), 'athena-vs-duckdb-'));
    const wh = await openWarehouse({ dataDir, asOf: '2026-12-01T00:00:00Z' });
    let duck: Awaited<ReturnType<typeof wh.query>>;
    try {
      duck = await wh.query(sql);
    } finally {
      await wh.close();
    }
    const { engine } = engineWith((m) => {
      m.on(GetQueryExecutionCommand).resolves(succeeded);
      m.on(GetQueryResultsCommand).resolves({
        ResultSet: {
          ResultSetMetadata: {
            ColumnInfo: [
              col('name', 'varchar'),
              col('year', 'integer'),
              col('n', 'bigint'),
              col('pct', 'double'),
              col('met', 'boolean'),
              col('received_at', 'timestamp'),
              col('day', 'date'),
            ],
          },
          Rows: [
            row('name', 'year', 'n', 'pct', 'met', 'received_at', 'day'),
            row(undefined, '-1', undefined, undefined, undefined, undefined, '2030-12-31'),
            row('28249', '2026', '12', '90.5', 'true', '2026-11-05 16:59:59.123', '2026-11-05'),
            row(
              'Phường Đạo Thạnh',
              undefined,
              '9007199254740993',
              '0.1',
              'false',
              '2027-01-01 00:00:00.000',
              undefined,
            ),
          ],
        },
      });
    });
    const athena = await engine.query(sql);
    // DuckDB orders NULL year last; Athena's rows above arrive in another order: compare as sets of rows.
    const byName = (rows: Record<string, unknown>[]) =>
      [...rows].sort((a, b) => String(a.name).localeCompare(String(b.name)));
    expect(byName(athena.rows)).toEqual(byName(duck.rows));
    expect(athena.columns).toEqual(duck.columns);
    expect(athena.rows.find((r) => r.name === 'Phường Đạo Thạnh')?.n).toBe('9007199254740993');
  });
});

describe('Athena engine: placeholders', () => {
  it('turns $n into ? in order of appearance, leaving quotes and comments alone', () => {
    expect(toAthenaPlaceholders(`SELECT '$1' AS "$2", $2 -- $1\n, /* $1 */ $1`, ['a', 'b'])).toEqual({
      text: `SELECT '$1' AS "$2", ? -- $1\n, /* $1 */ ?`,
      params: ['b', 'a'],
    });
    expect(() => toAthenaPlaceholders('SELECT $3', ['a'])).toThrow(/\$3/);
    expect(toAthenaPlaceholders('SELECT ?, ?', [1, null])).toEqual({
      text: 'SELECT ?, ?',
      params: [1, null],
    });
  });
});

/**
 * A result file as Athena writes it (https://docs.aws.amazon.com/athena/latest/ug/querying.html): a header row,
 * every value in double quotes with quotes doubled inside, a NULL as an empty field without quotes, LF between
 * records. This stands in for the object S3 would return for the query's OutputLocation.
 */
function athenaCsv(columns: string[], rows: (string | null)[][]): Uint8Array {
  const field = (v: string | null) => (v === null ? '' : `"${v.replace(/"/g, '""')}"`);
  const lines = [columns.map(field).join(','), ...rows.map((r) => r.map(field).join(','))];
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

describe('Athena engine: rows from the result file (national answers, issue 15 item 7)', () => {
  const cols = [
    col('commune_code', 'varchar'),
    col('n', 'bigint'),
    col('pct', 'double'),
    col('met', 'boolean'),
    col('at', 'timestamp'),
  ];
  const located = {
    QueryExecution: {
      Status: { State: 'SUCCEEDED' as const },
      StatementType: 'DML' as const,
      ResultConfiguration: { OutputLocation: 's3://scorecard-athena-results/refresh/q-1.csv' },
    },
  };

  function fileEngine(file: Uint8Array) {
    const athena = new AthenaClient({ region: 'ap-southeast-1' });
    const mock = mockClient(athena);
    mock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    mock.on(GetQueryExecutionCommand).resolves(located);
    mock.on(GetQueryResultsCommand).resolves({
      ResultSet: { ResultSetMetadata: { ColumnInfo: cols }, Rows: [row(...cols.map((c) => c.Name))] },
    });
    const read: string[] = [];
    const engine = new AthenaEngine({
      athena,
      workGroup: 'scorecard-refresh',
      database: 'commune_scorecard',
      resultFile: async (location) => {
        read.push(location);
        return file;
      },
      sleep: async () => {},
    });
    return { engine, mock, read };
  }

  it('reads 2 500 rows with one GET and one metadata call, typed as from GetQueryResults', async () => {
    const rows = Array.from({ length: 2500 }, (_, i) => [
      i === 7 ? '' : `2${String(i).padStart(4, '0')}`,
      i === 3 ? null : i === 11 ? '9223372036854775807' : String(i * 1_000_000_007),
      i % 5 === 0 ? null : String(i / 7),
      i % 2 === 0 ? 'true' : 'false',
      '2026-11-05 16:59:59.123',
    ]);
    const { engine, mock, read } = fileEngine(
      athenaCsv(
        cols.map((c) => c.Name as string),
        rows,
      ),
    );
    const r = await engine.query('select * from kpi_commune_year');
    expect(read).toEqual(['s3://scorecard-athena-results/refresh/q-1.csv']);
    expect(mock.commandCalls(GetQueryResultsCommand).map((c) => c.args[0].input.MaxResults)).toEqual([1]);
    expect(r.rows).toHaveLength(2500);
    expect(r.rows[3]).toEqual({
      commune_code: '20003',
      n: null,
      pct: 3 / 7,
      met: false,
      at: '2026-11-05T16:59:59.123Z',
    });
    expect(r.rows[7]?.commune_code).toBe(''); // an empty string is not NULL
    expect(r.rows[10]?.pct).toBeNull();
    expect(r.rows[2499]?.n).toBe(2_499_000_017_493);
    expect(r.rows[11]?.n).toBe('9223372036854775807'); // past 2^53: its exact text, as from GetQueryResults
    expect(r.columns.map((c) => c.type)).toEqual(['VARCHAR', 'BIGINT', 'DOUBLE', 'BOOLEAN', 'TIMESTAMP']);
  });

  it('generated values survive the file: quotes, commas, line breaks, Vietnamese, NULL and empty strings', async () => {
    const text = fc.option(fc.string({ unit: fc.constantFrom('a', 'ễ', '"', ',', '\n', '\r\n', ' ', 'Đ') }), {
      nil: null,
    });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(text, text), { minLength: 1, maxLength: 30 }), async (values) => {
        const two = [col('a', 'varchar'), col('b', 'varchar')];
        const athena = new AthenaClient({ region: 'ap-southeast-1' });
        const mock = mockClient(athena);
        mock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
        mock.on(GetQueryExecutionCommand).resolves(located);
        mock
          .on(GetQueryResultsCommand)
          .resolves({ ResultSet: { ResultSetMetadata: { ColumnInfo: two }, Rows: [] } });
        const engine = new AthenaEngine({
          athena,
          workGroup: 'w',
          database: 'd',
          resultFile: async () => athenaCsv(['a', 'b'], values),
          sleep: async () => {},
        });
        const r = await engine.query('select a, b from t');
        expect(r.rows).toEqual(values.map(([a, b]) => ({ a, b })));
      }),
      { numRuns: 100 },
    );
  });

  it('the row and size caps hold on the file as on pages', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => [
      `2${String(i).padStart(4, '0')}`,
      String(i),
      '1',
      'true',
      '2026-01-01 00:00:00',
    ]);
    const { engine } = fileEngine(
      athenaCsv(
        cols.map((c) => c.Name as string),
        rows,
      ),
    );
    const capped = await engine.query('select * from t', { maxRows: 10 });
    expect([capped.rows.length, capped.truncated]).toEqual([10, true]);
    await expect(engine.query('select * from t', { maxBytes: 500 })).rejects.toThrow(/over 500 bytes/);
  });
});
