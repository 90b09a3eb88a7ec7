// Xếp hạng (components, by type, change vs last year, own rank for a commune officer) and Cảnh báo (filters,
// the policy explained in place from the plan file).
import { PLAN } from '@scorecard/data-contracts/plan.ts';
import { setLang } from '@scorecard/web/lib/i18n.ts';
import Rankings from '@scorecard/web/pages/rankings.tsx';
import Warnings from '@scorecard/web/pages/warnings.tsx';
import { fireEvent, screen, waitFor } from '@solidjs/testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { COMMUNES, RANKINGS, WARNINGS } from './fixtures.ts';
import { fakeApi, renderPage, setup, table, teardown, text } from './helpers.tsx';

vi.mock('@solidjs/router', () => import('./router-mock.ts'));
afterEach(teardown);

const NBSP = '\u00a0';
// Last year: 28603 first as now, 28261 above 28249.
const LAST_RANKS: Record<string, { rank: number; rank_in_type: number }> = {
  '28603': { rank: 1, rank_in_type: 1 },
  '28249': { rank: 3, rank_in_type: 2 },
  '28261': { rank: 2, rank_in_type: 1 },
};
const LAST_YEAR = RANKINGS.map((r) => ({ ...r, year: 2026, ...LAST_RANKS[r.commune_code] }));

function rankingApi(rows = RANKINGS) {
  return fakeApi({
    '/rankings': (c: { query: URLSearchParams }) =>
      table(
        c.query.get('year') === '2027'
          ? rows.map((r) => ({ ...r, year: 2027 }))
          : LAST_YEAR.filter((r) => rows.some((x) => x.commune_code === r.commune_code)),
      ),
    '/communes': table(COMMUNES),
  });
}

const rankRows = () =>
  [...document.querySelectorAll('table.ranking-table tbody tr')].map((r) => [
    r.querySelector('td')?.textContent,
    r.querySelector('th a')?.textContent,
    r.querySelector('td.rank-change')?.textContent,
  ]);

describe('Rankings', () => {
  it('ranks overall with the components and the change against last year', async () => {
    setup({ year: 2027, years: [2026, 2027] });
    const fake = rankingApi();
    renderPage(Rankings);
    await waitFor(() => expect(rankRows()).toHaveLength(3));
    expect(rankRows()).toEqual([
      ['1', 'Xã Mỹ Tịnh An', 'Giữ nguyên'],
      ['2', 'Phường Đạo Thạnh', 'Tăng 1 bậc'],
      ['3', 'Phường Mỹ Tho', 'Giảm 1 bậc'],
    ]);
    expect(text(document.querySelector('tr[data-commune="28249"]'))).toContain('84,5');
    expect(
      fake
        .callsTo('/rankings')
        .map((c) => c.query.get('year'))
        .sort(),
    ).toEqual(['2026', '2027']);
    // the chart draws three components per commune
    expect(document.querySelectorAll('.ranking-chart g[aria-label="bar"] rect')).toHaveLength(9);
    expect(screen.getByText(/Điểm tổng hợp 0–100 = chỉ tiêu × 60/)).toBeTruthy();
  });

  it('ranks within a type by rank_in_type', async () => {
    setup({ year: 2027, years: [2026, 2027] });
    rankingApi();
    renderPage(Rankings);
    await waitFor(() => expect(rankRows()).toHaveLength(3));
    fireEvent.click(screen.getByRole('radio', { name: 'Phường' }));
    await waitFor(() =>
      expect(rankRows()).toEqual([
        ['1', 'Phường Đạo Thạnh', 'Tăng 1 bậc'],
        ['2', 'Phường Mỹ Tho', 'Giảm 1 bậc'],
      ]),
    );
  });

  it('shows a commune officer its own rank and components', async () => {
    setup({
      year: 2027,
      years: [2026, 2027],
      session: { token: 'tok-c', role: 'commune', commune_code: '28249' },
    });
    rankingApi(RANKINGS.filter((r) => r.commune_code === '28249')); // the API answers own rows only
    renderPage(Rankings);
    const own = await screen.findByTestId('own-rank');
    expect(text(own)).toBe('Xã của bạn: hạng 2/3 · điểm 84,5');
    expect(rankRows()).toEqual([['2', 'Phường Đạo Thạnh', 'Tăng 1 bậc']]);
    const cells = [...document.querySelectorAll('tr[data-commune="28249"] td.num')].map(
      (td) => td.textContent,
    );
    expect(cells).toEqual(['2', '84,5', '85,0', '82,0', '90,0']);
  });

  it('has no previous year in the first plan year', async () => {
    setup({ year: 2026, years: [2026] });
    const fake = fakeApi({ '/rankings': table(RANKINGS), '/communes': table(COMMUNES) });
    renderPage(Rankings);
    await waitFor(() => expect(rankRows()).toHaveLength(3));
    expect(rankRows()[0]?.[2]).toBe('Chưa xếp hạng năm trước');
    expect(fake.callsTo('/rankings')).toHaveLength(1);
  });
});

describe('Warnings', () => {
  function warningApi() {
    return fakeApi({
      '/warnings': (c: { query: URLSearchParams }) => {
        const s = c.query.get('severity');
        return table(s ? WARNINGS.filter((w) => w.severity === s) : WARNINGS);
      },
      '/communes': table(COMMUNES),
    });
  }
  const shown = () =>
    [...document.querySelectorAll('table.warnings-table tbody tr')].map((r) =>
      r.getAttribute('data-severity'),
    );

  it('explains the policy in place, from the plan file, and lists warnings worst first', async () => {
    setup();
    warningApi();
    renderPage(Warnings);
    await waitFor(() => expect(shown()).toEqual(['critical', 'high', 'medium', 'missing']));
    expect(screen.getByText(PLAN.policy.note_vi)).toBeTruthy();
    expect(screen.getByText(PLAN.policy.warnings.severities.high.vi)).toBeTruthy();
    const critical = document.querySelector('tr[data-severity="critical"]');
    expect(text(critical)).toContain('Toàn tỉnh');
    expect(text(critical)).toContain(`52,0${NBSP}%`);
    expect(text(critical)).toContain(`67,6${NBSP}%`);
    // What the missed target takes, in units (49 more communes), beside the warning.
    expect(text(critical?.querySelector('[data-testid="gap-units"]') ?? null)).toBe('49');
    expect(text(document.querySelector('tr[data-severity="missing"] [data-testid="gap-units"]'))).toBe('—');
    setLang('en');
    expect(await screen.findByText(PLAN.policy.note_en)).toBeTruthy();
  });

  it('filters by severity on the server, by KPI and by commune here', async () => {
    setup();
    const fake = warningApi();
    renderPage(Warnings);
    await waitFor(() => expect(shown()).toHaveLength(4));
    fireEvent.change(screen.getByRole('combobox', { name: 'Lọc theo chỉ tiêu' }), {
      target: { value: 'leader_standard' },
    });
    await waitFor(() => expect(shown()).toEqual(['high', 'medium']));
    fireEvent.change(screen.getByRole('combobox', { name: 'Lọc theo xã, phường' }), {
      target: { value: '28261' },
    });
    await waitFor(() => expect(shown()).toEqual(['medium']));
    fireEvent.change(screen.getByRole('combobox', { name: 'Lọc theo xã, phường' }), {
      target: { value: '' },
    });
    fireEvent.change(screen.getByRole('combobox', { name: 'Lọc theo chỉ tiêu' }), { target: { value: '' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Lọc theo mức độ' }), {
      target: { value: 'critical' },
    });
    await waitFor(() => expect(shown()).toEqual(['critical']));
    expect(fake.callsTo('/warnings').at(-1)?.query.get('severity')).toBe('critical');
    expect(screen.getByText('1 cảnh báo')).toBeTruthy();
  });
});
