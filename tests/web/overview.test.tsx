// Tổng quan: all ten KPIs with vi-VN values, status against strict targets, warnings by severity, reporting
// status (including "chưa đến hạn" before the deadline), and the commune officer's own view.
import { KPI_CODES } from '@scorecard/data-contracts/plan.ts';
import { kpiStatus, statusText } from '@scorecard/web/components/kpi.tsx';
import { setLang } from '@scorecard/web/lib/i18n.ts';
import { reportingStatus } from '@scorecard/web/pages/overview.data.ts';
import Overview from '@scorecard/web/pages/overview.tsx';
import { screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { COMMUNES, provinceKpis, submission, WARNINGS } from './fixtures.ts';
import { fakeApi, renderPage, setup, table, teardown, text } from './helpers.tsx';

vi.mock('@solidjs/router', () => import('./router-mock.ts'));
afterEach(teardown);

const NBSP = '\u00a0';

function api(opts: { submissions?: ReturnType<typeof submission>[] } = {}) {
  const kpis = provinceKpis(2026, {
    leader_standard: { value_pct: 90, numerator: 900, denominator: 1000, met: false }, // "Trên 90%": 90,0 % is not met
    report_on_time: {
      value_pct: 100,
      numerator: 3,
      denominator: 3,
      target_pct: 100,
      comparator: 'gte',
      met: true,
    },
    satisfaction: { value_pct: null, numerator: 0, denominator: 0, met: null },
  });
  return {
    kpis,
    fake: fakeApi({
      '/kpis': (c: { query: URLSearchParams }) => (c.query.has('from') ? table(kpis) : table(kpis)),
      '/warnings': table(WARNINGS),
      '/communes': table(COMMUNES),
      '/submissions': table(
        opts.submissions ?? [
          submission('28249', 1, true),
          submission('28249', 2, false),
          submission('28261', 1, false),
        ],
      ),
    }),
  };
}

describe('Overview', () => {
  it('shows all ten KPIs with the values GET /kpis returns, formatted vi-VN', async () => {
    setup();
    const { kpis } = api();
    renderPage(Overview);
    await screen.findByText(/Đạt \d+\/\d+ chỉ tiêu/);
    const cards = document.querySelectorAll('article.kpi-card');
    expect([...cards].map((c) => c.getAttribute('data-kpi'))).toEqual([...KPI_CODES]);
    for (const row of kpis) {
      const value = document.querySelector(`[data-testid="kpi-value-${row.kpi}"]`);
      const expected = row.value_pct === null ? '—' : `${row.value_pct.toFixed(1).replace('.', ',')}${NBSP}%`;
      expect(value?.textContent).toBe(expected);
    }
    // every card names its KPI from the plan and draws its trend (once the charts' code has loaded)
    expect(screen.getByRole('article', { name: 'LĐQL đạt chuẩn khung năng lực VTVL' })).toBeTruthy();
    await waitFor(() =>
      expect(document.querySelectorAll('article.kpi-card svg[aria-label^="Xu hướng"]')).toHaveLength(10),
    );
  });

  it('judges strictly: 90,0 % against "trên 90 %" is not met; no value is missing; no target is tracked', async () => {
    setup();
    api();
    renderPage(Overview);
    const leader = await screen.findByRole('article', { name: 'LĐQL đạt chuẩn khung năng lực VTVL' });
    expect(text(leader)).toContain(`90,0${NBSP}%`);
    expect(text(leader)).toContain('Chưa đạt');
    expect(text(leader)).toContain(`Chỉ tiêu Giai đoạn 2026 – 2028: trên 90${NBSP}%`);
    expect(text(leader)).toContain('900/1.000');
    const onTime = screen.getByRole('article', { name: 'Báo cáo đúng hạn 05/11' });
    expect(within(onTime).getByText('Đạt')).toBeTruthy();
    expect(text(onTime)).toContain(`từ 100${NBSP}% trở lên`);
    const satisfaction = screen.getByRole('article', { name: 'Người dân, doanh nghiệp hài lòng' });
    expect(within(satisfaction).getByText('Thiếu số liệu')).toBeTruthy();
    const quota = screen.getByRole('article', { name: 'Công chức đúng định mức biên chế' });
    expect(text(quota)).toContain('Theo dõi (chưa có chỉ tiêu)');
    // staffing_complete carries its plan deadline
    expect(text(screen.getByRole('article', { name: 'Bố trí đủ công chức theo chuyên môn' }))).toContain(
      'Hạn chót: năm 2026',
    );
  });

  it('counts warnings by severity and by scope', async () => {
    setup();
    api();
    renderPage(Overview);
    await waitFor(() => expect(document.querySelector('[data-severity="critical"]')).toBeTruthy());
    for (const s of ['critical', 'high', 'medium', 'missing']) {
      expect(text(document.querySelector(`[data-severity="${s}"] .count`))).toBe('1');
    }
    expect(screen.getByText('Toàn tỉnh: 1 · Cấp xã: 3')).toBeTruthy();
  });

  it('reports on time / late / missing after the deadline, by the first version only', async () => {
    setup({ deadlinePassed: true });
    api();
    renderPage(Overview);
    await waitFor(() => expect(document.querySelector('[data-status="on_time"]')).toBeTruthy());
    const count = (s: string) => text(document.querySelector(`[data-status="${s}"] .count`));
    expect(count('on_time')).toBe('1'); // 28249: v1 on time, a late correction does not change it
    expect(count('late')).toBe('1'); // 28261
    expect(count('missing')).toBe('1'); // 28603
    expect(count('not_due')).toBe('0');
    expect(screen.getByText('Hạn nộp: 05/11/2026')).toBeTruthy();
  });

  it('an open year says so instead of red: provisional figures from n/N communes, coverage, not judged, gap in units', async () => {
    setup({ deadlinePassed: false });
    const kpis = provinceKpis(2026, {
      leader_standard: { value_pct: 100, numerator: 37, denominator: 37, met: null },
      digital_cadre_mgmt: {
        value_pct: (35 * 100) / 37,
        numerator: 35,
        denominator: 37,
        target_pct: 100,
        comparator: 'gte',
        met: false,
      },
    }).map((r) => ({
      ...r,
      year_closed: false,
      communes_reporting: 37,
      communes_expected: 102,
      coverage_pct: (37 * 100) / 102,
      gap_units: r.kpi === 'digital_cadre_mgmt' ? 2 : null,
    }));
    fakeApi({
      '/kpis': table(kpis),
      '/warnings': table([]),
      '/communes': table(COMMUNES),
      '/submissions': table([submission('28249', 1, true)]),
    });
    renderPage(Overview);
    const banner = await screen.findByTestId('year-open');
    expect(text(banner)).toBe(
      'Năm 2026 chưa đến hạn báo cáo (05/11/2026): số liệu tạm tính từ 37/102 xã đã nộp',
    );
    expect(banner.className).not.toContain('state-error');
    expect(text(document.querySelector('[data-testid="kpi-coverage-leader_standard"]'))).toBe(
      `37/102 xã, phường đã báo cáo (36,3${NBSP}%)`,
    );
    const leader = document.querySelector('article[data-kpi="leader_standard"]') as HTMLElement;
    expect(leader.className).toContain('status-not_judged');
    expect(text(within(leader).getByText(/Chưa đánh giá/))).toBe('Chưa đánh giá (chưa đủ xã báo cáo)');
    expect(text(document.querySelector('[data-testid="kpi-gap-digital_cadre_mgmt"]'))).toBe(
      `Còn thiếu 2 xã, phường chuyển đổi số để đạt 100${NBSP}%`,
    );
  });

  it('a value missing before the deadline is "not yet due", after it "missing"', () => {
    expect(kpiStatus({ value_pct: null, target_pct: 90, met: null, year_closed: false })).toBe('pending');
    expect(statusText('pending')).toBe('Chưa đến hạn báo cáo');
    expect(kpiStatus({ value_pct: null, target_pct: 90, met: null, year_closed: true })).toBe('missing');
    expect(kpiStatus({ value_pct: 93, target_pct: 90, met: null, year_closed: false })).toBe('not_judged');
  });

  it('says "Chưa đến hạn" for communes without a report before the deadline', async () => {
    setup({ deadlinePassed: false });
    api({ submissions: [submission('28249', 1, true)] });
    renderPage(Overview);
    await waitFor(() => expect(document.querySelector('[data-status="not_due"]')).toBeTruthy());
    expect(text(document.querySelector('[data-status="not_due"]'))).toBe('2 Chưa đến hạn');
    expect(text(document.querySelector('[data-status="missing"] .count'))).toBe('0');
  });

  it('shows a commune officer only its own reporting status', async () => {
    setup({ session: { token: 'tok-c', role: 'commune', commune_code: '28261' } });
    api({ submissions: [submission('28261', 1, false)] });
    renderPage(Overview);
    expect(await screen.findByText('Xã của bạn: Nộp muộn')).toBeTruthy();
    expect(document.querySelector('[data-status="on_time"]')).toBeNull();
  });

  it('switches to English, numbers included', async () => {
    setup();
    api();
    renderPage(Overview);
    await screen.findByRole('article', { name: 'LĐQL đạt chuẩn khung năng lực VTVL' });
    setLang('en');
    const card = await screen.findByRole('article', {
      name: 'Leaders meeting the job-position competency framework',
    });
    expect(text(card)).toContain('90.0%');
    expect(text(card)).toContain('Not met');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Province overview 2026');
  });

  it('shows the error in place of the KPIs when /kpis fails, and the rest of the page still works', async () => {
    setup();
    fakeApi({
      '/warnings': table(WARNINGS),
      '/communes': table(COMMUNES),
      '/submissions': table([]),
    });
    renderPage(Overview);
    expect(text(await screen.findByRole('alert'))).toContain('Không tìm thấy');
    await waitFor(() => expect(document.querySelector('[data-severity="critical"]')).toBeTruthy());
  });
});

describe('reportingStatus', () => {
  it('ignores voided versions and judges by the lowest remaining version', () => {
    const s = reportingStatus(
      ['a', 'b', 'c'],
      [
        submission('a', 1, true, { voided: true }),
        submission('a', 2, false),
        submission('b', 3, true),
        submission('b', 2, false),
      ],
      true,
    );
    expect(Object.fromEntries(s)).toEqual({ a: 'late', b: 'late', c: 'missing' });
  });
});
