// Adversarial: taking over a stale lease (ports/lease.ts) — the compaction's, the erasure's, the marts refresh's.
// Contenders that all read the same stale lease race to replace it; exactly one may win, and the lease must then
// name that one. Generated: how many contenders (2–8), how the store's operations interleave (a random pause
// before each), whether the stale holder's takeover was already begun by a contender that died (a stale marker),
// and whether the stale lease is released meanwhile. Over the local folder and over S3 (the stand-in).
import { FsObjectStore } from '@scorecard/functions/adapters/fs-store.ts';
import { ManualClock } from '@scorecard/functions/ports/clock.ts';
import { takeStoreLease } from '@scorecard/functions/ports/lease.ts';
import { getJson, type ObjectStore, type PutOptions } from '@scorecard/functions/ports/object-store.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/data-dir.ts';
import { useS3StandIn } from '../infra/s3-stand-in-process.ts';

const KEY = 'compaction/lock/year=2026.json';
const MAX_AGE = 15 * 60_000;
const NOW = '2026-12-01T02:00:00Z';

/** A store whose every operation first waits a generated while: the contenders' steps interleave. */
class Jittery implements ObjectStore {
  constructor(
    private readonly inner: ObjectStore,
    private readonly pause: () => number,
  ) {}
  private wait() {
    return new Promise((r) => setTimeout(r, this.pause()));
  }
  async get(key: string) {
    await this.wait();
    return this.inner.get(key);
  }
  async exists(key: string) {
    await this.wait();
    return this.inner.exists(key);
  }
  async put(key: string, body: Uint8Array | string, options?: PutOptions) {
    await this.wait();
    return this.inner.put(key, body, options);
  }
  async list(prefix: string) {
    await this.wait();
    return this.inner.list(prefix);
  }
  async delete(key: string) {
    await this.wait();
    return this.inner.delete(key);
  }
}

const s3 = useS3StandIn();

const stale = (runId: string) =>
  JSON.stringify({ run_id: runId, at: new Date(Date.parse(NOW) - MAX_AGE - 60_000).toISOString() });

function property(makeStore: () => Promise<ObjectStore>) {
  return fc.asyncProperty(
    fc.integer({ min: 2, max: 8 }),
    fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 64, maxLength: 64 }),
    fc.boolean(),
    fc.boolean(),
    async (contenders, pauses, deadTaker, releasedMeanwhile) => {
      const base = await makeStore();
      let i = 0;
      const store = new Jittery(base, () => pauses[i++ % pauses.length] as number);
      const clock = new ManualClock(NOW);
      await base.put(KEY, stale('crashed-run'));
      // A contender that claimed the takeover and died before replacing the lease: its marker is stale too.
      if (deadTaker) await base.put(`${KEY}.takeover/crashed-run`, stale('dead-taker'));
      const runs = Array.from({ length: contenders }, (_, k) => `run-${k}`);
      const racing = runs.map((r) => takeStoreLease(store, clock, KEY, r, MAX_AGE));
      if (releasedMeanwhile) await base.delete(KEY);
      const won = (await Promise.all(racing)).map((w, k) => (w ? runs[k] : null)).filter((w) => w !== null);
      expect(won.length, `winners: ${won.join(', ')}`).toBeLessThanOrEqual(1);
      if (!releasedMeanwhile) expect(won).toHaveLength(1);
      const held = await getJson<{ run_id: string }>(base, KEY);
      if (won.length === 1) expect(held?.run_id).toBe(won[0]);
    },
  );
}

describe('a stale lease is taken over by exactly one contender', () => {
  it('on the local folder (generated interleavings)', async () => {
    await fc.assert(
      property(async () => new FsObjectStore(tempDir('lease-'))),
      { numRuns: 60 },
    );
  }, 120_000);

  it('on S3 (the stand-in, If-None-Match creates)', async () => {
    await fc.assert(
      property(async () => s3.store(await s3.bucket('curated'))),
      { numRuns: 20 },
    );
  }, 120_000);
});
