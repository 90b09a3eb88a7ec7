// A store that fails on chosen write steps — simulates a crash or an S3 error between the ingest's writes.
import type { ObjectStore, PutOptions } from '@scorecard/functions/ports/object-store.ts';

export class FaultyStore implements ObjectStore {
  puts = 0;
  constructor(
    private readonly inner: ObjectStore,
    /** Fail the n-th put (1-based) from now on, once. */
    private failAt: number | null = null,
  ) {}

  failOnPut(n: number | null) {
    this.puts = 0;
    this.failAt = n;
  }

  get(key: string) {
    return this.inner.get(key);
  }
  exists(key: string) {
    return this.inner.exists(key);
  }
  list(prefix: string) {
    return this.inner.list(prefix);
  }
  delete(key: string) {
    return this.inner.delete(key);
  }
  async put(key: string, body: Uint8Array | string, options?: PutOptions) {
    this.puts++;
    if (this.failAt !== null && this.puts === this.failAt && !key.startsWith('audit/')) {
      this.failAt = null;
      throw new Error(`injected failure on put #${this.puts} (${key.split('/')[0]}/${key.split('/')[1]})`);
    }
    return this.inner.put(key, body, options);
  }
}
