// Cảnh báo: the year's gap warnings (filtered on the server by severity when chosen) and the commune names.
import { getTable } from '../lib/api.ts';
import type { CommuneRow, WarningRow } from '../lib/types.ts';

export async function fetchWarningList(year: number, severity: string) {
  const [warnings, communes] = await Promise.all([
    getTable<WarningRow>('/warnings', { year, severity: severity || undefined }),
    getTable<CommuneRow>('/communes'),
  ]);
  return { refreshed_at: warnings.refreshed_at, rows: warnings.rows, communes: communes.rows };
}
