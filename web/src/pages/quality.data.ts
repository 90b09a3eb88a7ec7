// Chất lượng dữ liệu: Đúng–Đủ–Sạch–Sống per commune for the year.
import { getTable } from '../lib/api.ts';
import type { CommuneRow, DataQualityRow } from '../lib/types.ts';

export async function fetchQuality(year: number) {
  const [dq, communes] = await Promise.all([
    getTable<DataQualityRow>('/data-quality', { year }),
    getTable<CommuneRow>('/communes'),
  ]);
  return { refreshed_at: dq.refreshed_at, rows: dq.rows, communes: communes.rows };
}
