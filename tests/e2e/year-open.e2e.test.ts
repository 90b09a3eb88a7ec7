// The year in progress in the browser (issue 14): Debian's chromium against the real local server with demo data.
// In June of a plan year the overview says the year is not yet due, with provisional figures over the communes
// that have reported, and shows no red for the pending ones; after 6 November it shows the closed-year judgement.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium.ts';
import { type TestServer, testServer } from '../helpers/server.ts';

const ROOT = join(import.meta.dirname, '../..');
let server: TestServer;
let browser: Browser;
let page: Page;
const problems: string[] = [];

interface ProvinceRow {
  kpi: string;
  year_closed: boolean;
  communes_reporting: number;
  communes_expected: number;
}

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'web/dist/index.html'))) {
    execFileSync('npx', ['vite', 'build', 'web', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  }
  // Mid-June 2027: 2026 is closed, 2027 is open (due 5 November 2027).
  server = await testServer({ now: '2027-06-15T03:00:00Z', demo: true });
  browser = await launchChromium();
  const context = await browser.newContext({
    viewport: { width: 1300, height: 900 },
    locale: 'vi-VN',
    timezoneId: 'UTC',
  });
  page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function province(): Promise<ProvinceRow[]> {
  // Signed at the server's current instant (a token from June has expired by November).
  const r = await server.call('/api/v1/kpis?year=2027', { token: await server.sign('leader') });
  expect(r.status).toBe(200);
  return ((await r.json()) as { rows: ProvinceRow[] }).rows;
}

describe('the year in progress, in Chromium', () => {
  it('in June: "not yet due", provisional figures from n/102 communes, no red for the pending ones', async () => {
    const rows = await province();
    const reporting = rows[0]?.communes_reporting ?? -1;
    expect(rows.every((r) => r.year_closed === false)).toBe(true);
    await page.goto(`${server.url}/`);
    await page.getByRole('button', { name: 'Lãnh đạo tỉnh', exact: true }).click();
    const banner = page.getByTestId('year-open');
    await banner.waitFor();
    expect(await banner.textContent()).toBe(
      `Năm 2027 chưa đến hạn báo cáo (05/11/2027): số liệu tạm tính từ ${reporting}/102 xã đã nộp`,
    );
    // Pending communes are "chưa đến hạn", never "missing" (red).
    await page.locator('[data-status="not_due"]').first().waitFor();
    expect(await page.locator('[data-status="missing"] .count').first().textContent()).toBe('0');
    expect(problems).toEqual([]);
  }, 120_000);

  it('after 6 November: the closed year is judged, and the banner is gone', async () => {
    server.clock.set('2027-11-07T03:00:00Z');
    await server.marts.refreshNow();
    const rows = await province();
    expect(rows.every((r) => r.year_closed === true)).toBe(true);
    // The June session has expired: sign in again, as a leader would.
    await page.evaluate(() => {
      sessionStorage.clear();
      localStorage.clear();
    });
    await page.goto(`${server.url}/`);
    await page.getByRole('button', { name: 'Lãnh đạo tỉnh', exact: true }).click();
    await page.locator('article.kpi-card').first().waitFor();
    expect(await page.getByTestId('year-open').count()).toBe(0);
    // Every commune is now on time, late or missing; none is "not yet due".
    expect(await page.locator('[data-status="not_due"] .count').first().textContent()).toBe('0');
    expect(problems).toEqual([]);
  }, 120_000);
});
