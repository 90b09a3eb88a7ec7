// Compaction: one Parquet object per submission and table means ~100 k small objects at national scale.
// This rewrites a year's small files of each table into one large file per table, through the ObjectStore
// port only (pure JavaScript Parquet: runs in Lambda as well as locally), without any reader ever seeing a
// row twice or missing one, and without losing a submission that commits while it runs.
//
// THE READ RULE (what every reader of curated/<table>/ and restricted/cadre_identity/ must apply; see
// sql/tables/{duckdb,athena}/base_relation.sql for the DuckDB and Athena texts):
//   Per submission_id, a table's rows come from exactly ONE file — the one whose path sorts first.
//   Per-submission files are named `<submission_id>.parquet` (hex + '-'), compacted files `part-<run>.parquet`,
//   and 'p' sorts after every hex digit, so a per-submission file always wins over a compacted copy (this is
//   what lets the erasure job overwrite a person's rows by rewriting the per-submission file).
// Every file holds ALL of a submission's rows for its table, never part of them, so the rule yields each
// submission's rows exactly once whatever mixture of small and compacted copies exists at that instant.
//
// THE PROTOCOL (per year; each step is one atomic object write or delete, so a crash between any two leaves
// a state the read rule turns into the same rows):
//   1. list the commit markers (curated/submissions/year=Y/): the committed set S. Files of submissions not
//      in S (an ingest in progress, or committing right now) are never read, written or deleted;
//   2. per table: read every file of S (small ones and earlier compactions), keep per submission the rows of
//      the file the read rule picks, write them as ONE new file part-<run>.parquet (create-only). The marker
//      table goes last, so a compacted marker never exists without the compacted data of the same submissions;
//   3. write the manifest compaction/manifests/year=Y/<run>.json: the run's inputs, outputs and covered ids —
//      the coverage index that tells the ingest service a submission is committed (or voided) once its small
//      marker (or void) is gone (index.ts);
//   4. sweep (this run, or a later one once `graceMs` has passed since the manifest — so that a reader that
//      listed the small files just before can still open them): delete the inputs, then the manifests of
//      earlier runs (this run's covers all their ids), then mark the manifest swept.
// Two runs at once are safe too (each deletes only files it read, after writing a file that holds their
// rows); a lease (compaction/lock/year=Y.json) just keeps them from doing the work twice.
import { TABLE_PREFIX, TABLES, type TableName } from '@scorecard/data-contracts';
import { parquetReadObjects } from 'hyparquet';
import { uuidv7 } from 'uuidv7';
import { sha256Hex as sha256Of } from '../codec/canonical.ts';
import { toParquet } from '../codec/parquet.ts';
import type { Clock } from '../ports/clock.ts';
import { releaseStoreLease, takeStoreLease } from '../ports/lease.ts';
import { getJson, type ObjectStore } from '../ports/object-store.ts';

/** Tables compacted, in order: data first, the restricted identity table, voids, the commit markers last. */
export const COMPACTED_TABLES: readonly TableName[] = [
  'reports',
  'staffing',
  'initiatives',
  'cadres',
  'cadre_identity',
  'voids',
  'submissions',
];

/** Readers that listed a file just before it was superseded may still open it this long after (Athena's query timeout). */
export const DEFAULT_GRACE_MS = 30 * 60_000;
/** A lease older than this is taken over (a crashed run). */
export const LEASE_MS = 15 * 60_000;

export const MANIFEST_PREFIX = 'compaction/manifests/';
const LOCK_PREFIX = 'compaction/lock/';

export const SMALL_FILE = /\/([0-9a-f-]{36})\.parquet$/;
export const PART_FILE = /\/part-[0-9a-z-]+\.parquet$/;

export interface CompactionManifest {
  run_id: string;
  year: number;
  written_at: string;
  swept_at: string | null;
  tables: Partial<
    Record<
      TableName,
      {
        outputs: string[];
        inputs: string[];
        submission_ids: string[];
        rows: number;
        sha256?: Record<string, string>;
      }
    >
  >;
}

type StepHook = (step: string) => Promise<void> | void;

export interface CompactOptions {
  store: ObjectStore;
  clock: Clock;
  year: number;
  tables?: readonly TableName[];
  /** Sweep this run's inputs only when this much time has passed (default DEFAULT_GRACE_MS; 0 = now). */
  graceMs?: number;
  runId?: string;
  /** Called before every store mutation with a step name; a test throws here to simulate a crash. */
  onStep?: StepHook;
}

export interface CompactResult {
  year: number;
  run_id: string;
  status: 'compacted' | 'nothing_to_do' | 'busy';
  tables: Partial<Record<TableName, { inputs: number; rows: number; outputs: string[] }>>;
  swept: string[];
  files_before: number;
  files_after: number;
}

/** Objects read or deleted at once (small objects: latency-bound on S3 and on a busy disk). */
const READ_CONCURRENCY = 16;

/** Maps with at most `n` promises in flight; results in input order. */
async function mapPool<T, R>(items: readonly T[], n: number, f: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}

export function prefixOf(table: TableName, year: number): string {
  return `${TABLE_PREFIX[table]}/year=${year}/`;
}

/** The file the read rule picks among those holding a submission: the path that sorts first. */
function preferred(paths: readonly string[]): string {
  return [...paths].sort()[0] as string;
}

function isDataFile(key: string): boolean {
  return SMALL_FILE.test(key) || PART_FILE.test(key);
}

function smallId(key: string): string | null {
  return SMALL_FILE.exec(key)?.[1] ?? null;
}

export async function readRows(store: ObjectStore, key: string): Promise<Record<string, unknown>[] | null> {
  const bytes = await store.get(key);
  if (!bytes) return null;
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return (await parquetReadObjects({ file })) as Record<string, unknown>[];
}

/** The submission ids of every compacted marker file of a year, plus the small markers: the committed set. */
async function committedSet(
  store: ObjectStore,
  year: number,
): Promise<{ ids: Set<string>; files: string[] }> {
  const files = (await store.list(prefixOf('submissions', year))).filter(isDataFile);
  const ids = new Set<string>();
  for (const key of files) {
    const id = smallId(key);
    if (id) {
      ids.add(id);
      continue;
    }
    for (const row of (await readRows(store, key)) ?? []) ids.add(String(row.submission_id));
  }
  return { ids, files };
}

export const ORDER_COLUMN: Partial<Record<TableName, string>> = {
  cadres: 'row_no',
  cadre_identity: 'row_no',
  initiatives: 'item_no',
};

/**
 * Whether a table-year needs a run: a per-submission file of a committed submission that no manifest lists
 * as an input yet (files already listed only wait for their sweep), or more than one compacted file not yet
 * superseded (a crash left an output without its manifest, or two runs overlapped).
 */
async function needsWork(
  store: ObjectStore,
  table: TableName,
  year: number,
  ids: ReadonlySet<string>,
  pending: ReadonlySet<string>,
) {
  const keys = (await store.list(prefixOf(table, year))).filter(isDataFile);
  // Compacted files that an unswept manifest already lists as inputs are superseded: they only await the sweep.
  if (keys.filter((k) => PART_FILE.test(k) && !pending.has(k)).length > 1) return true;
  return keys.some((k) => {
    const id = smallId(k);
    return id !== null && ids.has(id) && !pending.has(k);
  });
}

/**
 * Rows of one table-year under the read rule, restricted to `ids`: the inputs read (files whose rows were
 * kept or superseded) and the rows, ordered by submission then row.
 */
async function gather(store: ObjectStore, table: TableName, year: number, ids: ReadonlySet<string>) {
  const keys = (await store.list(prefixOf(table, year))).filter(isDataFile).filter((key) => {
    const id = smallId(key);
    return id === null || ids.has(id); // not committed (yet): not ours to touch
  });
  const read = await mapPool(keys, READ_CONCURRENCY, (key) => readRows(store, key));
  const byFile = new Map<string, Map<string, Record<string, unknown>[]>>();
  const filesOf = new Map<string, string[]>();
  const inputs: string[] = [];
  for (const [i, key] of keys.entries()) {
    const rows = read[i] ?? null;
    if (rows === null) continue; // swept meanwhile by another run: its rows are in that run's output
    inputs.push(key);
    const groups = new Map<string, Record<string, unknown>[]>();
    for (const row of rows) {
      const sid = String(row.submission_id);
      if (!ids.has(sid))
        throw new Error(`compaction: ${key} holds rows of ${sid}, which has no commit marker`);
      let g = groups.get(sid);
      if (!g) {
        g = [];
        groups.set(sid, g);
      }
      g.push(row);
    }
    byFile.set(key, groups);
    for (const sid of groups.keys()) {
      let f = filesOf.get(sid);
      if (!f) {
        f = [];
        filesOf.set(sid, f);
      }
      f.push(key);
    }
  }
  const order = ORDER_COLUMN[table];
  const rows: Record<string, unknown>[] = [];
  const covered = [...filesOf.keys()].sort();
  for (const sid of covered) {
    const chosen = byFile.get(preferred(filesOf.get(sid) as string[]))?.get(sid) ?? [];
    const sorted = order ? [...chosen].sort((a, b) => Number(a[order]) - Number(b[order])) : chosen;
    rows.push(...sorted);
  }
  return { inputs, rows, covered };
}

/** Takes the year's lease (create-only); a lease older than LEASE_MS is taken over. */
export function takeLease(store: ObjectStore, clock: Clock, year: number, runId: string): Promise<boolean> {
  return takeStoreLease(store, clock, `${LOCK_PREFIX}year=${year}.json`, runId, LEASE_MS);
}

export function releaseLease(store: ObjectStore, year: number, runId: string): Promise<void> {
  return releaseStoreLease(store, `${LOCK_PREFIX}year=${year}.json`, runId);
}

export async function listManifests(store: ObjectStore, year: number): Promise<string[]> {
  return (await store.list(`${MANIFEST_PREFIX}year=${year}/`)).filter((k) => k.endsWith('.json'));
}

/**
 * Deletes the inputs of every manifest of the year written at least graceMs ago, then the manifests it
 * supersedes. Idempotent: a crash part-way is finished by the next sweep.
 */
async function sweep(opts: {
  store: ObjectStore;
  clock: Clock;
  year: number;
  graceMs?: number;
  onStep?: StepHook;
}): Promise<string[]> {
  const { store, clock, year } = opts;
  const grace = opts.graceMs ?? DEFAULT_GRACE_MS;
  const step = opts.onStep ?? (() => undefined);
  const deleted: string[] = [];
  const keys = await listManifests(store, year);
  const manifests = (
    await Promise.all(keys.map(async (k) => ({ key: k, m: await getJson<CompactionManifest>(store, k) })))
  ).filter((x): x is { key: string; m: CompactionManifest } => x.m !== null);
  manifests.sort(
    (a, b) => a.m.written_at.localeCompare(b.m.written_at) || a.m.run_id.localeCompare(b.m.run_id),
  );
  for (const [i, { key, m }] of manifests.entries()) {
    if (m.swept_at !== null) continue;
    if (clock.now().getTime() - Date.parse(m.written_at) < grace) continue;
    // Never delete an output of this very manifest (a later run may have listed it as an input: then it is
    // that run's sweep that deletes it).
    const outputs = new Set(Object.values(m.tables).flatMap((t) => t?.outputs ?? []));
    // Markers last: a small marker disappears only after every data file of the same submission is covered.
    for (const table of COMPACTED_TABLES) {
      const inputs = (m.tables[table]?.inputs ?? []).filter((k) => !outputs.has(k));
      // Batches of deletes in flight; the hook still sees (and may stop before) each one in order.
      for (let b = 0; b < inputs.length; b += READ_CONCURRENCY) {
        const batch = inputs.slice(b, b + READ_CONCURRENCY);
        for (const input of batch) await step(`sweep:${table}:${input}`);
        await Promise.all(batch.map((k) => store.delete(k)));
        deleted.push(...batch);
      }
    }
    // Earlier manifests whose every id this one covers (its run read their outputs) are redundant: drop them.
    for (const older of manifests.slice(0, i)) {
      if (!covers(m, older.m)) continue;
      await step(`sweep:manifest:${older.key}`);
      await store.delete(older.key);
    }
    await step(`sweep:mark:${key}`);
    await store.put(
      key,
      JSON.stringify({ ...m, swept_at: clock.now().toISOString() } satisfies CompactionManifest),
      { contentType: 'application/json' },
    );
  }
  return deleted;
}

/** True when `a` lists every submission id `b` lists, table by table. */
function covers(a: CompactionManifest, b: CompactionManifest): boolean {
  return Object.entries(b.tables).every(([table, t]) => {
    const mine = new Set(a.tables[table as TableName]?.submission_ids ?? []);
    return (t?.submission_ids ?? []).every((id) => mine.has(id));
  });
}

async function countFiles(store: ObjectStore, tables: readonly TableName[], year: number): Promise<number> {
  let n = 0;
  for (const t of tables) n += (await store.list(prefixOf(t, year))).filter(isDataFile).length;
  return n;
}

/** Compacts one year (protocol above). Returns what it did; `busy` when another run holds the year's lease. */
export async function compactYear(o: CompactOptions): Promise<CompactResult> {
  const { store, clock, year } = o;
  const tables = COMPACTED_TABLES.filter((t) => (o.tables ?? COMPACTED_TABLES).includes(t));
  const runId = o.runId ?? uuidv7();
  const step = o.onStep ?? (() => undefined);
  const result: CompactResult = {
    year,
    run_id: runId,
    status: 'nothing_to_do',
    tables: {},
    swept: [],
    files_before: 0,
    files_after: 0,
  };
  result.files_before = await countFiles(store, tables, year);

  await step('lease');
  if (!(await takeLease(store, clock, year, runId)))
    return { ...result, status: 'busy', files_after: result.files_before };
  try {
    // 1. The committed set, listed once, before any data file: a submission that commits later is not in it.
    const { ids } = await committedSet(store, year);
    const manifest: CompactionManifest = { run_id: runId, year, written_at: '', swept_at: null, tables: {} };
    // 2. One output per table, markers last.
    // Inputs of manifests not yet swept: covered already, waiting only for their grace period.
    const pending = new Set<string>();
    for (const key of await listManifests(store, year)) {
      const m = await getJson<CompactionManifest>(store, key);
      if (m && m.swept_at === null)
        for (const t of Object.values(m.tables)) for (const k of t?.inputs ?? []) pending.add(k);
    }
    for (const table of tables) {
      if (!(await needsWork(store, table, year, ids, pending))) continue;
      const { inputs, rows, covered } = await gather(store, table, year, ids);
      const out = `${prefixOf(table, year)}part-${runId}.parquet`;
      await step(`write:${table}`);
      const bytes = toParquet(TABLES[table], rows);
      await store.put(out, bytes, { ifNoneMatch: true });
      // The manifest vouches for its output: a load verifies the file against it (integrity/verify.ts).
      manifest.tables[table] = {
        outputs: [out],
        inputs,
        submission_ids: covered,
        rows: rows.length,
        sha256: { [out]: sha256Of(bytes) },
      };
      result.tables[table] = { inputs: inputs.length, rows: rows.length, outputs: [out] };
    }
    if (Object.keys(manifest.tables).length > 0) {
      // 3. The manifest (coverage index), after the outputs it names.
      manifest.written_at = clock.now().toISOString();
      await step('manifest');
      await store.put(`${MANIFEST_PREFIX}year=${year}/${runId}.json`, JSON.stringify(manifest), {
        ifNoneMatch: true,
        contentType: 'application/json',
      });
      result.status = 'compacted';
    }
    // 4. Sweep whatever is old enough (this run's inputs when graceMs is 0).
    result.swept = await sweep({
      store,
      clock,
      year,
      ...(o.graceMs !== undefined ? { graceMs: o.graceMs } : {}),
      onStep: step,
    });
  } finally {
    await releaseLease(store, year, runId).catch(() => undefined);
  }
  result.files_after = await countFiles(store, tables, year);
  return result;
}
