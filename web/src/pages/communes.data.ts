// Xã, phường: the reference list with each commune's KPIs and ranking for the year.
import { getTable } from '../lib/api.ts';
import type { CommuneRow, KpiCommuneRow, RankingRow } from '../lib/types.ts';

export async function fetchCommuneTable(year: number) {
  const [communes, kpis, rankings] = await Promise.all([
    getTable<CommuneRow>('/communes'),
    getTable<KpiCommuneRow>('/kpis/communes', { year }),
    getTable<RankingRow>('/rankings', { year }),
  ]);
  return {
    refreshed_at: kpis.refreshed_at,
    communes: communes.rows,
    kpis: kpis.rows,
    rankings: rankings.rows,
  };
}
