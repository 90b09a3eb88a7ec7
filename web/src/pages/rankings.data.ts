// Xếp hạng: the year's ranking (overall or within a type) and last year's, for the rank change.
import { getTable } from '../lib/api.ts';
import type { CommuneRow, RankingRow } from '../lib/types.ts';

export async function fetchRankings(year: number, previousYear: number | null) {
  const [current, previous, communes] = await Promise.all([
    getTable<RankingRow>('/rankings', { year }),
    previousYear === null
      ? Promise.resolve({ refreshed_at: null, rows: [] as RankingRow[] })
      : getTable<RankingRow>('/rankings', { year: previousYear }),
    getTable<CommuneRow>('/communes'),
  ]);
  return {
    refreshed_at: current.refreshed_at,
    rows: current.rows,
    previous: previous.rows,
    communes: communes.rows,
  };
}
