// The dashboard's start in a real browser (Debian's chromium via playwright-core) against the real local server
// with demo data, on a fresh build of web/ (a temporary folder, so a stale web/dist cannot hide a change):
// - what the first paint of the overview downloads: no Plot/d3 and no apache-arrow in the entry chunk;
// - the KPI cards render while GET /submissions is still unanswered (held back here), then the panels fill in;
// - local mode: /cognito.json is the server's index.html fallback, and the local sign-in screen stays;
// - the Cognito hosted UI round trip: authorize → callback with code and state → /oauth2/token → signed in →
//   /logout. Cognito's endpoints cannot run here: Playwright answers for the hosted UI's domain (and serves
//   cognito.json); the ID token it hands back is a real local token carrying the nonce of the authorize request
//   (signed with the folder's token key), so the real server signs the user in.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultTokenKeyFile, LOCAL_ISSUER, loadTokenKey } from '@scorecard/functions/api/auth.ts';
import { type LocalServer, startLocalServer } from '@scorecard/functions/entry/local/server.ts';
import { ManualClock } from '@scorecard/functions/ports/clock.ts';
import { SignJWT } from 'jose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium.ts';
import { tempDir } from '../helpers/data-dir.ts';

const ROOT = join(import.meta.dirname, '../..');
const HOSTED = 'https://scorecard-e2e.auth.ap-southeast-1.amazoncognito.com';
const COGNITO = {
  region: 'ap-southeast-1',
  userPoolId: 'ap-southeast-1_E2e',
  clientId: 'e2e0client0id',
  domain: HOSTED,
};

let dist: string;
let server: LocalServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let leaderToken: string;
let tokenKey: Uint8Array;
const NOW = new Date('2027-11-20T03:00:00Z');
let problems: string[] = [];

beforeAll(async () => {
  dist = tempDir('web-dist-');
  execFileSync('npx', ['vite', 'build', 'web', '--outDir', dist, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  const personKeyFile = join(tempDir('web-e2e-conf-'), 'person-key');
  server = await startLocalServer({
    dataDir: tempDir('web-e2e-data-'),
    port: 0,
    personKeyFile,
    clock: new ManualClock(NOW.toISOString()),
    demo: true,
    quiet: true,
    webDist: dist,
    compactEveryMs: 0,
  });
  const res = await fetch(`${server.url}/api/v1/auth/demo-login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ role: 'leader' }),
  });
  leaderToken = ((await res.json()) as { token: string }).token;
  tokenKey = loadTokenKey(defaultTokenKeyFile(personKeyFile));
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** What Cognito would hand back: an ID token naming the leader, with the authorize request's nonce. */
function idToken(nonce: string): Promise<string> {
  const iat = Math.floor(NOW.getTime() / 1000);
  return new SignJWT({ role: 'leader', nonce })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('local-leader')
    .setIssuer(LOCAL_ISSUER)
    .setIssuedAt(iat)
    .setExpirationTime(iat + 3600)
    .sign(tokenKey);
}

/** A fresh profile per test: cold caches, no session. */
async function freshPage(): Promise<Page> {
  context = await browser.newContext({ locale: 'vi-VN' });
  page = await context.newPage();
  problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  return page;
}

afterEach(async () => {
  await context?.close();
});

/** The sources bundled into a built chunk (from its source map). */
function chunkSources(prefix: string): string[] {
  const file = readdirSync(join(dist, 'assets')).find((f) => f.startsWith(`${prefix}-`) && f.endsWith('.js'));
  expect(file, prefix).toBeTruthy();
  const map = JSON.parse(readFileSync(join(dist, 'assets', `${file}.map`), 'utf8')) as { sources: string[] };
  return map.sources;
}

describe('the dashboard starting in the browser', () => {
  it('keeps Plot, d3 and apache-arrow out of the entry chunk and the overview page', () => {
    for (const chunk of ['index', 'overview']) {
      const heavy = chunkSources(chunk).filter((s) =>
        /node_modules\/(@observablehq|d3-|apache-arrow)/.test(s),
      );
      expect(heavy, chunk).toEqual([]);
    }
  });

  it('shows the KPI cards while GET /submissions is still unanswered, then the reporting panel', async () => {
    await freshPage();
    await context.addInitScript(
      (t) => sessionStorage.setItem('scorecard.session', JSON.stringify({ token: t, role: 'leader' })),
      leaderToken,
    );
    let releaseSubmissions!: () => void;
    const held = new Promise<void>((r) => (releaseSubmissions = r));
    let submissionsAnswered = false;
    await page.route('**/api/v1/submissions?**', async (route) => {
      await held;
      await route.continue();
      submissionsAnswered = true;
    });
    await page.goto(`${server.url}/`);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid^="kpi-value-"]').length === 10);
    expect(submissionsAnswered).toBe(false);
    expect(await page.locator('[data-status]').count()).toBe(0);
    releaseSubmissions();
    await page.locator('[data-status="missing"]').waitFor();
    // The charts arrive after the figures, and do arrive.
    await page.locator('article.kpi-card svg g[aria-label="line"] path').first().waitFor();
    expect(problems).toEqual([]);
  });

  it('local mode: no cognito.json (the server answers index.html), the local sign-in screen', async () => {
    await freshPage();
    const config = await fetch(`${server.url}/cognito.json`);
    expect(config.headers.get('content-type')).toContain('text/html');
    await page.goto(`${server.url}/`);
    await page.getByRole('group', { name: 'Người dùng mẫu' }).waitFor();
    expect(await page.getByRole('button', { name: 'Đăng nhập', exact: true }).count()).toBe(0);
    await page.getByRole('button', { name: 'Lãnh đạo tỉnh', exact: true }).click();
    await page.getByRole('navigation', { name: 'Điều hướng chính' }).waitFor();
    expect(problems).toEqual([]);
  });

  it('signs in through the hosted UI (code + PKCE + state + nonce) and out through /logout', async () => {
    await freshPage();
    await page.route('**/cognito.json', (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(COGNITO) }),
    );
    const dashboard = `${server.url}/`;
    let challenge = '';
    let nonce = '';
    let exchanged: URLSearchParams | null = null;
    let loggedOut: URL | null = null;
    await context.route(`${HOSTED}/**`, async (route) => {
      const url = new URL(route.request().url());
      if (url.pathname === '/oauth2/authorize') {
        const q = url.searchParams;
        expect([q.get('response_type'), q.get('client_id'), q.get('redirect_uri')]).toEqual([
          'code',
          COGNITO.clientId,
          dashboard,
        ]);
        expect(q.get('code_challenge_method')).toBe('S256');
        challenge = q.get('code_challenge') ?? '';
        nonce = q.get('nonce') ?? '';
        // The user signs in (password, MFA) and Cognito sends the browser back with a code and the state.
        return route.fulfill({
          status: 302,
          headers: { location: `${q.get('redirect_uri')}?code=e2e-code&state=${q.get('state')}` },
        });
      }
      if (url.pathname === '/oauth2/token') {
        exchanged = new URLSearchParams(route.request().postData() ?? '');
        return route.fulfill({
          status: 200,
          contentType: 'application/json',
          headers: { 'access-control-allow-origin': new URL(server.url).origin },
          body: JSON.stringify({
            id_token: await idToken(nonce),
            access_token: 'e2e-access',
            refresh_token: 'e2e-refresh',
            expires_in: 3600,
            token_type: 'Bearer',
          }),
        });
      }
      if (url.pathname === '/logout') {
        loggedOut = url;
        return route.fulfill({
          status: 302,
          headers: { location: url.searchParams.get('logout_uri') ?? '/' },
        });
      }
      return route.fulfill({ status: 404 });
    });

    await page.goto(`${dashboard}#/warnings`);
    await page.getByText(/Đăng nhập qua cổng đăng nhập của tỉnh/).waitFor();
    expect(await page.getByRole('group', { name: 'Người dùng mẫu' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
    await page.getByRole('navigation', { name: 'Điều hướng chính' }).waitFor();

    const body = exchanged as URLSearchParams | null;
    expect(body?.get('grant_type')).toBe('authorization_code');
    expect(body?.get('code')).toBe('e2e-code');
    expect(body?.get('redirect_uri')).toBe(dashboard);
    expect(
      createHash('sha256')
        .update(body?.get('code_verifier') ?? '')
        .digest('base64url'),
    ).toBe(challenge);
    // Back on the page the user asked for, with neither code nor state left in the address.
    await page.getByRole('heading', { level: 1 }).filter({ hasText: 'Cảnh báo' }).waitFor();
    expect(new URL(page.url()).search).toBe('');
    expect(new URL(page.url()).hash).toBe('#/warnings');
    const kept = await page.evaluate(() => JSON.parse(sessionStorage.getItem('scorecard.session') ?? '{}'));
    expect([kept.provider, kept.role, kept.refresh_token]).toEqual(['cognito', 'leader', 'e2e-refresh']);
    expect(nonce.length).toBeGreaterThanOrEqual(20);

    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.getByRole('button', { name: 'Đăng nhập', exact: true }).waitFor();
    const out = loggedOut as URL | null;
    expect(out?.searchParams.get('client_id')).toBe(COGNITO.clientId);
    expect(out?.searchParams.get('logout_uri')).toBe(dashboard);
    expect(await page.evaluate(() => sessionStorage.getItem('scorecard.session'))).toBeNull();
    expect(problems).toEqual([]);
  });
});
