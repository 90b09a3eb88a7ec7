// Erasure of a cadre (Personal Data Protection Law 91/2025/QH15): the person's identifying data is removed
// from every stored version; what remains is anonymous statistics, so the province's figures — and the
// meeting packs already shown — stay reproducible.
//
// Removed, in every version of every commune-year that lists the person (found by staff code in a commune, or
// by national ID, and then through the person key in every commune):
//   * cadre_code  → a placeholder `XOA-xxxxxxxx` (the restricted table loses the staff code);
//   * position    → "Đã xóa" (the restricted table loses the title);
//   * person_key  → ONE new random key shared by all of the person's rows (docs/kpis.md "Erasure keeps every
//     figure": Sạch still sees the same people listed twice, but the key links to no one outside);
//   * birth_year, gender → dropped (the analysts' age band and gender become NULL).
// Stays: category, leader flag, unit, education, the competency/digital/training flags and evaluation scores —
// no longer linkable to a person. The audit trail never held personal data and is untouched; an erasure
// record under erasures/ lists which submission versions were rewritten (ids only).
//
// Every stored copy is rewritten in place while the years' compaction leases are held (so no compaction can
// write a copy from what it read before): the raw version, its per-submission Parquet files, and every
// compacted file (part-*.parquet, superseded or not) that holds rows of the version — a compacted file keeps
// all of its other rows and its submissions' rows whole, so the read rule gives the same rows as before, erased.
// Placeholders are derived from the erasure id, the version and the row, so every copy of a row reads the same.
//
// Object Lock: raw/ is in governance mode on AWS. The erasure job runs under a dedicated role allowed
// s3:BypassGovernanceRetention on raw/ (and nothing else), so it can overwrite those objects; no other role
// can. Locally the data folder has no lock. content_sha256 keeps the hash of what was received (evidence of
// the original submission); the erasure record says the stored content differs from it from then on.
import { createHmac, randomBytes } from 'node:crypto';
import { PLAN, type Plan, TABLE_PREFIX, TABLES, type TableName } from '@scorecard/data-contracts';
import { parquetReadObjects } from 'hyparquet';
import { uuidv7 } from 'uuidv7';
import { sha256Hex } from '../codec/canonical.ts';
import { toParquet } from '../codec/parquet.ts';
import {
  type CompactionManifest,
  LEASE_MS,
  listManifests,
  ORDER_COLUMN,
  PART_FILE,
  readRows,
  releaseLease,
  takeLease,
} from '../compaction/compact.ts';
import type { Clock } from '../ports/clock.ts';
import { getJson, type ObjectStore, purgeVersions, removeAll } from '../ports/object-store.ts';
import type { Actor, AuditLog } from './audit.ts';
import type { PersonKeyFn } from './person-key.ts';
import { type StoredVersion, tableKey, tableRows } from './stored.ts';

export type ErasureTarget = { commune_code: string; cadre_code: string } | { national_id: string };

export interface ErasureResult {
  erasure_id: string;
  versions_rewritten: string[];
  rows_erased: number;
  /** Years whose compacted files held the person and were rewritten. */
  years_recompacted: number[];
  /** Compacted files rewritten (keys). */
  files_rewritten: string[];
  /** Object versions removed for good (S3: what overwrites and deletes had kept; a local folder keeps none). */
  versions_removed: number;
}

const ERASED_POSITION = 'Đã xóa';

/** Tables that carry cadre rows: the ones an erasure rewrites. */
const CADRE_TABLES: readonly TableName[] = ['cadres', 'cadre_identity'];

class ErasureBusy extends Error {
  constructor(readonly year: number) {
    super(`erasure: the compaction lease of ${year} stayed taken`);
    this.name = 'ErasureBusy';
  }
}

/** Holds the compaction lease of a year, waiting (real time) for a run in progress to finish. */
async function holdLease(
  store: ObjectStore,
  clock: Clock,
  year: number,
  runId: string,
  waitMs: number,
): Promise<void> {
  const until = performance.now() + waitMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
    if (await takeLease(store, clock, year, runId)) return;
    if (performance.now() > until) throw new ErasureBusy(year);
    await new Promise((r) => setTimeout(r, delay));
  }
}

/** Rows as a Parquet reader returns them: the form compacted files are rewritten from. */
async function asRead(table: TableName, rows: Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
  const bytes = toParquet(TABLES[table], rows);
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return (await parquetReadObjects({ file })) as Record<string, unknown>[];
}

export async function eraseCadre(
  deps: {
    store: ObjectStore;
    clock: Clock;
    personKey: PersonKeyFn;
    audit: AuditLog;
    plan?: Plan;
    /** How long to wait for a compaction in progress (real time; default a lease's life). */
    leaseWaitMs?: number;
  },
  target: ErasureTarget,
  actor: Actor,
): Promise<ErasureResult> {
  const plan = deps.plan ?? PLAN;
  const { store, clock } = deps;
  const erasure_id = uuidv7();
  // No compaction may run while copies are rewritten: hold every plan year's lease (a run in progress finishes first).
  const held: number[] = [];
  try {
    for (const year of plan.years) {
      await holdLease(store, clock, year, `erasure-${erasure_id}`, deps.leaseWaitMs ?? LEASE_MS + 5_000);
      held.push(year);
    }
    return await eraseHeld({ ...deps, plan }, target, actor, erasure_id);
  } finally {
    for (const year of held) await releaseLease(store, year, `erasure-${erasure_id}`).catch(() => undefined);
  }
}

async function eraseHeld(
  deps: { store: ObjectStore; clock: Clock; personKey: PersonKeyFn; audit: AuditLog; plan: Plan },
  target: ErasureTarget,
  actor: Actor,
  erasure_id: string,
): Promise<ErasureResult> {
  const { store, plan } = deps;
  const versions: { key: string; v: StoredVersion }[] = [];
  for (const key of (await store.list('raw/')).filter((k) => k.endsWith('.json'))) {
    const v = await getJson<StoredVersion>(store, key);
    if (v) versions.push({ key, v });
  }
  // The person keys of the person: from the national ID, or every key the staff code carried in its commune.
  const personKeys = new Set<string>();
  if ('national_id' in target) personKeys.add(deps.personKey(target.national_id));
  else
    for (const { v } of versions)
      if (v.commune_code === target.commune_code)
        for (const c of v.submission.cadres)
          if (c.cadre_code === target.cadre_code) personKeys.add(c.person_key);
  // One new key per old key, shared by every row that carried it: the figures that compare people stay.
  const newKey = new Map([...personKeys].map((k) => [k, randomBytes(32).toString('hex')]));
  const placeholder = (submissionId: string, row: number) =>
    `XOA-${createHmac('sha256', erasure_id).update(`${submissionId}/${row}`).digest('hex').slice(0, 8)}`;

  const rewritten: string[] = [];
  const erasedByYear = new Map<number, Map<string, Record<TableName, Record<string, unknown>[]>>>();
  let rows = 0;
  for (const { key, v } of versions) {
    let changed = false;
    const cadres = v.submission.cadres.map((c, i) => {
      const replacement = newKey.get(c.person_key);
      if (replacement === undefined) return c;
      changed = true;
      rows++;
      const { birth_year: _b, gender: _g, ...rest } = c;
      return {
        ...rest,
        cadre_code: placeholder(v.submission_id, i),
        position: ERASED_POSITION,
        person_key: replacement,
      };
    });
    if (!changed) continue;
    const erased: StoredVersion = { ...v, submission: { ...v.submission, cadres } };
    await store.put(key, JSON.stringify(erased), { contentType: 'application/json' });
    // Its per-submission files of the tables that carry cadre rows, where they still exist (compaction sweeps
    // them; a compacted copy is rewritten below). A version claimed but never committed gets them from the
    // erased raw version when its ingest is completed.
    const rowsByTable = tableRows(erased, plan);
    const newHashes: Record<string, string> = {};
    for (const table of CADRE_TABLES) {
      const small = tableKey(table, v.year, v.submission_id);
      if (!(await store.exists(small))) continue;
      const bytes = toParquet(TABLES[table], rowsByTable[table], { compact: false });
      await store.put(small, bytes);
      newHashes[table] = sha256Hex(bytes);
    }
    // The commit marker vouches for its files (integrity/verify.ts): it learns their new hashes.
    await rehashMarker(store, v, newHashes);
    let ofYear = erasedByYear.get(v.year);
    if (!ofYear) {
      ofYear = new Map();
      erasedByYear.set(v.year, ofYear);
    }
    ofYear.set(v.submission_id, rowsByTable);
    rewritten.push(v.submission_id);
  }

  // Every compacted file of those years that holds rows of a rewritten version: the same file, those rows erased.
  const files_rewritten: string[] = [];
  const years_recompacted = new Set<number>();
  for (const [year, erased] of [...erasedByYear].sort(([a], [b]) => a - b)) {
    for (const table of CADRE_TABLES) {
      const parts = (await store.list(`${TABLE_PREFIX[table]}/year=${year}/`)).filter((k) =>
        PART_FILE.test(k),
      );
      for (const part of parts) {
        const old = await readRows(store, part);
        if (!old?.some((r) => erased.has(String(r.submission_id)))) continue;
        const out: Record<string, unknown>[] = [];
        const done = new Set<string>();
        for (const r of old) {
          const sid = String(r.submission_id);
          const replacement = erased.get(sid);
          if (!replacement) out.push(r);
          else if (!done.has(sid)) {
            done.add(sid);
            const order = ORDER_COLUMN[table];
            const fresh = await asRead(table, replacement[table]);
            out.push(...(order ? fresh.sort((a, b) => Number(a[order]) - Number(b[order])) : fresh));
          }
        }
        const bytes = toParquet(TABLES[table], out);
        await store.put(part, bytes);
        await rehashManifests(store, year, table, part, sha256Hex(bytes));
        files_rewritten.push(part);
        years_recompacted.add(year);
      }
    }
  }
  const versions_removed = await removeWhatWasKept(store);
  await store.put(
    `erasures/${erasure_id}.json`,
    JSON.stringify({
      erasure_id,
      at: deps.clock.now().toISOString(),
      by: actor.sub,
      versions_rewritten: rewritten,
      rows_erased: rows,
      files_rewritten,
      versions_removed,
    }),
    { ifNoneMatch: true },
  );
  await deps.audit.record(actor, 'cadre.erase', 'ok', erasure_id, {
    versions_rewritten: rewritten.length,
    rows_erased: rows,
    versions_removed,
  });
  return {
    erasure_id,
    versions_rewritten: rewritten,
    rows_erased: rows,
    years_recompacted: [...years_recompacted],
    files_rewritten,
    versions_removed,
  };
}

/**
 * On S3 an overwrite or a delete keeps the previous bytes as a version (raw/ under Object Lock for ten years,
 * the other buckets for their noncurrent-version days), so the person outlives the rewrite there. Removed for
 * good, once every current copy is erased:
 *   - every older version under raw/. Raw versions are written create-only, so an older version exists only
 *     where an erasure rewrote one; they are locked, so this takes the erasure role's governance bypass;
 *   - every older version under the tables that carry cadre rows — the per-submission files compaction deleted,
 *     the compacted files rewritten or retired (copies: the current files and raw/ stay);
 *   - every older version under marts/ and analysts/ (retired generations). The current generation is replaced
 *     by the refresh the erasure record triggers, which removes the retired one with its versions (marts/marts.ts,
 *     marts/analysts-layer.ts);
 *   - the Athena query results (athena/: the refresh's cadre_gaps rows, analysts' answers) and the large answers
 *     handed over under exports/downloads/ — each a copy for the moment, re-run or re-asked on demand.
 * Not limited to what this erasure rewrote: an erasure that stopped half-way (a role without the bypass) leaves
 * old versions nothing else would find, and running it again — which finds the rows already erased — completes
 * it. A local folder keeps no versions: only the last two apply there, and its folder has neither.
 */
async function removeWhatWasKept(store: ObjectStore): Promise<number> {
  let removed = await purgeVersions(store, 'raw/');
  for (const table of CADRE_TABLES) removed += await purgeVersions(store, `${TABLE_PREFIX[table]}/`);
  removed += await purgeVersions(store, 'marts/');
  removed += await purgeVersions(store, 'analysts/');
  removed += await removeAll(store, 'athena/');
  removed += await removeAll(store, 'exports/downloads/');
  return removed;
}

/** A per-submission marker's files_sha256, updated for the files an erasure rewrote (when the marker is small). */
async function rehashMarker(
  store: ObjectStore,
  v: StoredVersion,
  hashes: Record<string, string>,
): Promise<void> {
  if (Object.keys(hashes).length === 0) return;
  const key = tableKey('submissions', v.year, v.submission_id);
  const rows = await readRows(store, key);
  if (!rows) return;
  const updated = rows.map((r) => {
    const files =
      typeof r.files_sha256 === 'string' ? (JSON.parse(r.files_sha256) as Record<string, string>) : {};
    const merged = { ...files, ...hashes };
    return { ...r, files_sha256: JSON.stringify(merged, Object.keys(merged).sort()) };
  });
  await store.put(key, toParquet(TABLES.submissions, updated, { compact: false }));
}

/** Every compaction manifest that lists `part` as an output learns its new sha256. */
async function rehashManifests(
  store: ObjectStore,
  year: number,
  table: TableName,
  part: string,
  hex: string,
): Promise<void> {
  for (const key of await listManifests(store, year)) {
    const m = await getJson<CompactionManifest>(store, key);
    const entry = m?.tables[table];
    if (!m || !entry?.outputs.includes(part)) continue;
    entry.sha256 = { ...(entry.sha256 ?? {}), [part]: hex };
    await store.put(key, JSON.stringify(m), { contentType: 'application/json' });
  }
}
