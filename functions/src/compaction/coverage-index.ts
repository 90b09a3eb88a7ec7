// The coverage index: after compaction, a submission's small commit marker (and its void) are gone, so code
// that asks "is this version committed / voided?" by the existence of curated/submissions/year=Y/<id>.parquet
// (ingest-service.ts isCommitted/isVoided, registry.ts history/locate/readVoid) must also look here.
// Order matters and is safe: compaction writes the manifest before it deletes a small file, so a caller that
// checks the small file first and the manifests second never misses a committed submission.
import type { TableName } from '@scorecard/data-contracts';
import { getJson, type ObjectStore } from '../ports/object-store.ts';
import { type CompactionManifest, listManifests, prefixOf, readRows } from './compact.ts';

export class CompactionIndex {
  private readonly cache = new Map<string, CompactionManifest | null>();
  constructor(private readonly store: ObjectStore) {}

  /** Submission ids the manifests of a year say a compacted file of `table` holds. */
  async coveredIds(table: TableName, year: number): Promise<Set<string>> {
    const ids = new Set<string>();
    for (const key of await listManifests(this.store, year)) {
      let m = this.cache.get(key);
      // A manifest's covered ids never change (only swept_at does): cache it by key.
      if (m === undefined) {
        m = await getJson<CompactionManifest>(this.store, key);
        this.cache.set(key, m);
      }
      for (const id of m?.tables[table]?.submission_ids ?? []) ids.add(id);
    }
    return ids;
  }

  /** The small file first, then the manifests (see the header for why this order is safe). */
  async has(table: TableName, year: number, id: string): Promise<boolean> {
    if (await this.store.exists(`${prefixOf(table, year)}${id}.parquet`)) return true;
    return (await this.coveredIds(table, year)).has(id);
  }

  isCommitted(year: number, id: string): Promise<boolean> {
    return this.has('submissions', year, id);
  }

  isVoided(year: number, id: string): Promise<boolean> {
    return this.has('voids', year, id);
  }

  /** The rows of one submission in a table-year under the read rule (its own file, else the compacted file). */
  async rowsOf(table: TableName, year: number, id: string): Promise<Record<string, unknown>[]> {
    const own = await readRows(this.store, `${prefixOf(table, year)}${id}.parquet`);
    if (own) return own;
    const parts = (await this.store.list(prefixOf(table, year)))
      .filter((k) => /\/part-[0-9a-z-]+\.parquet$/.test(k))
      .sort();
    for (const key of parts) {
      const rows = (await readRows(this.store, key))?.filter((r) => r.submission_id === id) ?? [];
      if (rows.length > 0) return rows;
    }
    return [];
  }

  /** Which year holds a committed submission (registry.locate lists small markers only). */
  async yearOf(id: string, years: readonly number[]): Promise<number | null> {
    for (const y of years) if (await this.isCommitted(y, id)) return y;
    return null;
  }
}
