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
}

export async function getJson<T>(store: ObjectStore, key: string): Promise<T | null> {
  const bytes = await store.get(key);
  return bytes === null ? null : (JSON.parse(new TextDecoder().decode(bytes)) as T);
}
