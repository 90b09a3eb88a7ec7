// The object-store port. One key layout for every adapter (local folder, S3):
//   raw/year=Y/commune=C/v000001.json          immutable submission versions (the version claim)
//   curated/<table>/year=Y/<submission_id>.parquet   analysis tables; curated/submissions/… is the commit marker
//   restricted/cadre_identity/year=Y/<id>.parquet    staff codes and positions (never granted to analysts)
//   curated/voids/year=Y/<id>.parquet          admin voids
//   audit/date=YYYY-MM-DD/<uuidv7>.json        append-only audit trail
//   audit/daily/date=YYYY-MM-DD.jsonl          a closed day of it in one object, written on its first read
//   idempotency/<hash>.json                    HTTP Idempotency-Key records
//   marts/…                                    materialised views for the API
//   exports/<export_id>/…                      meeting packs
//   analysts/<view>/generation=<id>/…          the analysts' layer (cloud: written by the marts refresh)
//   erasures/<erasure_id>.json                 erasure records (ids and counts only)

export class PreconditionFailed extends Error {
  constructor(readonly key: string) {
    super(`object already exists: ${key}`);
    this.name = 'PreconditionFailed';
  }
}

export interface PutOptions {
  /** Create only: fail with PreconditionFailed if the key exists (S3 `If-None-Match: *`). */
  ifNoneMatch?: boolean;
  contentType?: string;
  /** Stored with the object and sent back with it (S3 Content-Encoding): gzip bytes handed over as such. */
  contentEncoding?: string;
}

export interface ObjectStore {
  /** The object's bytes, or null when it does not exist. */
  get(key: string): Promise<Uint8Array | null>;
  exists(key: string): Promise<boolean>;
  /** Atomic: readers see the old object, or the whole new one, never part of it. */
  put(key: string, body: Uint8Array | string, options?: PutOptions): Promise<void>;
  /** Every key under a prefix, sorted. */
  list(prefix: string): Promise<string[]>;
  delete(key: string): Promise<void>;
  /** A local path for engines that read files directly (DuckDB); undefined for remote stores. */
  localPath?(key: string): string;
  /**
   * Every version the store keeps of the keys under a prefix, delete markers included (S3 versioned buckets):
   * what an overwrite or a delete left behind. Absent where a store keeps no versions (a local folder).
   */
  versions?(prefix: string): Promise<ObjectVersion[]>;
  /** Removes one version for good (S3 DeleteObject with a VersionId; governance retention bypassed where allowed). */
  deleteVersion?(key: string, versionId: string): Promise<void>;
}

export interface ObjectVersion {
  key: string;
  versionId: string;
  /** The version a plain GET sees (or, for a delete marker, the one that hides the key). */
  latest: boolean;
  deleteMarker: boolean;
}

/**
 * Removes for good what overwrites and deletes left behind under a prefix: every version but the latest of
 * each key `select` picks (default every key). Returns how many versions went. A store without versions keeps
 * nothing behind: nothing to do.
 */
export async function purgeVersions(
  store: ObjectStore,
  prefix: string,
  select: (key: string) => boolean = () => true,
): Promise<number> {
  if (!store.versions || !store.deleteVersion) return 0;
  let removed = 0;
  for (const v of await store.versions(prefix)) {
    if (v.latest || !select(v.key)) continue;
    await store.deleteVersion(v.key, v.versionId);
    removed++;
  }
  return removed;
}

/** Every object under a prefix, with every version of it, removed for good. Returns how many went. */
export async function removeAll(store: ObjectStore, prefix: string): Promise<number> {
  let removed = 0;
  if (store.versions && store.deleteVersion)
    for (const v of await store.versions(prefix)) {
      await store.deleteVersion(v.key, v.versionId);
      removed++;
    }
  // A store (or bucket) that keeps no versions lists none: its current objects are all there is.
  for (const key of await store.list(prefix)) {
    await store.delete(key);
    removed++;
  }
  return removed;
}

/** Deletes a key with every version of it (on a store without versions, a plain delete). */
export async function deleteWithVersions(store: ObjectStore, key: string): Promise<void> {
  if (!store.versions || !store.deleteVersion) return store.delete(key);
  const all = (await store.versions(key)).filter((v) => v.key === key);
  if (all.length === 0) return store.delete(key);
  for (const v of all) await store.deleteVersion(key, v.versionId);
}

export async function getJson<T>(store: ObjectStore, key: string): Promise<T | null> {
  const bytes = await store.get(key);
  return bytes === null ? null : (JSON.parse(new TextDecoder().decode(bytes)) as T);
}
