// The dashboard end to end: Debian's chromium (playwright-core) against the real local server on a temporary
// data folder with demo data and a fixed clock. A leader signs in and sees the ten KPIs exactly as GET /kpis
// returns them (vi-VN), drills into a commune, opens the rankings, switches to English; a commune officer
// uploads an invalid file and sees every error, then a valid one and sees the new version and changed KPIs.
// No console errors; a screenshot of each page goes to test-artifacts/screenshots/.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium.ts';
import { cadre, validSubmission } from '../helpers/fixtures.ts';
import { OWN, type TestServer, testServer } from '../helpers/server.ts';

const ROOT = join(import.meta.dirname, '../..');
const SHOTS = join(ROOT, 'test-artifacts/screenshots');
/** After the 2027 deadline (5 November, Asia/Ho_Chi_Minh): the demo has two plan years, some late and missing. */
const NOW = '2027-11-20T03:00:00Z';
const YEAR = 2027;
const NBSP = '\u00a0';
const OWN_NAME = 'Phường Đạo Thạnh';

/** vi-VN, one decimal, non-breaking space before % — computed here independently of the dashboard's code. */
function viPct(value: number | null): string {
  if (value === null) return '—';
  return `${new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value)}${NBSP}%`;
}

interface KpiRow {
  kpi: string;
  value_pct: number | null;
  commune_code?: string;
  year: number;
}

let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const consoleErrors: string[] = [];

async function api<T>(path: string, token: string): Promise<T> {
  const res = await server.call(`/api/v1${path}`, { token });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

/** Long tables (102 communes, hundreds of warnings) are shot at viewport height; the rest as whole pages. */
async function shot(name: string, fullPage = true) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
}

async function signInAs(button: string) {
  await page.getByRole('button', { name: button, exact: true }).click();
  await page.getByRole('navigation', { name: 'Điều hướng chính' }).waitFor();
}

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'web/dist/index.html'))) {
    execFileSync('npx', ['vite', 'build', 'web', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  }
  mkdirSync(SHOTS, { recursive: true });
  server = await testServer({ now: NOW, demo: true });
  browser = await launchChromium();
  // The browser's own zone is UTC: dates must still show in Asia/Ho_Chi_Minh.
  context = await browser.newContext({
    viewport: { width: 1300, height: 900 },
    locale: 'vi-VN',
    timezoneId: 'UTC',
  });
  page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('dashboard in the browser', () => {
  it('leader: overview with the ten KPIs of GET /kpis, a commune, rankings, English', async () => {
    await page.goto(`${server.url}/`);
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    await page.getByTestId('demo-badge').waitFor();
    expect(await page.getByTestId('demo-badge').textContent()).toBe('Dữ liệu mẫu (demo)');
    await shot('01-sign-in');

    await signInAs('Lãnh đạo tỉnh');
    await page.locator('article.kpi-card').nth(9).waitFor();
    const { rows } = await api<{ rows: KpiRow[] }>(`/kpis?year=${YEAR}`, server.tokens.leader);
    expect(rows).toHaveLength(10);
    expect(await page.locator('article.kpi-card').count()).toBe(10);
    for (const row of rows) {
      const shown = await page.getByTestId(`kpi-value-${row.kpi}`).textContent();
      expect(shown, row.kpi).toBe(viPct(row.value_pct));
    }
    expect(await page.locator('h1').textContent()).toBe(`Tổng quan toàn tỉnh năm ${YEAR}`);
    await page.locator('[data-status="missing"]').waitFor();
    await page.locator('article.kpi-card svg g[aria-label="line"] path').first().waitFor();
    await shot('02-overview');
    // The overview prints: no navigation or buttons, the cards kept whole (print stylesheet).
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('nav.app-nav').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'In trang' }).isVisible()).toBe(false);
    expect(await page.locator('.print-only').first().isVisible()).toBe(true);
    await page.pdf({ path: join(SHOTS, '02-overview-print.pdf'), format: 'A4', printBackground: true });
    await page.emulateMedia({ media: 'screen' });

    // Drill into a commune from the table, found without diacritics.
    await page.getByRole('link', { name: 'Xã, phường', exact: true }).click();
    await page.locator('table.commune-table tbody tr').first().waitFor();
    expect(await page.locator('table.commune-table tbody tr').count()).toBe(102);
    await shot('03-communes', false);
    await page.getByRole('searchbox').fill('dao thanh');
    await expect.poll(() => page.locator('table.commune-table tbody tr').count()).toBe(1);
    await page.getByRole('link', { name: OWN_NAME, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: OWN_NAME }).waitFor();
    await page.getByTestId('submission-history').waitFor();
    await page
      .getByTestId('cadre-gaps')
      .or(page.getByText('Không có cán bộ nào bị cảnh báo'))
      .first()
      .waitFor();
    const communeKpis = await api<{ rows: KpiRow[] }>(
      `/kpis/communes?year=${YEAR}&commune=${OWN}`,
      server.tokens.leader,
    );
    const leaderStandard = communeKpis.rows.find((r) => r.kpi === 'leader_standard');
    expect(
      await page
        .locator(`tr[data-kpi="leader_standard"] td[data-year="${YEAR}"]`)
        .evaluate((td) => td.firstChild?.textContent),
    ).toBe(viPct(leaderStandard?.value_pct ?? null));
    await shot('04-commune');

    // Rankings: every commune, the first ranked 1.
    await page.getByRole('link', { name: 'Xếp hạng', exact: true }).click();
    await page.locator('table.ranking-table tbody tr').first().waitFor();
    expect(await page.locator('table.ranking-table tbody tr').count()).toBe(102);
    expect(await page.locator('table.ranking-table tbody tr td').first().textContent()).toBe('1');
    expect(await page.locator('.ranking-chart g[aria-label="bar"] rect').count()).toBe(102 * 3);
    await shot('05-rankings', false);

    await page.getByRole('link', { name: 'Cảnh báo', exact: true }).click();
    await page.locator('table.warnings-table tbody tr').first().waitFor();
    await shot('06-warnings', false);
    await page.getByRole('link', { name: 'Chất lượng dữ liệu', exact: true }).click();
    await page.locator('table.quality-table tbody tr').first().waitFor();
    await shot('07-quality', false);

    // English: words and numbers switch, the data stays.
    await page.getByRole('link', { name: 'Xếp hạng', exact: true }).click();
    await page.locator('table.ranking-table tbody tr').first().waitFor();
    await page.getByRole('button', { name: 'Chuyển sang tiếng Anh' }).click();
    await page.getByRole('heading', { level: 1, name: `Commune ranking ${YEAR}` }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.getByRole('navigation', { name: 'Main navigation' }).isVisible()).toBe(true);
    const score = await page.locator('table.ranking-table tbody tr td.num').nth(1).textContent();
    expect(score).toMatch(/^\d{1,3}\.\d$/);
    await shot('08-rankings-en', false);
    await page.getByRole('link', { name: 'Overview', exact: true }).click();
    await page.locator('article.kpi-card').nth(9).waitFor();
    const first = rows[0] as KpiRow;
    expect(await page.getByTestId(`kpi-value-${first.kpi}`).textContent()).toBe(
      `${(first.value_pct as number).toLocaleString('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 })}%`,
    );
    await shot('09-overview-en');
    await page.getByRole('button', { name: 'Switch to Vietnamese' }).click();
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.getByRole('heading', { name: 'Đăng nhập' }).waitFor();
  }, 300_000);

  it('commune officer: an invalid file shows every error; a valid one lands a new version and changes the KPIs', async () => {
    await signInAs(`Cán bộ xã ${OWN_NAME}`);
    await page.getByRole('link', { name: 'Nộp báo cáo', exact: true }).click();
    await page.getByText(`Nộp cho: ${OWN_NAME} (${OWN})`).waitFor();
    await shot('10-submit');

    // The Excel template pre-filled from the commune's latest version (no CCCD: they carry over by staff code)
    // goes back through the same dry run as multipart and is valid as it is.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: `Tải mẫu Excel điền sẵn từ bản nộp năm ${YEAR}` }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^bao-cao-${OWN}-${YEAR}-v\\d+\\.xlsx$`));
    const templatePath = join(SHOTS, download.suggestedFilename());
    await download.saveAs(templatePath);
    await page.getByLabel('Chọn tệp báo cáo (.json hoặc mẫu Excel .xlsx)').setInputFiles(templatePath);
    await page.getByTestId('dry-run-valid').waitFor();
    await shot('10b-submit-xlsx-valid');
    await page.getByRole('button', { name: 'Chọn tệp khác' }).click();

    // Invalid: several errors at once, in the report and in the roster.
    const invalid = validSubmission({ commune_code: OWN, year: YEAR }) as unknown as Record<string, unknown>;
    const report = invalid.report as Record<string, unknown>;
    (report.survey as Record<string, number>).citizen_satisfied = 999;
    report.complaints_resolved_on_time = 50;
    const cadres = invalid.cadres as Record<string, unknown>[];
    (cadres[0] as Record<string, unknown>).national_id = '12345';
    (cadres[2] as Record<string, unknown>).categry = 'cong_chuc';
    const invalidText = JSON.stringify(invalid, null, 2);
    const expected = (await (
      await server.call('/api/v1/submissions?dry_run=true', {
        method: 'POST',
        token: server.tokens.commune,
        body: invalidText,
      })
    ).json()) as { valid: boolean; errors: { path: string; message_vi: string }[] };
    expect(expected.valid).toBe(false);
    expect(expected.errors.length).toBeGreaterThanOrEqual(4);

    const input = page.getByLabel('Chọn tệp báo cáo (.json hoặc mẫu Excel .xlsx)');
    await input.setInputFiles({
      name: 'bao-cao-sai.json',
      mimeType: 'application/json',
      buffer: Buffer.from(invalidText),
    });
    await page.getByTestId('field-errors').waitFor();
    const shownErrors = await page
      .locator('[data-testid="field-errors"] tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [tr.getAttribute('data-path'), tr.querySelector('td')?.textContent]),
      );
    expect(shownErrors).toEqual(expected.errors.map((e) => [e.path, e.message_vi]));
    expect(await page.getByText(`Tệp có ${expected.errors.length} lỗi`).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Xác nhận nộp báo cáo' }).count()).toBe(0);
    await shot('11-submit-errors');

    // Valid: every leader meets the standard now, so leader_standard changes for the commune.
    const before = await api<{ rows: KpiRow[] }>(
      `/kpis/communes?year=${YEAR}&commune=${OWN}`,
      server.tokens.commune,
    );
    const beforeValue = before.rows.find((r) => r.kpi === 'leader_standard')?.value_pct ?? null;
    const history = await api<{ rows: { version: number }[] }>(
      `/submissions?year=${YEAR}&commune=${OWN}`,
      server.tokens.commune,
    );
    const nextVersion = Math.max(0, ...history.rows.map((r) => r.version)) + 1;
    const valid = validSubmission({
      commune_code: OWN,
      year: YEAR,
      cadres: [
        cadre(901, {
          cadre_code: 'E2E-0001',
          position: 'Chủ tịch UBND',
          is_leader: true,
          category: 'can_bo',
        }),
        cadre(902, {
          cadre_code: 'E2E-0002',
          position: 'Phó Chủ tịch UBND',
          is_leader: true,
          category: 'can_bo',
        }),
        cadre(903, { cadre_code: 'E2E-0003' }),
      ],
    });
    expect(beforeValue).not.toBe(100);
    await input.setInputFiles({
      name: 'bao-cao.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(valid)),
    });
    await page.getByTestId('dry-run-valid').waitFor();
    await shot('12-submit-valid');
    await page.getByRole('button', { name: 'Xác nhận nộp báo cáo' }).click();
    await page.getByText(`Đã nhận báo cáo: phiên bản ${nextVersion}`).waitFor();
    await shot('13-submit-done');

    // The commune page shows the new version and, once the marts refresh, the changed KPI.
    await page.getByRole('link', { name: 'Xem số liệu của xã' }).click();
    await page.getByRole('heading', { level: 1, name: OWN_NAME }).waitFor();
    const cell = page.locator(`tr[data-kpi="leader_standard"] td[data-year="${YEAR}"]`);
    await expect
      .poll(
        async () => {
          await page.reload();
          await page.getByTestId('submission-history').waitFor();
          await cell.waitFor();
          return [
            await page
              .locator(`[data-testid="submission-history"] tr[data-version="${nextVersion}"]`)
              .count(),
            await cell.evaluate((td) => td.firstChild?.textContent),
          ];
        },
        { timeout: 30_000, interval: 500 },
      )
      .toEqual([1, viPct(100)]);
    const after = await api<{ rows: KpiRow[] }>(
      `/kpis/communes?year=${YEAR}&commune=${OWN}`,
      server.tokens.commune,
    );
    expect(after.rows.find((r) => r.kpi === 'leader_standard')?.value_pct).toBe(100);
    await shot('14-commune-after');

    // The officer's own rank and the overview still work for this role.
    await page.getByRole('link', { name: 'Xếp hạng', exact: true }).click();
    await page.getByTestId('own-rank').waitFor();
    await shot('15-rankings-own');

    expect(consoleErrors).toEqual([]);
  }, 300_000);
});
