// Xã, phường: diacritic-insensitive search, type filter, sortable columns with aria-sort, KPI heat-map cells.

import Communes from '@scorecard/web/pages/communes.tsx';
import { fireEvent, screen, waitFor } from '@solidjs/testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { COMMUNES, communeKpis, RANKINGS } from './fixtures.ts';
import { fakeApi, renderPage, setup, table, teardown, text } from './helpers.tsx';

vi.mock('@solidjs/router', () => import('./router-mock.ts'));
afterEach(teardown);

const NBSP = '\u00a0';
const names = () => [...document.querySelectorAll('tbody tr th[scope="row"] a')].map((a) => a.textContent);

function api() {
  return fakeApi({
    '/communes': table(COMMUNES),
    '/kpis/communes': table([...communeKpis('28249', 2026, 95), ...communeKpis('28261', 2026, 50)]),
    '/rankings': table(RANKINGS),
  });
}

describe('Communes table', () => {
  it('lists every commune ranked first, with a heat-map cell per KPI', async () => {
    setup();
    const fake = api();
    renderPage(Communes);
    await screen.findByText('Phường Đạo Thạnh');
    expect(names()).toEqual(['Xã Mỹ Tịnh An', 'Phường Đạo Thạnh', 'Phường Mỹ Tho']);
    const row = document.querySelector('tr[data-commune="28249"]');
    const cells = row?.querySelectorAll('td.heat') ?? [];
    expect(cells).toHaveLength(10);
    expect(cells[0]?.className).toContain('status-met');
    expect(cells[0]?.textContent).toBe(`95,0${NBSP}%`);
    expect(cells[0]?.getAttribute('aria-label')).toBe(
      `LĐQL đạt chuẩn khung năng lực VTVL: 95,0${NBSP}% — Đạt`,
    );
    // 28603 has no KPI rows: missing, shown as a dash
    const missing = document.querySelector('tr[data-commune="28603"] td.heat');
    expect(missing?.className).toContain('status-missing');
    expect(missing?.textContent).toBe('—');
    expect(fake.callsTo('/kpis/communes')[0]?.query.get('year')).toBe('2026');
  });

  it('finds "Đạo Thạnh" when typing "dao thanh"', async () => {
    setup();
    api();
    renderPage(Communes);
    await screen.findByText('Phường Đạo Thạnh');
    fireEvent.input(screen.getByRole('searchbox', { name: /Tìm xã, phường/ }), {
      target: { value: 'dao thanh' },
    });
    await waitFor(() => expect(names()).toEqual(['Phường Đạo Thạnh']));
    expect(screen.getByText('Hiển thị 1/3 đơn vị')).toBeTruthy();
    fireEvent.input(screen.getByRole('searchbox'), { target: { value: 'cho gao' } }); // former district
    await waitFor(() => expect(names()).toEqual(['Xã Mỹ Tịnh An']));
  });

  it('filters by unit type', async () => {
    setup();
    api();
    renderPage(Communes);
    await screen.findByText('Phường Đạo Thạnh');
    fireEvent.change(screen.getByRole('combobox', { name: 'Loại đơn vị' }), { target: { value: 'xa' } });
    await waitFor(() => expect(names()).toEqual(['Xã Mỹ Tịnh An']));
  });

  it('sorts by a column from the keyboard-reachable header button and says so with aria-sort', async () => {
    setup();
    api();
    renderPage(Communes);
    await screen.findByText('Phường Đạo Thạnh');
    const byName = screen.getByRole('button', { name: 'Sắp xếp theo Tên đơn vị' });
    fireEvent.click(byName);
    await waitFor(() => expect(names()).toEqual(['Phường Đạo Thạnh', 'Phường Mỹ Tho', 'Xã Mỹ Tịnh An']));
    expect(byName.closest('th')?.getAttribute('aria-sort')).toBe('ascending');
    fireEvent.click(byName);
    await waitFor(() => expect(names()).toEqual(['Xã Mỹ Tịnh An', 'Phường Mỹ Tho', 'Phường Đạo Thạnh']));
    expect(byName.closest('th')?.getAttribute('aria-sort')).toBe('descending');
    // by a KPI: highest first, missing values last
    fireEvent.click(screen.getByRole('button', { name: 'Sắp xếp theo Hồ sơ cán bộ được số hóa' }));
    await waitFor(() => expect(names()).toEqual(['Phường Đạo Thạnh', 'Phường Mỹ Tho', 'Xã Mỹ Tịnh An']));
  });

  it('links each commune to its page', async () => {
    setup();
    api();
    renderPage(Communes);
    const link = await screen.findByRole('link', { name: 'Phường Đạo Thạnh' });
    expect(link.getAttribute('href')).toBe('#/communes/28249');
    expect(text(link.closest('tr'))).toContain('84,5'); // its score
  });

  it('lists only the officer’s own commune for a commune role', async () => {
    setup({ session: { token: 'tok-c', role: 'commune', commune_code: '28261' } });
    fakeApi({
      '/communes': table(COMMUNES),
      '/kpis/communes': table(communeKpis('28261', 2026, 50)),
      '/rankings': table(RANKINGS.filter((r) => r.commune_code === '28261')),
    });
    renderPage(Communes);
    await screen.findByText('Phường Mỹ Tho');
    expect(names()).toEqual(['Phường Mỹ Tho']);
  });

  it('says so when the reference list is empty', async () => {
    setup();
    fakeApi({ '/communes': table([]), '/kpis/communes': table([]), '/rankings': table([]) });
    renderPage(Communes);
    expect(await screen.findByText('Chưa có dữ liệu')).toBeTruthy();
  });
});
