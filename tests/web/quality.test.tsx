// Chất lượng dữ liệu: Đúng–Đủ–Sạch–Sống per commune, worst first, the province average, search without diacritics.

import Quality from '@scorecard/web/pages/quality.tsx';
import { fireEvent, screen, waitFor } from '@solidjs/testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { COMMUNES } from './fixtures.ts';
import { fakeApi, renderPage, setup, table, teardown } from './helpers.tsx';

vi.mock('@solidjs/router', () => import('./router-mock.ts'));
afterEach(teardown);

const ROWS = [
  { year: 2026, commune_code: '28249', dung: 75, du: 100, sach: 100, song: 96, score: 92.75 },
  { year: 2026, commune_code: '28261', dung: 100, du: 100, sach: 100, song: 100, score: 100 },
  { year: 2026, commune_code: '28603', dung: 0, du: 0, sach: 0, song: 0, score: 0 },
];

describe('Data quality', () => {
  it('lists communes worst first with the four dimensions and the score, and draws the province average', async () => {
    setup();
    fakeApi({ '/data-quality': table(ROWS), '/communes': table(COMMUNES) });
    renderPage(Quality);
    await waitFor(() => expect(document.querySelectorAll('table.quality-table tbody tr')).toHaveLength(3));
    const rows = [...document.querySelectorAll('table.quality-table tbody tr')].map((r) =>
      [r.querySelector('th')?.textContent, ...[...r.querySelectorAll('td')].map((td) => td.textContent)].join(
        ' | ',
      ),
    );
    expect(rows).toEqual([
      'Xã Mỹ Tịnh An | 0,0 | 0,0 | 0,0 | 0,0 | 0,0',
      'Phường Đạo Thạnh | 75,0 | 100,0 | 100,0 | 96,0 | 92,8',
      'Phường Mỹ Tho | 100,0 | 100,0 | 100,0 | 100,0 | 100,0',
    ]);
    const averages = [...document.querySelectorAll('.chart g[aria-label="text"] text')].map(
      (t) => t.textContent,
    );
    expect(averages).toEqual(['58,3', '66,7', '66,7', '65,3', '64,3']);
    fireEvent.input(screen.getByRole('searchbox'), { target: { value: 'dao thanh' } });
    await waitFor(() => expect(document.querySelectorAll('table.quality-table tbody tr')).toHaveLength(1));
  });

  it('says there is no data for a year without rows', async () => {
    setup();
    fakeApi({ '/data-quality': table([]), '/communes': table(COMMUNES) });
    renderPage(Quality);
    expect(await screen.findByText('Chưa có dữ liệu')).toBeTruthy();
  });
});
