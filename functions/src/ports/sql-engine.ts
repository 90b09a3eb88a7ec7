// The SQL-engine port: DuckDB locally (the embedded default), Athena in the cloud. Both return the same row
// shape: plain objects whose values are string | number | boolean | null, with
//   BIGINT/HUGEINT → number when it is a safe integer (else a decimal string), DOUBLE → number,
//   TIMESTAMP → ISO-8601 UTC string ('2026-11-05T16:59:59.000Z'), DATE → 'YYYY-MM-DD'.
export type SqlValue = string | number | boolean | null;
export type SqlRow = Record<string, SqlValue>;

export interface SqlColumn {
  name: string;
  /** Engine type name, upper case (VARCHAR, INTEGER, BIGINT, DOUBLE, BOOLEAN, TIMESTAMP, DATE). */
  type: string;
}

export interface SqlResult {
  columns: SqlColumn[];
  rows: SqlRow[];
}

export interface QueryOptions {
  /** Positional parameters ($1, $2 … on DuckDB; ? with ExecutionParameters on Athena). */
  params?: SqlValue[];
  /** Interrupt the query after this many milliseconds. */
  timeoutMs?: number;
  /** Stop after this many rows (the result then says truncated). */
  maxRows?: number;
  /** Refuse an answer larger than this many bytes (approximately, as JSON): sql_too_large. */
  maxBytes?: number;
}

export interface SqlEngine {
  query(sql: string, options?: QueryOptions): Promise<SqlResult & { truncated: boolean }>;
  close(): Promise<void>;
}
