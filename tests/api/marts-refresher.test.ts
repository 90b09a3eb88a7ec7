// The marts are whole views: the analysts' row limit must never truncate them (kpi_commune_year alone is
// 166 k rows at national scale). The engine here is a stand-in that honours maxRows like the real adapters.

import { FsObjectStore } from '@scorecard/functions/adapters/fs-store.ts';
import { MART_VIEWS, MartRefresher, StoreMartReader } from '@scorecard/functions/marts/marts.ts';
import { ManualClock } from '@scorecard/functions/ports/clock.ts';
import type { QueryOptions, SqlEngine } from '@scorecard/functions/ports/sql-engine.ts';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/data-dir.ts';

const ROWS = 25_000;

function bigEngine(): SqlEngine {
  return {
    async query(_sql: string, options: QueryOptions = {}) {
      const limit = options.maxRows ?? 10_000;
      const rows = Array.from({ length: Math.min(ROWS, limit) }, (_, i) => ({
        year: 2026,
        commune_code: String(10000 + (i % 90000)),
        n: i,
      }));
      return {
        columns: [
          { name: 'year', type: 'INTEGER' },
          { name: 'commune_code', type: 'VARCHAR' },
          { name: 'n', type: 'BIGINT' },
        ],
        rows,
        truncated: ROWS > limit,
      };
    },
    async close() {},
  };
}

describe('mart refresher', () => {
  it('materialises every row of every view, persists them, and stamps refreshed_at with the snapshot cut-off', async () => {
    const store = new FsObjectStore(tempDir('marts-'));
    const clock = new ManualClock('2030-11-06T00:00:00Z');
    const marts = new MartRefresher({
      store,
      clock,
      debounceMs: 10,
      snapshot: async () => ({
        engine: bigEngine(),
        asOf: new Date('2030-11-05T23:00:00Z'),
        release: async () => undefined,
      }),
    });
    await marts.refreshNow();
    const snap = await marts.snapshot();
    expect(snap?.refreshed_at).toBe('2030-11-05T23:00:00.000Z');
    for (const view of MART_VIEWS) expect(snap?.tables[view]?.rows, view).toHaveLength(ROWS);
    const persisted = await new StoreMartReader(store).snapshot();
    expect(persisted?.tables.kpi_commune_year?.rows).toHaveLength(ROWS);
    expect(persisted?.tables.kpi_commune_year?.rows[ROWS - 1]).toEqual(
      snap?.tables.kpi_commune_year?.rows[ROWS - 1],
    );
  });
});

describe('a refresh asked for while another is running', () => {
  it('is not failed by the one in flight: it waits for it, then refreshes from the data as it is now', async () => {
    // The first snapshot fails slowly (the folder was damaged when it began); the folder is repaired while it
    // runs; a refresh asked for meanwhile must succeed with the repaired data, not inherit the old failure.
    const store = new FsObjectStore(tempDir('marts-'));
    const clock = new ManualClock('2030-11-06T00:00:00Z');
    let calls = 0;
    let repaired = false;
    const marts = new MartRefresher({
      store,
      clock,
      debounceMs: 10,
      snapshot: async () => {
        calls++;
        if (!repaired) {
          await new Promise((r) => setTimeout(r, 50));
          throw new Error('damaged files: curated/x.parquet (hash_mismatch)');
        }
        return {
          engine: bigEngine(),
          asOf: new Date('2030-11-05T23:00:00Z'),
          release: async () => undefined,
        };
      },
    });
    const first = marts.refreshNow();
    await new Promise((r) => setTimeout(r, 10));
    repaired = true;
    const second = marts.refreshNow();
    await expect(first).rejects.toThrow(/damaged/);
    await expect(second).resolves.toBeUndefined();
    expect(calls).toBe(2);
    expect((await marts.snapshot())?.refreshed_at).toBe('2030-11-05T23:00:00.000Z');
  });
});
