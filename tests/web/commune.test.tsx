// Commune detail: KPIs over the years, warnings, cadre gaps only for roles that may see them (never analysts),
// Đúng–Đủ–Sạch–Sống with the soft-rule findings, submission history with versions and flags.

import CommuneDetail from '@scorecard/web/pages/commune.tsx';
import { screen, waitFor } from '@solidjs/testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { COMMUNES, communeKpis, RANKINGS, submission, WARNINGS } from './fixtures.ts';
import { fakeApi, renderPage, setup, table, teardown, text } from './helpers.tsx';

vi.mock('@solidjs/router', () => import('./router-mock.ts'));
afterEach(teardown);

const NBSP = '\u00a0';

function api() {
  return fakeApi({
    '/communes': table(COMMUNES),
    '/kpis/communes': (c: { query: URLSearchParams }) =>
      table(communeKpis('28249', Number(c.query.get('year')), c.query.get('year') === '2026' ? 60 : 80)),
    '/warnings': table(WARNINGS.filter((w) => w.commune_code === '28249')),
    '/cadre-gaps': table([
      {
        year: 2027,
        commune_code: '28249',
        cadre_code: '28249-003',
        position: 'Phó Chủ tịch UBND',
        is_leader: true,
        reason: 'leader_training_missing',
        detail: 'chuyen_sau,chuc_danh',
      },
    ]),
    '/data-quality': table([
      { year: 2027, commune_code: '28249', dung: 75, du: 100, sach: 100, song: 96, score: 92.75 },
    ]),
    '/data-quality/findings': table([
      { year: 2027, commune_code: '28249', rule: 'leader_title_not_leader', passed: false, detail: 'rows=1' },
      { year: 2027, commune_code: '28249', rule: 'headcount_change', passed: true, detail: null },
    ]),
    '/rankings': table(RANKINGS),
    '/submissions': (c: { query: URLSearchParams }) =>
      table(
        c.query.get('year') === '2027'
          ? [
              submission('28249', 1, true, { year: 2027 }),
              submission('28249', 2, false, { year: 2027, voided: true }),
            ]
          : [submission('28249', 1, false)],
      ),
  });
}

describe('Commune detail', () => {
  it('shows the commune, its KPIs over every plan year so far and its rank', async () => {
    setup({ year: 2027, years: [2026, 2027] });
    const fake = api();
    renderPage(CommuneDetail, { code: '28249' });
    expect((await screen.findByRole('heading', { level: 1 })).textContent).toBe('Phường Đạo Thạnh');
    await waitFor(() => expect(document.querySelector('tr[data-kpi="leader_standard"]')).toBeTruthy());
    const row = document.querySelector('tr[data-kpi="leader_standard"]');
    expect([...(row?.querySelectorAll('td') ?? [])].map((td) => td.firstChild?.textContent)).toEqual([
      `60,0${NBSP}%`,
      `80,0${NBSP}%`,
    ]);
    expect(fake.callsTo('/kpis/communes').map((c) => [c.query.get('year'), c.query.get('commune')])).toEqual([
      ['2026', '28249'],
      ['2027', '28249'],
    ]);
    expect(text(await screen.findByTestId('commune-rank'))).toContain(
      'Hạng 2/3 toàn tỉnh · hạng 1 trong loại Phường',
    );
    expect(document.querySelectorAll('article.kpi-card')).toHaveLength(10);
  });

  it('shows cadre gaps to a leader, with reasons and missing training tracks in words', async () => {
    setup({ year: 2027, years: [2026, 2027] });
    const fake = api();
    renderPage(CommuneDetail, { code: '28249' });
    const gaps = await screen.findByTestId('cadre-gaps');
    expect(text(gaps)).toContain('28249-003');
    expect(text(gaps)).toContain('Lãnh đạo thiếu nội dung bồi dưỡng');
    expect(text(gaps)).toContain('Bồi dưỡng kỹ năng chuyên sâu, Bồi dưỡng theo chức danh');
    expect(fake.callsTo('/cadre-gaps')).toHaveLength(1);
  });

  it('never asks for or shows cadre gaps to an analyst', async () => {
    setup({ year: 2027, years: [2026, 2027], session: { token: 'tok-a', role: 'analyst' } });
    const fake = api();
    renderPage(CommuneDetail, { code: '28249' });
    await screen.findByTestId('submission-history');
    expect(screen.queryByRole('heading', { name: 'Cán bộ chưa đạt chuẩn vị trí việc làm' })).toBeNull();
    expect(fake.callsTo('/cadre-gaps')).toHaveLength(0);
  });

  it('shows Đúng–Đủ–Sạch–Sống and the soft-rule findings from the plan’s rule list', async () => {
    setup({ year: 2027, years: [2026, 2027] });
    api();
    renderPage(CommuneDetail, { code: '28249' });
    await waitFor(() => expect(document.querySelector('dd[data-dimension="dung"]')).toBeTruthy());
    expect(document.querySelector('dd[data-dimension="dung"]')?.textContent).toBe('75,0');
    expect(document.querySelector('dd[data-dimension="score"]')?.textContent).toBe('92,8');
    const failed = document.querySelector('table.findings tr.failed');
    expect(text(failed)).toContain('Chức danh lãnh đạo');
    expect(text(failed)).toContain('Không đạt');
  });

  it('lists every version newest first with on-time and voided flags', async () => {
    setup({ year: 2027, years: [2026, 2027] });
    api();
    renderPage(CommuneDetail, { code: '28249' });
    const history = await screen.findByTestId('submission-history');
    const rows = [...history.querySelectorAll('tbody tr')].map((r) =>
      [...r.querySelectorAll('td')].slice(0, 5).map((td) => td.textContent),
    );
    expect(rows).toEqual([
      ['2027', '2', '05/11/2026 01:30', 'Không', 'Có'],
      ['2027', '1', '05/11/2026 01:30', 'Có', 'Không'],
      ['2026', '1', '05/11/2026 01:30', 'Không', 'Không'],
    ]);
    expect(history.querySelector('tr.voided')).toBeTruthy();
  });

  it('shows the commune’s warnings with severities', async () => {
    setup({ year: 2026, years: [2026] });
    api();
    renderPage(CommuneDetail, { code: '28249' });
    await waitFor(() =>
      expect(document.querySelector('table.warnings-table tr[data-severity="high"]')).toBeTruthy(),
    );
    expect(text(document.querySelector('tr[data-severity="high"]'))).toContain('Cao');
  });

  it('says when the code is not a commune', async () => {
    setup();
    api();
    renderPage(CommuneDetail, { code: '99999' });
    expect(await screen.findByText('Không có xã, phường mã 99999')).toBeTruthy();
  });
});
