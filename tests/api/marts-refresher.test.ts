// The marts are whole views: the analysts' row limit must never truncate them (kpi_commune_year alone is
// 166 k rows at national scale). The engine here is a stand-in that honours maxRows like the real adapters.
import { describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/src/adapters/fs-store.ts';
import { MART_VIEWS, MartRefresher, StoreMartReader } from '../../functions/src/marts/marts.ts';
import { ManualClock } from '../../functions/src/ports/clock.ts';
import type { QueryOptions, SqlEngine } from '../../functions/src/ports/sql-engine.ts';
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
