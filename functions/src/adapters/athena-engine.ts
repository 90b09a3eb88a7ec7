// Athena SQL engine: the cloud implementation of SqlEngine. Its rows have the same shape DuckDB's have
// (ports/sql-engine.ts), so the marts, the exports and the analysts' endpoint do not know which engine ran.
// Protocol (tech-notes): StartQueryExecution with ExecutionParameters → poll GetQueryExecution with backoff
// (100 ms doubling to 2 s) → the rows. Athena returns every value as a string and NULL as a missing field.
// Two ways to the rows:
//  - GetQueryResults, 1000 rows a call (the header row on the first page only): for small answers;
//  - with `resultFile`, the query's CSV result file in S3 (OutputLocation), read in one GET, the column types
//    from a one-row GetQueryResults: a national refresh (~560 000 rows) would otherwise take 560 calls inside a
//    5-minute function (issue 15, item 7). Athena writes that file with every value in double quotes (quotes
//    doubled inside) and a NULL as an empty, unquoted field
//    (https://docs.aws.amazon.com/athena/latest/ug/querying.html, "Working with query results").
import {
  AthenaClient,
  type ColumnInfo,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type Row,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import type { QueryOptions, SqlColumn, SqlEngine, SqlResult, SqlRow, SqlValue } from '../ports/sql-engine.ts';

export type AthenaErrorCode = 'athena_failed' | 'athena_cancelled' | 'athena_timeout';

export class AthenaQueryError extends Error {
  constructor(
    readonly code: AthenaErrorCode,
    message: string,
    readonly queryExecutionId?: string,
  ) {
    super(message);
    this.name = 'AthenaQueryError';
  }
}

export interface AthenaEngineOptions {
  workGroup: string;
  database: string;
  catalog?: string;
  athena?: AthenaClient;
  /** First poll delay; doubles up to pollMaxMs. */
  pollInitialMs?: number;
  pollMaxMs?: number;
  /** GetQueryResults page size (Athena's maximum is 1000). */
  pageSize?: number;
  /** Used when a query passes no timeoutMs. */
  defaultTimeoutMs?: number;
  /** Reads a SELECT's CSV result file (its s3:// OutputLocation); without it, rows come from GetQueryResults. */
  resultFile?: (outputLocation: string) => Promise<Uint8Array>;
  /** Injected for tests: waiting and the time. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export class AthenaEngine implements SqlEngine {
  readonly athena: AthenaClient;
  private readonly ownsClient: boolean;
  private readonly o: Required<Omit<AthenaEngineOptions, 'athena' | 'catalog' | 'resultFile'>> & {
    catalog?: string;
    resultFile?: (outputLocation: string) => Promise<Uint8Array>;
  };

  constructor(options: AthenaEngineOptions) {
    this.ownsClient = options.athena === undefined;
    this.athena = options.athena ?? new AthenaClient({});
    this.o = {
      workGroup: options.workGroup,
      database: options.database,
      catalog: options.catalog,
      ...(options.resultFile ? { resultFile: options.resultFile } : {}),
      pollInitialMs: options.pollInitialMs ?? 100,
      pollMaxMs: options.pollMaxMs ?? 2000,
      pageSize: options.pageSize ?? 1000,
      defaultTimeoutMs: options.defaultTimeoutMs ?? 5 * 60_000,
      sleep: options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
      now: options.now ?? Date.now,
    };
  }

  async query(sql: string, options: QueryOptions = {}): Promise<SqlResult & { truncated: boolean }> {
    const { text, params } = toAthenaPlaceholders(sql, options.params ?? []);
    const started = this.o.now();
    const timeoutMs = options.timeoutMs ?? this.o.defaultTimeoutMs;
    const start = await this.athena.send(
      new StartQueryExecutionCommand({
        QueryString: text,
        WorkGroup: this.o.workGroup,
        QueryExecutionContext: {
          Database: this.o.database,
          ...(this.o.catalog ? { Catalog: this.o.catalog } : {}),
        },
        // Athena rejects an empty list: send the field only when there are parameters.
        ...(params.length > 0 ? { ExecutionParameters: params.map(athenaLiteral) } : {}),
      }),
    );
    const id = start.QueryExecutionId;
    if (!id) throw new AthenaQueryError('athena_failed', 'Athena returned no query execution id');

    let delay = this.o.pollInitialMs;
    let statementType: string | undefined;
    let outputLocation: string | undefined;
    for (;;) {
      const exec = await this.athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
      const status = exec.QueryExecution?.Status;
      const state = status?.State;
      statementType = exec.QueryExecution?.StatementType;
      outputLocation = exec.QueryExecution?.ResultConfiguration?.OutputLocation;
      if (state === 'SUCCEEDED') break;
      if (state === 'FAILED') {
        throw new AthenaQueryError('athena_failed', status?.StateChangeReason ?? 'Athena query failed', id);
      }
      if (state === 'CANCELLED') {
        throw new AthenaQueryError(
          'athena_cancelled',
          status?.StateChangeReason ?? 'Athena query was cancelled',
          id,
        );
      }
      if (this.o.now() - started + delay > timeoutMs) {
        // Stop it on Athena's side too: a query nobody waits for still scans (and bills) bytes.
        try {
          await this.athena.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
        } catch {
          // Best effort: the timeout is the error the caller needs to see.
        }
        throw new AthenaQueryError(
          'athena_timeout',
          `Athena query did not finish within ${timeoutMs} ms`,
          id,
        );
      }
      await this.o.sleep(delay);
      delay = Math.min(delay * 2, this.o.pollMaxMs);
    }
    if (this.o.resultFile && statementType === 'DML' && outputLocation) {
      return this.fileResults(id, outputLocation, options.maxRows, options.maxBytes);
    }
    return this.results(id, statementType, options.maxRows, options.maxBytes);
  }

  /** A SELECT's rows from its CSV result file; the types from a one-row GetQueryResults (its metadata). */
  private async fileResults(id: string, location: string, maxRows?: number, maxBytes?: number) {
    const head = await this.athena.send(new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 1 }));
    const info = head.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
    const columns = info.map((c) => ({ name: c.Name ?? c.Label ?? '', type: engineTypeName(c) }));
    const text = new TextDecoder().decode(
      await (this.o.resultFile as (l: string) => Promise<Uint8Array>)(location),
    );
    const rows: SqlRow[] = [];
    const budget = answerBudget(maxBytes);
    let truncated = false;
    let header = true;
    for (const fields of csvRecords(text)) {
      if (header) {
        header = false;
        continue;
      }
      if (maxRows !== undefined && rows.length >= maxRows) {
        truncated = true;
        break;
      }
      const row: SqlRow = {};
      info.forEach((c, i) => {
        row[c.Name ?? c.Label ?? String(i)] = typedValue(c.Type ?? 'varchar', fields[i] ?? undefined);
      });
      budget(row);
      rows.push(row);
    }
    return { columns, rows, truncated };
  }

  private async results(id: string, statementType: string | undefined, maxRows?: number, maxBytes?: number) {
    const budget = answerBudget(maxBytes);
    let columns: SqlColumn[] = [];
    let info: ColumnInfo[] = [];
    const rows: SqlRow[] = [];
    let truncated = false;
    let token: string | undefined;
    let first = true;
    do {
      const page = await this.athena.send(
        new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: this.o.pageSize, NextToken: token }),
      );
      if (first) {
        info = page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
        columns = info.map((c) => ({ name: c.Name ?? c.Label ?? '', type: engineTypeName(c) }));
      }
      let data: Row[] = page.ResultSet?.Rows ?? [];
      // A SELECT's first page starts with the column names as a row; later pages do not repeat it.
      if (first && statementType === 'DML' && data.length > 0) data = data.slice(1);
      for (const r of data) {
        if (maxRows !== undefined && rows.length >= maxRows) {
          truncated = true;
          break;
        }
        const row = typedRow(info, r);
        budget(row);
        rows.push(row);
      }
      token = page.NextToken;
      first = false;
      if (truncated) break;
    } while (token);
    return { columns, rows, truncated };
  }

  async close(): Promise<void> {
    if (this.ownsClient) this.athena.destroy();
  }
}

/** The answer's size, bounded as it is read (about its JSON), as on DuckDB: throws sql_too_large past the cap. */
function answerBudget(maxBytes: number | undefined): (row: SqlRow) => void {
  let bytes = 0;
  return (row) => {
    for (const [k, v] of Object.entries(row))
      bytes += k.length + 4 + (typeof v === 'string' ? v.length + 2 : 8);
    if (maxBytes !== undefined && bytes > maxBytes) {
      throw Object.assign(new Error(`the answer is over ${maxBytes} bytes`), { code: 'sql_too_large' });
    }
  };
}

/**
 * The records of Athena's CSV result file: RFC 4180 (fields in double quotes, "" for a quote inside, CRLF or LF
 * between records), with a NULL as an empty field without quotes (null here) and an empty string as "" ('').
 */
function* csvRecords(text: string): Generator<(string | null)[]> {
  let i = 0;
  const n = text.length;
  while (i < n) {
    const fields: (string | null)[] = [];
    for (;;) {
      if (text[i] === '"') {
        let value = '';
        i++;
        for (;;) {
          const q = text.indexOf('"', i);
          if (q < 0) throw new Error('athena result file: an unterminated quoted field');
          value += text.slice(i, q);
          if (text[q + 1] === '"') {
            value += '"';
            i = q + 2;
          } else {
            i = q + 1;
            break;
          }
        }
        fields.push(value);
      } else {
        let j = i;
        while (j < n && text[j] !== ',' && text[j] !== '\n' && text[j] !== '\r') j++;
        const raw = text.slice(i, j);
        fields.push(raw === '' ? null : raw);
        i = j;
      }
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '\r') i++;
      if (text[i] === '\n') i++;
      break;
    }
    yield fields;
  }
}

/** Athena's type names in the port's spelling (DuckDB's): VARCHAR, INTEGER, BIGINT, DOUBLE, BOOLEAN, TIMESTAMP, DATE. */
function engineTypeName(c: ColumnInfo): string {
  const t = (c.Type ?? 'varchar').toLowerCase();
  switch (t) {
    case 'varchar':
    case 'char':
    case 'string':
      return 'VARCHAR';
    case 'integer':
    case 'int':
      return 'INTEGER';
    case 'real':
    case 'float':
      return 'FLOAT';
    case 'timestamp with time zone':
      return 'TIMESTAMP WITH TIME ZONE';
    default:
      return t.toUpperCase();
  }
}

function typedRow(info: ColumnInfo[], row: Row): SqlRow {
  const out: SqlRow = {};
  const data = row.Data ?? [];
  info.forEach((c, i) => {
    out[c.Name ?? c.Label ?? String(i)] = typedValue(c.Type ?? 'varchar', data[i]?.VarCharValue);
  });
  return out;
}

/**
 * One Athena value, typed by its column. NULL arrives as a missing VarCharValue — never turned into '' or 0,
 * which would corrupt aggregates downstream.
 */
function typedValue(athenaType: string, v: string | undefined): SqlValue {
  if (v === undefined) return null;
  const t = athenaType.toLowerCase();
  switch (t) {
    case 'boolean':
      return v === 'true';
    case 'tinyint':
    case 'smallint':
    case 'integer':
    case 'int':
      return Number.parseInt(v, 10);
    case 'bigint': {
      // The port's promise: a safe integer as a number, anything larger as its exact decimal text.
      const n = BigInt(v);
      return n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= BigInt(Number.MIN_SAFE_INTEGER)
        ? Number(n)
        : n.toString();
    }
    case 'double':
    case 'real':
    case 'float':
    case 'decimal':
      return Number(v);
    case 'timestamp':
      return isoTimestamp(v);
    case 'timestamp with time zone':
      return isoTimestampWithZone(v);
    default:
      // varchar, char, date ('YYYY-MM-DD' already), json, arrays and maps as Athena prints them.
      return v;
  }
}

/** '2026-11-05 16:59:59.123' (Athena, UTC wall time) → '2026-11-05T16:59:59.123Z' (the port). */
function isoTimestamp(v: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d+))?$/.exec(v);
  if (!m) return v;
  const millis = (m[3] ?? '').padEnd(3, '0').slice(0, 3);
  return `${m[1]}T${m[2]}.${millis}Z`;
}

function isoTimestampWithZone(v: string): string {
  const m = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)?) (UTC|Z|[+-]\d{2}:\d{2})$/.exec(v);
  if (!m) return v;
  if (m[2] === 'UTC' || m[2] === 'Z') return isoTimestamp(m[1] as string);
  const d = new Date(`${(m[1] as string).replace(' ', 'T')}${m[2]}`);
  return Number.isNaN(d.getTime()) ? v : d.toISOString();
}

/**
 * An ExecutionParameters entry: Athena substitutes each one as a SQL literal, so strings are quoted (with
 * quotes doubled) here — the query text itself never contains a value.
 */
function athenaLiteral(v: SqlValue): string {
  if (v === null) return 'NULL';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`Athena parameter is not a finite number: ${v}`);
    return String(v);
  }
  return `'${v.replace(/'/g, "''")}'`;
}

/**
 * The same SQL text runs on both engines: DuckDB's positional `$1, $2 …` become Athena's `?` (in order of
 * appearance, a parameter used twice is sent twice). Text inside quotes and comments is left alone.
 */
export function toAthenaPlaceholders(
  sql: string,
  params: readonly SqlValue[],
): { text: string; params: SqlValue[] } {
  let text = '';
  const ordered: SqlValue[] = [];
  let question = 0;
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i] as string;
    const next = sql[i + 1];
    if (ch === "'" || ch === '"') {
      let j = i + 1;
      while (j < sql.length) {
        if (sql[j] === ch && sql[j + 1] === ch) j += 2;
        else if (sql[j] === ch) break;
        else j++;
      }
      text += sql.slice(i, j + 1);
      i = j + 1;
    } else if (ch === '-' && next === '-') {
      const j = sql.indexOf('\n', i);
      const end = j < 0 ? sql.length : j;
      text += sql.slice(i, end);
      i = end;
    } else if (ch === '/' && next === '*') {
      const j = sql.indexOf('*/', i + 2);
      const end = j < 0 ? sql.length : j + 2;
      text += sql.slice(i, end);
      i = end;
    } else if (ch === '$' && next !== undefined && /[0-9]/.test(next)) {
      let j = i + 1;
      while (j < sql.length && /[0-9]/.test(sql[j] as string)) j++;
      const n = Number(sql.slice(i + 1, j));
      if (n < 1 || n > params.length) throw new Error(`SQL parameter $${n} has no value`);
      ordered.push(params[n - 1] as SqlValue);
      text += '?';
      i = j;
    } else if (ch === '?') {
      if (question >= params.length) throw new Error('SQL has more ? placeholders than parameters');
      ordered.push(params[question] as SqlValue);
      question++;
      text += '?';
      i++;
    } else {
      text += ch;
      i++;
    }
  }
  return { text, params: ordered };
}
