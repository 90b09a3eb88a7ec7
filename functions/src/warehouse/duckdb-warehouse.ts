// The DuckDB warehouse: an in-memory DuckDB over the Parquet files of a local data folder (the embedded
// default; the server and the CLI can share a folder: nothing is written to it). Behind the SqlEngine port.
//
// Each (re)load builds a fresh in-memory database — base tables from sql/tables/duckdb/ (a consistent snapshot
// of the files, with the compaction read rule), reference/plan tables from data-contracts
// (reference-tables.ts), then every view of sql/views/ in order — hardens it (no file access, configuration
// locked) and swaps it in; queries in flight finish on the database they started on. Views that other views
// read are computed once into tables at load (the database is an immutable snapshot); in the full database the
// leaf views stay views (the marts read each of them once), in the analysts' database every view is
// materialised (analysts query them again and again). Analysts get a second database at the same as_of, built
// on their first query from the data folder, without the restricted table and view; their SQL passes the guard
// first (sql-guard.ts).
import { join, resolve } from 'node:path';
import {
  type DuckDBConnection,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBInstance,
  type DuckDBResultReader,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBTypeId,
  type DuckDBValue,
  quotedString,
  StatementType,
} from '@duckdb/node-api';
import {
  COMMUNES,
  type Commune,
  LIMITS,
  PLAN,
  type Plan,
  TABLE_PREFIX,
  TABLES,
  type TableName,
} from '@scorecard/data-contracts';
import { FsObjectStore } from '../adapters/fs-store.ts';
import { DamagedFiles, VerifyCache, verifyFolder } from '../integrity/verify.ts';
import { type Clock, clockFromEnv } from '../ports/clock.ts';
import type { QueryOptions, SqlColumn, SqlEngine, SqlResult, SqlRow, SqlValue } from '../ports/sql-engine.ts';
import { AnalystProcess } from './analyst-process.ts';
import { type RefTable, type RefValue, referenceTables } from './reference-tables.ts';
import {
  baseRelationTemplate,
  type CatalogueView,
  fillTemplate,
  SQL_DIR,
  SqlCatalogue,
} from './sql-catalogue.ts';
import { SqlError } from './sql-error.ts';
import { type GuardResult, guardAnalystSql } from './sql-guard.ts';
import { ANALYST_VIEWS, RESTRICTED_VIEWS } from './views.ts';

export { ANALYST_VIEWS, RESTRICTED_VIEWS, SqlError };

/** Base tables that identify people: loaded only into the full database. */
const RESTRICTED_TABLES: readonly TableName[] = ['cadre_identity'];

export { SQL_DIR };

/**
 * Which views a load computes into tables: `shared` — those other views read (the default of the full
 * database), `all` — every view (the analysts' database), `none` — none: every query evaluates the whole view
 * chain (the benchmark's per-request baseline).
 */
type Materialise = 'shared' | 'all' | 'none';

export interface OpenWarehouseOptions {
  /** The data folder (the FsObjectStore root). */
  dataDir: string;
  /**
   * Verify every derived file against what vouches for it before each load (default true): a damaged file
   * fails the load with DamagedFiles naming it, instead of a wrong figure (integrity/verify.ts).
   */
  verify?: boolean;
  /** The analysts' SQL guard (default: in this thread; the local server passes the worker-thread one). */
  guard?: (sql: string, allowedViews: readonly string[]) => GuardResult | Promise<GuardResult>;
  /** The clock; defaults to clockFromEnv() (SCORECARD_NOW). Gives as_of when `asOf` is not fixed. */
  clock?: Clock;
  /** Fixed cut-off: only submissions received (and voids made) up to this instant. Default: now at each load. */
  asOf?: Date | string;
  plan?: Plan;
  communes?: readonly Commune[];
  /** Where sql/tables and sql/views live (default: the repository's sql/). */
  sqlDir?: string;
  /** The full database's materialisation (default `shared`; the analysts' database always uses `all`). */
  materialise?: Materialise;
  /**
   * true (default): a reload builds the new database while the old one keeps answering, then swaps — two
   * snapshots in memory for a moment. false: the old database is released first (queries arriving meanwhile
   * wait for the new one) — half the peak memory, for a process whose only reader is the marts refresh.
   */
  overlapReloads?: boolean;
  /**
   * Where analysts' SQL runs: `inline` (default) — in this process; `process` — in a child process of its own
   * (analyst-process.ts), whose memory the server watches and takes back: the local server's choice, since
   * DuckDB's memory_limit bounds only what its buffer manager tracks, not every allocation a query makes.
   */
  analysts?: 'inline' | 'process';
}

export interface Warehouse extends SqlEngine {
  /** Re-reads the data folder (new submissions, voids) and, without a fixed asOf, moves as_of to now. */
  reload(): Promise<void>;
  /** The as_of instant of the loaded snapshot. */
  readonly asOf: Date;
  /** Analysts' engine: guarded SQL over ANALYST_VIEWS only, on a hardened database without restricted data. */
  readonly analyst: SqlEngine;
  /** The relations the analysts' database holds besides DuckDB's own (for checks: exactly the analysts' views). */
  analystRelations(): Promise<string[]>;
  /** The analysts' process while one runs (`analysts: 'process'`): its id, and how many were stopped so far. */
  analystProcess(): { pid: number | null; restarts: number } | null;
}

type Role = 'full' | 'analyst';

/** One loaded database; retired on reload and closed once its last query finishes. */
class Generation {
  private inFlight = 0;
  private retired = false;
  private closed = false;
  constructor(readonly instance: DuckDBInstance) {}
  acquire(): void {
    this.inFlight++;
  }
  release(): void {
    this.inFlight--;
    if (this.retired && this.inFlight === 0) this.close();
  }
  retire(): void {
    this.retired = true;
    if (this.inFlight === 0) this.close();
  }
  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.instance.closeSync();
  }
}

const REF_INSERT_BATCH = 200;

const DUCK_TYPE: Record<string, string> = {
  string: 'VARCHAR',
  int: 'INTEGER',
  bigint: 'BIGINT',
  boolean: 'BOOLEAN',
  double: 'DOUBLE',
  timestamp: 'TIMESTAMP',
};

/** TIMESTAMP literal text for a UTC instant (the session zone is UTC; TIMESTAMP has no zone). */
function timestampText(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

function refValue(v: RefValue): DuckDBValue {
  if (v instanceof Date) return timestampText(v);
  return v;
}

/** The view files in dependency order, with the view name each creates and what each reads (the catalogue's). */
export function viewFiles(sqlDir = SQL_DIR): readonly CatalogueView[] {
  return SqlCatalogue.load(join(sqlDir, 'views')).views;
}

/** Names of the views that a later view reads: what `shared` materialises (from the catalogue's parsed graph). */
export function sharedViews(sqlDir = SQL_DIR): Set<string> {
  return SqlCatalogue.load(join(sqlDir, 'views')).shared();
}

/** Relation name of a stored table: its store prefix with '/' → '_' (curated_cadres, restricted_cadre_identity). */
export function relationName(table: TableName): string {
  return TABLE_PREFIX[table].replace(/\//g, '_');
}

// ---- value conversion: the row shape promised by ports/sql-engine.ts ----------------------------------------
// Kept by hand rather than @duckdb/node-api's JSON converter: the port promises what Athena's adapter also
// returns — instants as ISO-8601 UTC with milliseconds and Z, counts as numbers while safe (else exact text) —
// and the library's converter writes timestamps in DuckDB's own text form.

function bigintValue(v: bigint): number | string {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(v)
    : v.toString();
}

function convert(typeId: DuckDBTypeId, v: DuckDBValue): SqlValue {
  if (v === null || v === undefined) return null;
  switch (typeId) {
    case DuckDBTypeId.BOOLEAN:
      return Boolean(v);
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
      return Number(v);
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      // Deliberate: a count is a JSON number while it is a safe integer, else its exact decimal text.
      return typeof v === 'bigint' ? bigintValue(v) : Number(v);
    case DuckDBTypeId.DECIMAL:
      return v instanceof DuckDBDecimalValue ? v.toDouble() : Number(v);
    case DuckDBTypeId.TIMESTAMP:
      return v instanceof DuckDBTimestampValue ? new Date(Number(v.micros / 1000n)).toISOString() : String(v);
    case DuckDBTypeId.TIMESTAMP_TZ:
      return v instanceof DuckDBTimestampTZValue
        ? new Date(Number(v.micros / 1000n)).toISOString()
        : String(v);
    case DuckDBTypeId.TIMESTAMP_MS:
      return v instanceof DuckDBTimestampMillisecondsValue
        ? new Date(Number(v.millis)).toISOString()
        : String(v);
    case DuckDBTypeId.TIMESTAMP_S:
      return v instanceof DuckDBTimestampSecondsValue
        ? new Date(Number(v.seconds) * 1000).toISOString()
        : String(v);
    case DuckDBTypeId.TIMESTAMP_NS:
      return v instanceof DuckDBTimestampNanosecondsValue
        ? new Date(Number(v.nanos / 1_000_000n)).toISOString()
        : String(v);
    case DuckDBTypeId.DATE:
      return v instanceof DuckDBDateValue ? v.toString() : String(v);
    case DuckDBTypeId.VARCHAR:
      return String(v);
    default:
      return typeof v === 'bigint'
        ? bigintValue(v)
        : typeof v === 'number' || typeof v === 'boolean'
          ? v
          : String(v);
  }
}

function toResult(
  reader: DuckDBResultReader,
  maxRows: number,
  limits: { maxBytes: number; deadline: number; onTimeout: () => never },
): SqlResult & { truncated: boolean } {
  const columns: SqlColumn[] = reader
    .columnNames()
    .map((name, i) => ({ name, type: reader.columnType(i).toString().toUpperCase() }));
  const typeIds = columns.map((_, i) => reader.columnTypeId(i));
  const names = reader.deduplicatedColumnNames();
  const raw = reader.getRows();
  const truncated = raw.length > maxRows;
  // The time limit covers conversion too, and the answer's size is bounded as it is built (about its JSON).
  let bytes = 0;
  const rows: SqlRow[] = raw.slice(0, maxRows).map((r, n) => {
    if (n % 256 === 0 && performance.now() > limits.deadline) limits.onTimeout();
    const row: SqlRow = {};
    r.forEach((v, i) => {
      const value = convert(typeIds[i] as DuckDBTypeId, v);
      bytes += (names[i] as string).length + 4 + (typeof value === 'string' ? value.length + 2 : 8);
      row[names[i] as string] = value;
    });
    if (bytes > limits.maxBytes)
      throw new SqlError('sql_too_large', `over ${limits.maxBytes} bytes`, {
        max_mb: Math.round(limits.maxBytes / 1024 / 1024),
      });
    return row;
  });
  return { columns, rows, truncated };
}

// ---- loading ----------------------------------------------------------------------------------------------

interface LoadInput {
  role: Role;
  dataDir: string;
  sqlDir: string;
  refs: RefTable[];
  materialise: Materialise;
}

async function exec(conn: DuckDBConnection, sql: string, where: string): Promise<void> {
  try {
    await conn.run(sql);
  } catch (e) {
    throw new Error(`warehouse: ${where}: ${(e as Error).message}`);
  }
}

async function loadDatabase({
  role,
  dataDir,
  sqlDir,
  refs,
  materialise,
}: LoadInput): Promise<DuckDBInstance> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    // UTC for every connection of this database: TIMESTAMPTZ values must not shift with the host's zone.
    await exec(conn, "SET GLOBAL TimeZone = 'UTC'", 'time zone');
    const root = resolve(dataDir);
    const baseTemplate = baseRelationTemplate(sqlDir, 'duckdb');
    // The commit markers first: a submission committed while we read the other tables stays invisible.
    const order: TableName[] = [
      'submissions',
      'voids',
      'reports',
      'staffing',
      'initiatives',
      'cadres',
      'cadre_identity',
    ];
    for (const table of order) {
      if (role === 'analyst' && RESTRICTED_TABLES.includes(table)) continue;
      const relation = relationName(table);
      const glob = `${root}/${TABLE_PREFIX[table]}/**/*.parquet`;
      const found = await conn.runAndReadAll(`select count(*) as n from glob(${quotedString(glob)})`);
      const n = Number(found.getRows()[0]?.[0] ?? 0);
      if (n > 0) {
        // {{root}} sits inside a quoted literal in the template: substitute the escaped path.
        const sql = fillTemplate(baseTemplate, {
          relation,
          prefix: TABLE_PREFIX[table],
          // quotedString adds the quotes the template already has around {{root}}: keep what is between them.
          root: quotedString(root).slice(1, -1),
        });
        await exec(conn, sql, `table ${relation}`);
        // Files written before a column was added (e.g. committed_at of the commit markers) lack it: the column
        // is there, NULL, as Athena shows a Glue column that a Parquet file lacks.
        const have = await conn.runAndReadAll(
          `select column_name from duckdb_columns() where table_name = ${quotedString(relation)}`,
        );
        const names = new Set((have.getRows() as [string][]).map(([n]) => n));
        for (const c of TABLES[table]) {
          if (!names.has(c.name))
            await exec(
              conn,
              `alter table ${relation} add column ${c.name} ${DUCK_TYPE[c.type]}`,
              `column ${relation}.${c.name}`,
            );
        }
      } else {
        // read_parquet fails on an empty glob: an empty relation with the same typed columns instead.
        const cols = [...TABLES[table].map((c) => `${c.name} ${DUCK_TYPE[c.type]}`), 'year INTEGER'];
        await exec(
          conn,
          `create or replace table ${relation} (${cols.join(', ')})`,
          `empty table ${relation}`,
        );
      }
    }
    for (const t of refs) {
      await exec(
        conn,
        `create or replace table ${t.name} (${t.columns.map((c) => `${c.name} ${c.type}`).join(', ')})`,
        `table ${t.name}`,
      );
      // Bound parameters (never spliced text), in batches of rows per INSERT.
      const cast = (c: { type: string }, n: number) =>
        c.type === 'TIMESTAMP' || c.type === 'INTEGER' ? `CAST($${n} AS ${c.type})` : `$${n}`;
      for (let start = 0; start < t.rows.length; start += REF_INSERT_BATCH) {
        const batch = t.rows.slice(start, start + REF_INSERT_BATCH);
        const tuples = batch.map(
          (_, r) => `(${t.columns.map((c, i) => cast(c, r * t.columns.length + i + 1)).join(', ')})`,
        );
        await conn.run(`insert into ${t.name} values ${tuples.join(', ')}`, batch.flat().map(refValue));
      }
    }
    const views = viewFiles(sqlDir).filter(
      (v) => role !== 'analyst' || !(RESTRICTED_VIEWS as readonly string[]).includes(v.name),
    );
    const shared = sharedViews(sqlDir);
    for (const v of views) {
      // The view's SQL runs unchanged (the portable text Athena also runs). The database is an immutable
      // snapshot (fixed files, fixed as_of), so a view can be computed once into a table of the same name:
      // later views and every query read the result instead of re-expanding the whole view chain.
      await exec(conn, v.sql, `view ${v.file}`);
      if (materialise === 'none' || (materialise === 'shared' && !shared.has(v.name))) continue;
      await exec(conn, `create table snapshot_${v.name} as select * from ${v.name}`, `materialise ${v.file}`);
      await exec(conn, `drop view ${v.name}`, `materialise ${v.file}`);
      await exec(conn, `alter table snapshot_${v.name} rename to ${v.name}`, `materialise ${v.file}`);
    }
    // A stored table that no view still reads (every view reading it was computed into a table) is dropped:
    // nationally the cadre rows would otherwise be held twice (curated_cadres and base_roster). Nothing else
    // queries the base relations (the analysts' guard allows views only).
    if (materialise !== 'none') {
      const remaining = views.filter((v) => !(materialise === 'all' || shared.has(v.name)));
      for (const table of order) {
        const relation = relationName(table);
        if (role === 'analyst' && RESTRICTED_TABLES.includes(table)) continue;
        if (!remaining.some((v) => v.reads.includes(relation)))
          await exec(conn, `drop table ${relation}`, `drop ${relation}`);
      }
    }
    // The analysts' database keeps the analysts' views (all computed into tables above) and nothing else: no
    // intermediate view, reference or plan table, whatever a statement manages to name.
    if (role === 'analyst') {
      const keep = new Set<string>(ANALYST_VIEWS);
      const objects = await conn.runAndReadAll(
        "select table_name as name, 'table' as kind from duckdb_tables() where not internal union all select view_name, 'view' from duckdb_views() where not internal",
      );
      for (const [name, kind] of objects.getRows() as [string, string][]) {
        if (!keep.has(name))
          await exec(conn, `drop ${kind} if exists ${name}`, `analysts' database: drop ${name}`);
      }
    }
    // The analysts' database gets its own bounds: one thread, and memory for what its tables hold plus a fixed
    // headroom for a query (a cross join fails with sql_out_of_memory instead of growing the server).
    if (role === 'analyst') {
      const used = await conn.runAndReadAll(
        'select coalesce(sum(memory_usage_bytes), 0) from duckdb_memory()',
      );
      const usedMb = Math.ceil(Number(used.getRows()[0]?.[0] ?? 0) / 1024 / 1024);
      await exec(conn, `SET memory_limit = '${usedMb + LIMITS.sqlMemoryHeadroomMb}MB'`, 'analysts: memory');
      await exec(conn, `SET threads = ${LIMITS.sqlThreads}`, 'analysts: threads');
      await exec(conn, "SET temp_directory = ''", 'analysts: no spilling to disk');
    }
    // Hardening (tech-notes): no file or network access from queries, and no way to turn it back on.
    await exec(conn, 'SET enable_external_access = false', 'harden');
    await exec(conn, 'SET lock_configuration = true', 'harden');
  } catch (e) {
    conn.closeSync();
    instance.closeSync();
    throw e;
  }
  conn.closeSync();
  return instance;
}

// ---- the engine -------------------------------------------------------------------------------------------

async function runQuery(
  gen: Generation,
  sql: string,
  options: QueryOptions = {},
): Promise<SqlResult & { truncated: boolean }> {
  const maxRows = options.maxRows ?? LIMITS.sqlMaxRows;
  const timeoutMs = options.timeoutMs ?? LIMITS.sqlTimeoutMs;
  const maxBytes = options.maxBytes ?? Number.MAX_SAFE_INTEGER;
  // One deadline for the whole request: parsing, planning, running and converting.
  const deadline = performance.now() + timeoutMs;
  const timeoutError = () =>
    new SqlError('sql_timeout', `${timeoutMs} ms`, { seconds: Math.round(timeoutMs / 100) / 10 });
  gen.acquire();
  let conn: DuckDBConnection | undefined;
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  try {
    // Read-only: a query starts as a query (anything else is refused before DuckDB even prepares it) …
    const head = sql.replace(/--[^\n]*/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ');
    if (!/^\s*(\(\s*)*(select|with|from|values)\b/i.test(head))
      throw new SqlError('sql_rejected', 'only SELECT is allowed');
    conn = await gen.instance.connect();
    const c = conn;
    timer = setTimeout(() => {
      timedOut = true;
      c.interrupt();
    }, timeoutMs);
    // … and exactly one statement, and it must be a SELECT (the views are the contract; nothing mutates them).
    // Errors of extraction and preparation are classified below like those of the run: out of memory is
    // sql_out_of_memory and an interrupt at the deadline sql_timeout in whichever phase it happens.
    const extracted = await conn.extractStatements(sql);
    if (extracted.count !== 1) throw new SqlError('sql_rejected', 'exactly one statement is allowed');
    const prepared = await extracted.prepare(0);
    if (prepared.statementType !== StatementType.SELECT)
      throw new SqlError('sql_rejected', 'only SELECT is allowed');
    if (options.params && options.params.length > 0) prepared.bind(options.params as DuckDBValue[]);
    const reader = await prepared.streamAndReadUntil(maxRows + 1);
    if (timedOut || performance.now() > deadline) throw timeoutError();
    return toResult(reader, maxRows, {
      maxBytes,
      deadline,
      onTimeout: () => {
        throw timeoutError();
      },
    });
  } catch (e) {
    if (e instanceof SqlError) throw e;
    if (timedOut) throw timeoutError();
    const text = (e as Error).message;
    if (/out of memory|memory limit/i.test(text))
      throw new SqlError('sql_out_of_memory', text.split('\n')[0] ?? text);
    throw new SqlError('sql_failed', text);
  } finally {
    if (timer) clearTimeout(timer);
    conn?.closeSync();
    gen.release();
  }
}

/** One analysts' database at an as_of: its queries (guarded by the caller) and the relations it holds. */
export interface AnalystDatabase {
  query(sql: string, options?: QueryOptions): Promise<SqlResult & { truncated: boolean }>;
  /** The relations it holds besides DuckDB's own (for checks: exactly the analysts' views). */
  relations(): Promise<string[]>;
  /** Closes it once its last query finishes. */
  retire(): void;
}

/**
 * Loads the analysts' database at `asOf` from a data folder (not verified here: the caller verifies): the
 * analysts' views computed into tables, nothing restricted, one thread and a memory limit, hardened.
 */
export async function loadAnalystDatabase(o: {
  dataDir: string;
  asOf: Date;
  sqlDir?: string;
  plan?: Plan;
  communes?: readonly Commune[];
}): Promise<AnalystDatabase> {
  const refs = referenceTables({ plan: o.plan ?? PLAN, communes: o.communes ?? COMMUNES, asOf: o.asOf });
  const gen = new Generation(
    await loadDatabase({
      role: 'analyst',
      dataDir: o.dataDir,
      sqlDir: o.sqlDir ?? SQL_DIR,
      refs,
      materialise: 'all',
    }),
  );
  return {
    query: (sql, opts) => runQuery(gen, sql, { maxBytes: LIMITS.sqlMaxResultBytes, ...opts }),
    async relations() {
      gen.acquire();
      const conn = await gen.instance.connect();
      try {
        const r = await conn.runAndReadAll(
          'select table_name from duckdb_tables() where not internal union all select view_name from duckdb_views() where not internal',
        );
        return (r.getRows() as [string][]).map(([n]) => n).sort();
      } finally {
        conn.closeSync();
        gen.release();
      }
    },
    retire: () => gen.retire(),
  };
}

export async function openWarehouse(options: OpenWarehouseOptions): Promise<Warehouse> {
  const clock = options.clock ?? clockFromEnv();
  const plan = options.plan ?? PLAN;
  const communes = options.communes ?? COMMUNES;
  const sqlDir = options.sqlDir ?? SQL_DIR;
  const fixedAsOf = options.asOf === undefined ? undefined : new Date(options.asOf);
  if (fixedAsOf && Number.isNaN(fixedAsOf.getTime()))
    throw new Error(`warehouse: asOf is not an instant: ${String(options.asOf)}`);

  let asOf = fixedAsOf ?? clock.now();
  let full: Generation;
  let analyst: AnalystDatabase | null = null;
  let analystLoading: Promise<AnalystDatabase> | null = null;
  let closed = false;
  let reloading: Promise<void> = Promise.resolve();

  const materialise = options.materialise ?? 'shared';
  const overlap = options.overlapReloads ?? true;
  // Files verified once are checked again only when they change (size, mtime).
  const files = new FsObjectStore(options.dataDir);
  const verifyCache = new VerifyCache((key) => files.stat(key));
  const verified = async () => {
    if (options.verify === false) return;
    const report = await verifyFolder(files, { cache: verifyCache });
    if (report.damaged.length > 0) throw new DamagedFiles(report.damaged);
  };
  /** The full database of a snapshot. */
  const buildFull = async (at: Date): Promise<Generation> => {
    await verified();
    const refs = referenceTables({ plan, communes, asOf: at });
    return new Generation(
      await loadDatabase({ role: 'full', dataDir: options.dataDir, sqlDir, refs, materialise }),
    );
  };

  /**
   * The analysts' database at the same as_of, read from the data folder on first use. Every view filters by
   * as_of (received_at, voided_at), so it shows what the full database shows; only a submission received before
   * as_of whose commit marker landed between the two loads (milliseconds after its arrival) can differ, and the
   * next reload brings both to it.
   */
  const buildAnalyst = async (at: Date): Promise<AnalystDatabase> => {
    await verified();
    return loadAnalystDatabase({ dataDir: options.dataDir, sqlDir, plan, communes, asOf: at });
  };
  // In `process` mode the analysts' database lives in a child process, loaded there at the as_of each query
  // names; the folder is verified here first, once per as_of (a damaged file is DamagedFiles, as inline).
  const analystProcess =
    options.analysts === 'process'
      ? new AnalystProcess({ dataDir: options.dataDir, sqlDir, plan, communes })
      : null;
  // Each load of the full database is a snapshot; the child holds the analysts' database of one of them
  // (as_of alone does not name a snapshot: a fixed clock gives the same as_of to every reload).
  let snapshot = 0;
  let verifiedSnapshot = -1;
  const verifiedFor = async (n: number) => {
    if (verifiedSnapshot === n) return;
    await verified();
    verifiedSnapshot = n;
  };

  full = await buildFull(asOf);

  /** The analysts' database of the current snapshot, built on first use; `stale` if a reload overtook it. */
  const analystGeneration = async (): Promise<{ db: AnalystDatabase; stale: boolean }> => {
    if (analyst) return { db: analyst, stale: false };
    if (!analystLoading) {
      const at = asOf;
      analystLoading = buildAnalyst(at).finally(() => {
        analystLoading = null;
      });
      analystLoading.then(
        (g) => {
          if (at === asOf && !closed && !analyst) analyst = g;
        },
        () => undefined,
      );
    }
    const db = await analystLoading;
    return { db, stale: db !== analyst };
  };

  /** Runs `use` on the analysts' database of the current snapshot (inline or in the analysts' process). */
  const onAnalystDatabase = async <T>(
    use: (db: Pick<AnalystDatabase, 'query' | 'relations'>) => Promise<T>,
  ): Promise<T> => {
    if (analystProcess) {
      const at = asOf;
      const n = snapshot;
      await verifiedFor(n);
      return use(analystProcess.at(at, n));
    }
    const { db, stale } = await analystGeneration();
    try {
      return await use(db);
    } finally {
      // A database a reload overtook serves the queries that waited for it, then closes.
      if (stale) db.retire();
    }
  };

  const ensureOpen = () => {
    if (closed) throw new SqlError('sql_failed', 'the warehouse is closed');
  };

  const analystEngine: SqlEngine = {
    async query(sql, opts) {
      ensureOpen();
      const verdict = await (options.guard ?? guardAnalystSql)(sql, ANALYST_VIEWS);
      if (!verdict.ok) throw new SqlError('sql_rejected', verdict.detail);
      return onAnalystDatabase((db) => db.query(sql, opts));
    },
    async close() {
      // The analysts' engine is part of the warehouse: closing the warehouse closes it.
    },
  };

  return {
    get asOf() {
      return asOf;
    },
    analyst: analystEngine,
    analystProcess: () =>
      analystProcess ? { pid: analystProcess.pid, restarts: analystProcess.restarts } : null,
    async analystRelations() {
      ensureOpen();
      return onAnalystDatabase((db) => db.relations());
    },
    async query(sql, opts) {
      ensureOpen();
      if (!overlap) await reloading;
      return runQuery(full, sql, opts);
    },
    async reload() {
      ensureOpen();
      // One reload at a time, in call order: the last call's snapshot wins.
      const run = reloading.then(async () => {
        const at = fixedAsOf ?? clock.now();
        // The analysts' database is rebuilt lazily, on its next query.
        analyst?.retire();
        analyst = null;
        if (!overlap) full.retire(); // in-flight queries finish first (Generation counts them)
        const next = await buildFull(at);
        const previous = full;
        full = next;
        asOf = at;
        snapshot++;
        if (overlap) previous.retire();
      });
      reloading = run.catch(() => undefined);
      return run;
    },
    async close() {
      if (closed) return;
      closed = true;
      full.retire();
      analyst?.retire();
      analyst = null;
      await analystProcess?.close();
    },
  };
}
