// The cloud marts refresh runs one at a time without reserved concurrency (issue 15, item 4): a mark and a lease
// in the store (functions/src/entry/lambda/cloud-refresh.ts). Athena cannot run here: the engine is a fake that
// answers every mart query with the current "data version" and takes a while doing it. Generated interleavings of
// invocations (as SQS would start them, many at once) check that no two refreshes ever overlap and that the
// marts always end from a refresh that began after the last change.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PLAN } from '@scorecard/data-contracts';
import { FsObjectStore } from '@scorecard/functions/adapters/fs-store.ts';
import { createRefreshHandler } from '@scorecard/functions/entry/lambda/cloud-refresh.ts';
import { MART_VIEWS } from '@scorecard/functions/marts/marts.ts';
import { ManualClock } from '@scorecard/functions/ports/clock.ts';
import { AsOfEngine, AsOfViews, sqlViewsDir } from '@scorecard/functions/warehouse/as-of-views.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { startS3StandIn } from './s3-stand-in-process.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function world() {
  const store = new FsObjectStore(mkdtempSync(join(tmpdir(), 'refresh-')));
  let version = 0;
  let running = 0;
  let maxRunning = 0;
  const runs: number[] = []; // the data version each refresh saw when it began
  // Each invocation gets its own handler, as concurrent Lambda invocations run in separate instances.
  const handler = (event: { Records?: unknown[] }) =>
    createRefreshHandler({
      store,
      clock: new ManualClock('2026-11-06T02:00:00Z'),
      engine: () => {
        let began = false;
        return {
          async query() {
            if (!began) {
              began = true;
              running++;
              maxRunning = Math.max(maxRunning, running);
              runs.push(version);
            }
            await sleep(1);
            return { columns: [{ name: 'v', type: 'INTEGER' }], rows: [{ v: version }], truncated: false };
          },
          async close() {
            if (began) running--;
          },
        };
      },
    })(event);
  return {
    store,
    handler,
    change: () => {
      version++;
    },
    get version() {
      return version;
    },
    runs,
    get maxRunning() {
      return maxRunning;
    },
  };
}

describe('the cloud refresh: one at a time, never missing a change', () => {
  it('an invocation that finds a refresh running returns at once; the running one refreshes again for it', async () => {
    const w = world();
    w.change();
    const first = w.handler({ Records: [{}] });
    await sleep(3); // the first refresh is under way
    w.change();
    const second = await w.handler({ Records: [{}] });
    expect(second).toEqual({ batchItemFailures: [] });
    await first;
    expect(w.maxRunning).toBe(1);
    expect(w.runs.at(-1)).toBe(2); // a refresh began after the second change
    expect(await w.store.list('marts/refresh/')).toEqual([]); // lease released, nothing left pending
  });

  it('generated bursts: no overlap, and the last refresh began after the last change', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({ delay: fc.integer({ min: 0, max: 12 }), changes: fc.integer({ min: 0, max: 2 }) }),
          {
            minLength: 1,
            maxLength: 12,
          },
        ),
        async (invocations) => {
          const w = world();
          await Promise.all(
            invocations.map(async ({ delay, changes }) => {
              await sleep(delay);
              for (let i = 0; i < changes; i++) w.change();
              await w.handler({ Records: [{}] });
            }),
          );
          expect(w.maxRunning).toBe(1);
          expect(w.runs.length).toBeGreaterThan(0);
          expect(w.runs.at(-1)).toBe(w.version);
          expect(await w.store.list('marts/refresh/')).toEqual([]);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('a failed refresh leaves the mark, so the retry of the batch refreshes', async () => {
    const store = new FsObjectStore(mkdtempSync(join(tmpdir(), 'refresh-')));
    let fail = true;
    const handler = createRefreshHandler({
      store,
      clock: new ManualClock('2026-11-06T02:00:00Z'),
      engine: () => ({
        async query() {
          if (fail) throw new Error('athena_failed');
          return { columns: [{ name: 'v', type: 'INTEGER' }], rows: [{ v: 1 }], truncated: false };
        },
        async close() {},
      }),
    });
    await expect(handler({ Records: [{}] })).rejects.toThrow(/athena_failed/);
    expect(await store.list('marts/refresh/')).toEqual(['marts/refresh/pending.json']); // no lease left behind
    fail = false;
    await handler({ Records: [{}] });
    expect(await store.exists('marts/_manifest.json')).toBe(true);
    expect(await store.list('marts/refresh/')).toEqual([]);
  });

  it('every mart query of one refresh sees the views at one as-of, which becomes refreshed_at (the clock moves meanwhile)', async () => {
    const store = new FsObjectStore(mkdtempSync(join(tmpdir(), 'refresh-')));
    const clock = new ManualClock('2026-11-06T02:00:00Z');
    const views = AsOfViews.fromDir(sqlViewsDir({}), PLAN);
    const sent: string[] = [];
    const handler = createRefreshHandler({
      store,
      clock,
      // What refreshDepsFromEnv builds, over a recording engine instead of Athena.
      engine: (asOf) =>
        new AsOfEngine(
          {
            async query(sql: string) {
              sent.push(sql);
              clock.advance(90_000); // Athena takes its time: the clock moves between queries
              return { columns: [{ name: 'v', type: 'INTEGER' }], rows: [], truncated: false };
            },
            async close() {},
          },
          views,
          asOf,
        ),
    });
    await handler({ Records: [{}] });
    expect(sent).toHaveLength(MART_VIEWS.length);
    // Every query whose views depend on the instant carries the same one (a mart such as the communes list
    // reads no view that does, and is sent as it is).
    const instants = sent.map((q) => [...q.matchAll(/TIMESTAMP '([^']+)'/g)].map((m) => m[1]));
    expect(new Set(instants.flat())).toEqual(new Set(['2026-11-06 02:00:00.000']));
    expect(instants.filter((i) => i.length > 0).length).toBeGreaterThanOrEqual(MART_VIEWS.length - 1);
    const manifest = JSON.parse(
      new TextDecoder().decode((await store.get('marts/_manifest.json')) ?? new Uint8Array()),
    );
    expect(manifest.refreshed_at).toBe('2026-11-06T02:00:00.000Z');
  });

  it('on a versioned marts bucket a retired generation goes with its versions (nothing of an erased person stays)', async () => {
    const s3 = await startS3StandIn();
    try {
      const store = s3.store(await s3.bucket('marts', { versioned: true }));
      let staffCode = 'ERASE-ME';
      const handler = createRefreshHandler({
        store,
        clock: new ManualClock('2026-11-06T02:00:00Z'),
        engine: () => ({
          async query() {
            return {
              columns: [{ name: 'cadre_code', type: 'VARCHAR' }],
              rows: [{ cadre_code: staffCode }],
              truncated: false,
            };
          },
          async close() {},
        }),
      });
      await handler({ Records: [{}] });
      const first = (await store.list('marts/')).filter((k) => k.endsWith('.arrow'));
      expect(first).toHaveLength(MART_VIEWS.length);
      staffCode = 'XOA-1a2b3c4d';
      await handler({ Records: [{}] });
      const versions = await store.versions('marts/');
      // Only the current generation's files, the manifest's versions, and the coordination keys' history remain.
      expect(versions.filter((v) => first.includes(v.key))).toEqual([]);
      expect(versions.filter((v) => v.key.endsWith('.arrow')).every((v) => v.latest && !v.deleteMarker)).toBe(
        true,
      );
    } finally {
      await s3.stop();
    }
  });
});
