// Integrity of a data folder (issue 13, item 8). A flipped byte in a Parquet file must never give a wrong rank
// silently, and a truncated one must never stop the server: every derived file is checked before it is read.
//
// What vouches for what:
//   * a per-submission data file  ← its commit marker's `files_sha256` (written last, after the files);
//   * a per-submission marker     ← its raw claim (submission id, commune, version and content hash must agree);
//   * a compacted file            ← its compaction manifest's `sha256` (written after the outputs);
//   * a void                      ← it parses and names itself (voids are written once by the register);
//   * a mart file                 ← the marts manifest's `sha256` (marts.ts);
//   * a raw version (the source)  ← its content_sha256, unless an erasure record lists it (erasure rewrites it).
// Files that nothing vouches for yet are counted as `unverified` (a submission still being written — its marker
// is not there — or a folder written before these hashes existed). Everything derived can be rebuilt from raw/
// (repair.ts); raw/ itself cannot, and is reported as such.
import { TABLE_PREFIX, type TableName } from '@scorecard/data-contracts';
import { parquetReadObjects } from 'hyparquet';
import { sha256Hex } from '../codec/canonical.ts';
import { type CompactionManifest, MANIFEST_PREFIX, PART_FILE, SMALL_FILE } from '../compaction/compact.ts';
import { contentHash, rawKey, type StoredVersion } from '../ingest/stored.ts';
import type { ObjectStore } from '../ports/object-store.ts';

type DamageProblem =
  | 'hash_mismatch'
  | 'unreadable'
  | 'marker_mismatch'
  | 'void_mismatch'
  | 'manifest_unreadable'
  | 'raw_unreadable'
  | 'raw_hash_mismatch';

export interface Damage {
  key: string;
  problem: DamageProblem;
  /** Whether repair.ts can rebuild it from raw/. */
  repairable: boolean;
}

export class DamagedFiles extends Error {
  constructor(readonly damaged: Damage[]) {
    super(`damaged files: ${damaged.map((d) => `${d.key} (${d.problem})`).join(', ')}`);
    this.name = 'DamagedFiles';
  }
}

export interface VerifyReport {
  checked: number;
  unverified: number;
  damaged: Damage[];
}

export const sha256Of = (bytes: Uint8Array): string => sha256Hex(bytes);

/** (size, mtime) of a local file: lets a long-lived process skip files it has already verified. */
export type StatFn = (key: string) => Promise<{ size: number; mtimeMs: number } | null>;

/** Files verified before, by key and (size, mtime): a changed file is verified again. */
export class VerifyCache {
  private readonly ok = new Map<string, string>();
  constructor(readonly stat: StatFn) {}
  async fresh(key: string, expected: string): Promise<boolean> {
    const st = await this.stat(key);
    return st !== null && this.ok.get(key) === `${st.size}:${st.mtimeMs}:${expected}`;
  }
  async remember(key: string, expected: string): Promise<void> {
    const st = await this.stat(key);
    if (st) this.ok.set(key, `${st.size}:${st.mtimeMs}:${expected}`);
  }
}

export interface VerifyOptions {
  /** Check raw/ too (every version is read: `npm run verify`, not each reload). */
  raw?: boolean;
  /** Check the marts' files against their manifest. */
  marts?: boolean;
  cache?: VerifyCache;
}

const DATA_PREFIXES = [...new Set(Object.values(TABLE_PREFIX).map((p) => `${p.split('/')[0]}/`))];

async function parquetRows(bytes: Uint8Array): Promise<Record<string, unknown>[]> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return (await parquetReadObjects({ file })) as Record<string, unknown>[];
}

function tableOf(key: string): { table: TableName; year: number } | null {
  for (const [table, prefix] of Object.entries(TABLE_PREFIX) as [TableName, string][]) {
    const m = new RegExp(`^${prefix}/year=([0-9]{4})/`).exec(key);
    if (m) return { table, year: Number(m[1]) };
  }
  return null;
}

/** Checks the derived files of a folder (and raw/ and marts/ when asked); never throws for damage, reports it. */
export async function verifyFolder(store: ObjectStore, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const damaged: Damage[] = [];
  let checked = 0;
  let unverified = 0;
  const expected = new Map<string, string>();

  // 1. Compaction manifests vouch for their outputs.
  for (const key of (await store.list(MANIFEST_PREFIX)).filter((k) => k.endsWith('.json'))) {
    let m: CompactionManifest;
    try {
      m = JSON.parse(
        new TextDecoder('utf-8', { fatal: true }).decode((await store.get(key)) ?? new Uint8Array()),
      ) as CompactionManifest;
    } catch {
      damaged.push({ key, problem: 'manifest_unreadable', repairable: false });
      continue;
    }
    for (const t of Object.values(m.tables ?? {}))
      for (const [out, hex] of Object.entries(t?.sha256 ?? {})) expected.set(out, hex);
  }

  const keys = (await Promise.all(DATA_PREFIXES.map((p) => store.list(p))))
    .flat()
    .filter((k) => SMALL_FILE.test(k) || PART_FILE.test(k));
  let hasRaw: boolean | undefined; // asked only when a marker's raw version is missing (rare)
  const committed = new Set<string>();

  // 2. Per-submission markers: checked against their raw claim; they vouch for their data files.
  for (const key of keys) {
    const where = tableOf(key);
    const id = SMALL_FILE.exec(key)?.[1];
    if (!where || !id || where.table !== 'submissions') continue;
    committed.add(id);
    const bytes = await store.get(key);
    if (!bytes) continue;
    let row: Record<string, unknown> | undefined;
    try {
      row = (await parquetRows(bytes))[0];
    } catch {
      row = undefined;
    }
    if (!row || row.submission_id !== id) {
      damaged.push({ key, problem: row ? 'marker_mismatch' : 'unreadable', repairable: true });
      continue;
    }
    const files =
      typeof row.files_sha256 === 'string' ? (JSON.parse(row.files_sha256) as Record<string, string>) : null;
    for (const [table, hex] of Object.entries(files ?? {}))
      expected.set(`${TABLE_PREFIX[table as TableName]}/year=${where.year}/${id}.parquet`, hex);
    const stamp = `${String(row.commune_code)}/${String(row.version)}/${String(row.content_sha256)}`;
    if (opts.cache && (await opts.cache.fresh(key, stamp))) {
      checked++;
      continue;
    }
    const raw = await store.get(rawKey(where.year, String(row.commune_code), Number(row.version)));
    if (!raw) {
      // A folder of derived files only (as the cloud's curated bucket is): nothing to check it against. In a
      // folder with raw/, a marker naming a version that does not exist is itself damaged.
      hasRaw ??= (await store.list('raw/')).length > 0;
      if (hasRaw) damaged.push({ key, problem: 'marker_mismatch', repairable: true });
      else unverified++;
      continue;
    }
    let v: StoredVersion | null = null;
    try {
      v = JSON.parse(new TextDecoder().decode(raw)) as StoredVersion;
    } catch {
      v = null;
    }
    // Every field of the marker that raw/ also holds must agree with it (committed_at, which raw/ cannot know,
    // must at least not precede the claim).
    const receivedMs = row.received_at instanceof Date ? row.received_at.getTime() : Number.NaN;
    const committedMs = row.committed_at instanceof Date ? row.committed_at.getTime() : null;
    if (
      !v ||
      v.submission_id !== id ||
      v.content_sha256 !== row.content_sha256 ||
      v.version !== Number(row.version) ||
      v.commune_code !== row.commune_code ||
      Date.parse(v.received_at) !== receivedMs ||
      v.submitted_by !== row.submitted_by ||
      v.schema_version !== Number(row.schema_version) ||
      v.submission.cadres.length !== Number(row.cadre_rows) ||
      (committedMs !== null && committedMs < receivedMs)
    ) {
      damaged.push({ key, problem: 'marker_mismatch', repairable: v !== null });
      continue;
    }
    checked++;
    await opts.cache?.remember(key, stamp);
  }

  // 3. Every other data file against what vouches for it.
  for (const key of keys) {
    const where = tableOf(key);
    if (!where) continue;
    const id = SMALL_FILE.exec(key)?.[1];
    if (id && where.table === 'submissions') continue; // checked above
    const hex = expected.get(key);
    if (!hex) {
      if (id && where.table === 'voids') {
        const rows = await store.get(key).then(
          (b) => (b ? parquetRows(b) : []),
          () => null,
        );
        if (!rows || rows[0]?.submission_id !== id)
          damaged.push({ key, problem: rows ? 'void_mismatch' : 'unreadable', repairable: false });
        else checked++;
        continue;
      }
      // A submission still being written (no marker yet) is not visible: nothing to vouch for it yet.
      if (id && !committed.has(id)) continue;
      unverified++;
      continue;
    }
    if (opts.cache && (await opts.cache.fresh(key, hex))) {
      checked++;
      continue;
    }
    const bytes = await store.get(key);
    if (!bytes) continue; // swept meanwhile
    if (sha256Of(bytes) !== hex) {
      damaged.push({ key, problem: 'hash_mismatch', repairable: true });
      continue;
    }
    checked++;
    await opts.cache?.remember(key, hex);
  }

  // 4. The marts, against their manifest.
  if (opts.marts) {
    const m = await store.get('marts/_manifest.json');
    if (m) {
      try {
        const manifest = JSON.parse(new TextDecoder().decode(m)) as {
          files: Record<string, string>;
          sha256?: Record<string, string>;
        };
        for (const key of Object.values(manifest.files)) {
          const hex = manifest.sha256?.[key];
          const bytes = await store.get(key);
          if (!hex) unverified++;
          else if (!bytes || sha256Of(bytes) !== hex)
            damaged.push({ key, problem: 'hash_mismatch', repairable: true });
          else checked++;
        }
      } catch {
        damaged.push({ key: 'marts/_manifest.json', problem: 'manifest_unreadable', repairable: true });
      }
    }
  }

  // 5. raw/, the source: each version against its content hash (erased versions excepted).
  if (opts.raw) {
    const erased = new Set<string>();
    for (const key of (await store.list('erasures/')).filter((k) => k.endsWith('.json'))) {
      try {
        const r = JSON.parse(new TextDecoder().decode((await store.get(key)) ?? new Uint8Array())) as {
          versions_rewritten?: string[];
        };
        for (const id of r.versions_rewritten ?? []) erased.add(id);
      } catch {
        // An unreadable erasure record: the versions it lists are checked like any other.
      }
    }
    for (const key of (await store.list('raw/')).filter((k) => k.endsWith('.json'))) {
      const bytes = await store.get(key);
      let v: StoredVersion | null = null;
      try {
        v = bytes
          ? (JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as StoredVersion)
          : null;
      } catch {
        v = null;
      }
      if (!v?.submission) damaged.push({ key, problem: 'raw_unreadable', repairable: false });
      else if (!erased.has(v.submission_id) && contentHash(v.submission) !== v.content_sha256)
        damaged.push({ key, problem: 'raw_hash_mismatch', repairable: false });
      else checked++;
    }
  }
  return { checked, unverified, damaged };
}

/**
 * The files a failed load names: DamagedFiles' list, or the Parquet paths an engine error mentions (a file
 * nothing vouches for yet, truncated: DuckDB names it when it cannot read it). Null: not a data problem.
 */
export function damagedFilesOf(e: unknown, root: string): string[] | null {
  if (e instanceof DamagedFiles) return e.damaged.map((d) => d.key);
  const text = e instanceof Error ? e.message : '';
  const paths = [...text.matchAll(/["'(\s]?(\/[^"'\s)]+\.parquet)/g)].map((m) => m[1] as string);
  if (paths.length === 0) return null;
  const prefix = root.endsWith('/') ? root : `${root}/`;
  return [...new Set(paths.map((p) => (p.startsWith(prefix) ? p.slice(prefix.length) : p)))];
}
