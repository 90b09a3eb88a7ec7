// Rebuilds damaged derived files from raw/ (issue 13, item 8; `npm run repair`). Raw versions are the source:
// a per-submission file or marker is written again from its version (tableRows, as the ingest wrote it), a
// compacted file from the versions its manifest lists (under the read rule: the version's rows, erased where an
// erasure rewrote raw/), and damaged marts are dropped so that the next refresh writes them anew. What cannot be
// rebuilt (raw/ itself, a void, a compaction manifest) is reported, never guessed.
//
// A marker that is rebuilt loses the instant it was first committed when that is unreadable: it then carries
// none, and the views fall back to its received_at (010_base_submissions.sql).
import {
  PLAN,
  type Plan,
  SUBMISSION_TABLES_IN_WRITE_ORDER,
  TABLE_PREFIX,
  TABLES,
  type TableName,
} from '@scorecard/data-contracts';
import { parquetReadObjects } from 'hyparquet';
import { toParquet } from '../codec/parquet.ts';
import {
  type CompactionManifest,
  MANIFEST_PREFIX,
  ORDER_COLUMN,
  releaseLease,
  SMALL_FILE,
  takeLease,
} from '../compaction/compact.ts';
import { type StoredVersion, tableKey, tableRows } from '../ingest/stored.ts';
import type { Clock } from '../ports/clock.ts';
import { getJson, type ObjectStore } from '../ports/object-store.ts';
import { type Damage, sha256Of, verifyFolder } from './verify.ts';

export interface RepairReport {
  repaired: string[];
  unrepairable: Damage[];
  /** What a verification finds after the repair. */
  remaining: Damage[];
}

function yearOf(key: string): number | null {
  const m = /\/year=([0-9]{4})\//.exec(key);
  return m ? Number(m[1]) : null;
}

function tableOf(key: string): TableName | null {
  for (const [table, prefix] of Object.entries(TABLE_PREFIX) as [TableName, string][])
    if (key.startsWith(`${prefix}/`)) return table;
  return null;
}

async function rowsOfFile(store: ObjectStore, key: string): Promise<Record<string, unknown>[] | null> {
  const bytes = await store.get(key);
  if (!bytes) return null;
  try {
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    return (await parquetReadObjects({ file })) as Record<string, unknown>[];
  } catch {
    return null;
  }
}

/** Every raw version of a year, by submission id. */
async function versionsOf(store: ObjectStore, year: number): Promise<Map<string, StoredVersion>> {
  const out = new Map<string, StoredVersion>();
  for (const key of (await store.list(`raw/year=${year}/`)).filter((k) => k.endsWith('.json'))) {
    const v = await getJson<StoredVersion>(store, key).catch(() => null);
    if (v) out.set(v.submission_id, v);
  }
  return out;
}

/** The marker row's committed_at when the marker (small or compacted) can still be read. */
async function committedAtOf(store: ObjectStore, year: number, id: string): Promise<Date | null> {
  for (const key of await store.list(`${TABLE_PREFIX.submissions}/year=${year}/`)) {
    const rows = await rowsOfFile(store, key);
    const row = rows?.find((r) => r.submission_id === id);
    if (row?.committed_at instanceof Date) return row.committed_at;
  }
  return null;
}

/** Writes a submission's per-submission files and, last, its marker with their hashes — as the ingest does. */
async function writeSubmissionFiles(
  store: ObjectStore,
  v: StoredVersion,
  plan: Plan,
  committedAt: Date | null,
): Promise<void> {
  const rows = tableRows(v, plan, committedAt);
  const hashes: Record<string, string> = {};
  for (const table of SUBMISSION_TABLES_IN_WRITE_ORDER) {
    if (table === 'submissions') continue;
    const bytes = toParquet(TABLES[table], rows[table], { compact: false });
    hashes[table] = sha256Of(bytes);
    await store.put(tableKey(table, v.year, v.submission_id), bytes);
  }
  const marker = rows.submissions.map((r) => ({ ...r, files_sha256: JSON.stringify(hashes) }));
  await store.put(
    tableKey('submissions', v.year, v.submission_id),
    toParquet(TABLES.submissions, marker, { compact: false }),
  );
}

export async function repairFolder(deps: {
  store: ObjectStore;
  clock: Clock;
  plan?: Plan;
}): Promise<RepairReport> {
  const { store, clock } = deps;
  const plan = deps.plan ?? PLAN;
  const before = await verifyFolder(store, { marts: true });
  const repaired: string[] = [];
  const unrepairable: Damage[] = [];
  const runId = `repair-${clock.now().getTime()}`;
  const years = new Set<number>();
  for (const d of before.damaged) {
    const y = yearOf(d.key);
    if (y !== null) years.add(y);
  }
  const held: number[] = [];
  try {
    // No compaction may run while compacted files are rewritten.
    for (const y of years) if (await takeLease(store, clock, y, runId)) held.push(y);
    for (const d of before.damaged) {
      if (!d.repairable) {
        unrepairable.push(d);
        continue;
      }
      if (d.key.startsWith('marts/')) {
        // Dropped: the next refresh writes the marts anew (the server keeps its last good ones meanwhile).
        await store.delete('marts/_manifest.json');
        repaired.push(d.key);
        continue;
      }
      const year = yearOf(d.key);
      const table = tableOf(d.key);
      if (year === null || table === null) {
        unrepairable.push({ ...d, repairable: false });
        continue;
      }
      const versions = await versionsOf(store, year);
      const id = SMALL_FILE.exec(d.key)?.[1];
      if (id) {
        const v = versions.get(id);
        if (!v) {
          unrepairable.push({ ...d, repairable: false });
          continue;
        }
        await writeSubmissionFiles(store, v, plan, await committedAtOf(store, year, id));
        repaired.push(d.key);
        continue;
      }
      // A compacted file: the versions its manifest lists, from raw/.
      let owner: { key: string; m: CompactionManifest } | null = null;
      for (const key of await store.list(`${MANIFEST_PREFIX}year=${year}/`)) {
        const m = await getJson<CompactionManifest>(store, key).catch(() => null);
        if (m?.tables[table]?.outputs.includes(d.key)) owner = { key, m };
      }
      const entry = owner?.m.tables[table];
      if (!owner || !entry) {
        unrepairable.push({ ...d, repairable: false });
        continue;
      }
      const rows: Record<string, unknown>[] = [];
      let missing = false;
      for (const sid of [...entry.submission_ids].sort()) {
        const v = versions.get(sid);
        if (!v) {
          missing = true;
          break;
        }
        const committedAt = table === 'submissions' ? await committedAtOf(store, year, sid) : null;
        const own = tableRows(v, plan, committedAt)[table];
        const order = ORDER_COLUMN[table];
        rows.push(...(order ? [...own].sort((a, b) => Number(a[order]) - Number(b[order])) : own));
      }
      if (missing || table === 'voids') {
        unrepairable.push({ ...d, repairable: false });
        continue;
      }
      const bytes = toParquet(TABLES[table], rows);
      await store.put(d.key, bytes);
      entry.sha256 = { ...(entry.sha256 ?? {}), [d.key]: sha256Of(bytes) };
      await store.put(owner.key, JSON.stringify(owner.m), { contentType: 'application/json' });
      repaired.push(d.key);
    }
  } finally {
    for (const y of held) await releaseLease(store, y, runId).catch(() => undefined);
  }
  const after = await verifyFolder(store, { marts: true });
  return { repaired, unrepairable, remaining: after.damaged };
}
