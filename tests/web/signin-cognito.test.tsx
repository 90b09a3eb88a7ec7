// Hosted sign-in on AWS: the dashboard reads /cognito.json (written by the web stack) and signs in through the
// Cognito hosted UI with the authorization code flow and PKCE; without that file (local mode) the sign-in screen
// is the local one. Cognito's endpoints (/oauth2/authorize, /oauth2/token, /logout) cannot run here: fetch is
// faked, and leaving the page for the hosted UI is recorded instead (jsdom cannot navigate).
import { createHash } from 'node:crypto';
import App from '@scorecard/web/App.tsx';
import { setApiBase } from '@scorecard/web/lib/api.ts';
import { apiBaseFor, browser, loadCognitoConfig } from '@scorecard/web/lib/cognito.ts';
import { setLang } from '@scorecard/web/lib/i18n.ts';
import { session } from '@scorecard/web/lib/session.ts';
import SignIn from '@scorecard/web/pages/signin.tsx';
import type { RouteSectionProps } from '@solidjs/router';
import { fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Call, fakeApi, json, setup, teardown, text } from './helpers.tsx';

vi.mock('@solidjs/router', () => import('./router-mock.ts'));

const HOSTED = 'https://scorecard-dt.auth.ap-southeast-1.amazoncognito.com';
const COGNITO = {
  region: 'ap-southeast-1',
  userPoolId: 'ap-southeast-1_AbCdEf123',
  clientId: '4example0client0id0abc',
  domain: HOSTED,
};
const LOCAL_CONFIG = { mode: 'local', roles: ['leader'], demo_communes: [] };
/** What jsdom's page is: the dashboard at the root of its origin. */
const DASHBOARD = 'http://localhost:3000/';

let assigned: string[];
const realAssign = browser.assign;
beforeEach(() => {
  assigned = [];
  browser.assign = (url: string) => {
    assigned.push(url);
  };
});
afterEach(() => {
  browser.assign = realAssign;
  teardown();
});

const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

/** Clicks "Đăng nhập" and returns where the browser was sent. */
async function leaveForHostedUi(): Promise<URL> {
  fireEvent.click(await screen.findByRole('button', { name: 'Đăng nhập' }));
  await waitFor(() => expect(assigned).toHaveLength(1));
  return new URL(assigned[0] as string);
}

describe('Sign-in without cognito.json (local mode)', () => {
  it('keeps the local screen when the file is missing (404)', async () => {
    setup({ session: null });
    const api = fakeApi({ '/auth/config': LOCAL_CONFIG });
    render(() => <SignIn />);
    expect(await screen.findByRole('group', { name: 'Người dùng mẫu' })).toBeTruthy();
    expect(screen.getByLabelText('Mã truy cập (token)')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Đăng nhập' })).toBeNull();
    expect(api.callsTo('/cognito.json')).toHaveLength(1);
    expect(api.callsTo('/auth/config')).toHaveLength(1);
  });

  it('keeps the local screen when the server answers its index.html instead (the local server, vite)', async () => {
    setup({ session: null });
    fakeApi({
      '/auth/config': LOCAL_CONFIG,
      '/cognito.json': new Response('<!doctype html><div id="root"></div>', {
        headers: { 'Content-Type': 'text/html; charset=utf-8' },
      }),
    });
    render(() => <SignIn />);
    expect(await screen.findByRole('group', { name: 'Người dùng mẫu' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Đăng nhập' })).toBeNull();
    expect(await loadCognitoConfig()).toBeNull();
  });
});

describe('Sign-in through the Cognito hosted UI', () => {
  it('sends the browser to /oauth2/authorize with the client, the callback, a state and an S256 challenge', async () => {
    setup({ session: null });
    const api = fakeApi({ '/cognito.json': COGNITO });
    render(() => <SignIn />);
    expect(await screen.findByText(/Đăng nhập qua cổng đăng nhập của tỉnh/)).toBeTruthy();
    // A pasted token still works on AWS; the local demo users do not exist there.
    expect(screen.getByLabelText('Mã truy cập (token)')).toBeTruthy();
    expect(screen.queryByRole('group', { name: 'Người dùng mẫu' })).toBeNull();
    expect(api.callsTo('/auth/config')).toHaveLength(0);

    const to = await leaveForHostedUi();
    expect(`${to.origin}${to.pathname}`).toBe(`${HOSTED}/oauth2/authorize`);
    const q = to.searchParams;
    expect(q.get('response_type')).toBe('code');
    expect(q.get('client_id')).toBe(COGNITO.clientId);
    expect(q.get('redirect_uri')).toBe(DASHBOARD);
    expect(q.get('scope')).toBe('openid email');
    expect(q.get('code_challenge_method')).toBe('S256');
    // The state and the verifier stay in this tab; the challenge is the verifier's SHA-256.
    const pending = JSON.parse(sessionStorage.getItem('scorecard.oauth') ?? '{}');
    expect(q.get('state')).toBe(pending.state);
    expect(pending.state).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(pending.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('code_challenge')).toBe(s256(pending.verifier));
    expect(session()).toBeNull();
  });

  it('a bare domain prefix becomes Cognito’s own domain in the pool’s region', async () => {
    setup({ session: null });
    fakeApi({ '/cognito.json': { ...COGNITO, domain: 'scorecard-dt' } });
    render(() => <SignIn />);
    const to = await leaveForHostedUi();
    expect(to.origin).toBe(HOSTED);
  });

  it('refuses a callback whose state is not the one sent: a clear message, no exchange, no token', async () => {
    setup({ session: null });
    const api = fakeApi({
      '/cognito.json': COGNITO,
      'POST /oauth2/token': { id_token: 'x', access_token: 'y' },
    });
    const first = render(() => <SignIn />);
    const sent = (await leaveForHostedUi()).searchParams.get('state');
    first.unmount();

    window.history.replaceState(null, '', `/?code=auth-code-1&state=${sent}-forged`);
    render(() => <SignIn />);
    expect(text(await screen.findByRole('alert'))).toBe(
      'Kết quả đăng nhập không khớp với yêu cầu từ trình duyệt này hoặc đã quá hạn. Hãy đăng nhập lại.',
    );
    setLang('en');
    expect(text(screen.getByRole('alert'))).toBe(
      'The sign-in response does not match a request from this browser, or it has expired. Please sign in again.',
    );
    expect(api.callsTo('/oauth2/token')).toHaveLength(0);
    expect(session()).toBeNull();
    expect(sessionStorage.getItem('scorecard.session')).toBeNull();
    // The pending sign-in is spent and the code leaves the address bar.
    expect(sessionStorage.getItem('scorecard.oauth')).toBeNull();
    expect(window.location.search).toBe('');
  });

  it('refuses a callback when this tab never started a sign-in', async () => {
    setup({ session: null });
    const api = fakeApi({ '/cognito.json': COGNITO });
    window.history.replaceState(null, '', '/?code=auth-code-1&state=anything');
    render(() => <SignIn />);
    expect(text(await screen.findByRole('alert'))).toContain('không khớp');
    expect(api.callsTo('/oauth2/token')).toHaveLength(0);
    expect(session()).toBeNull();
  });

  it('exchanges the code with the verifier at /oauth2/token and signs in with the ID token', async () => {
    setup({ session: null });
    const config = { ...COGNITO, apiBaseUrl: 'https://api.scorecard.example/' };
    const api = fakeApi({
      '/cognito.json': config,
      'POST /oauth2/token': {
        id_token: 'id.token.jwt',
        access_token: 'access.token.jwt',
        refresh_token: 'never-kept',
        expires_in: 3600,
        token_type: 'Bearer',
      },
      '/me': { sub: 'u-1', role: 'commune', commune_code: '28249' },
    });
    // What main.tsx does at startup: the API's URL comes from cognito.json.
    setApiBase(loadCognitoConfig().then(apiBaseFor));
    window.history.replaceState(null, '', '/#/warnings');
    const first = render(() => <SignIn />);
    const sent = (await leaveForHostedUi()).searchParams;
    const { verifier } = JSON.parse(sessionStorage.getItem('scorecard.oauth') ?? '{}');
    first.unmount();

    // Cognito sends the browser back to the callback with the code and the state.
    window.history.replaceState(null, '', `/?code=auth-code-1&state=${sent.get('state')}`);
    render(() => <SignIn />);
    await waitFor(() =>
      expect(session()).toEqual({
        token: 'id.token.jwt',
        role: 'commune',
        commune_code: '28249',
        provider: 'cognito',
        access_token: 'access.token.jwt',
      }),
    );
    const exchange = api.calls.find((c: Call) => c.path === '/oauth2/token') as Call;
    expect(exchange.method).toBe('POST');
    expect(exchange.headers.get('Content-Type')).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(String(exchange.body)))).toEqual({
      grant_type: 'authorization_code',
      client_id: COGNITO.clientId,
      code: 'auth-code-1',
      redirect_uri: DASHBOARD,
      code_verifier: verifier,
    });
    expect(s256(verifier)).toBe(sent.get('code_challenge'));
    const urls = api.fetchMock.mock.calls.map(([input]) => String(input));
    expect(urls).toContain(`${HOSTED}/oauth2/token`);
    // The role comes from GET /me with the ID token, at the API named by cognito.json.
    expect(api.callsTo('/me')[0]?.headers.get('Authorization')).toBe('Bearer id.token.jwt');
    expect(urls).toContain('https://api.scorecard.example/api/v1/me');
    // Kept for the tab like a local token; back on the page the user left from; no code in the address.
    expect(JSON.parse(sessionStorage.getItem('scorecard.session') ?? '{}').token).toBe('id.token.jwt');
    expect(window.location.search).toBe('');
    expect(window.location.hash).toBe('#/warnings');
    expect(sessionStorage.getItem('scorecard.oauth')).toBeNull();
  });

  it('says so when the hosted UI or the token endpoint refuses', async () => {
    setup({ session: null });
    fakeApi({
      '/cognito.json': COGNITO,
      'POST /oauth2/token': json({ error: 'invalid_grant' }, 400),
    });
    const first = render(() => <SignIn />);
    const state = (await leaveForHostedUi()).searchParams.get('state');
    first.unmount();
    window.history.replaceState(null, '', `/?code=used-code&state=${state}`);
    render(() => <SignIn />);
    expect(text(await screen.findByRole('alert'))).toBe(
      'Cổng đăng nhập không hoàn tất đăng nhập (invalid_grant). Hãy thử lại.',
    );
    expect(session()).toBeNull();
  });

  it('signs out through the hosted UI’s /logout as well', async () => {
    setup({ session: { token: 'id.token.jwt', role: 'leader', provider: 'cognito', access_token: 'a' } });
    fakeApi({
      '/cognito.json': COGNITO,
      '/health': { status: 'ok', mode: 'cognito', demo: false },
      '/years': { current_year: 2026, years: [2026], deadline_passed: false },
    });
    render(() => <App {...({} as RouteSectionProps)}>{<p>page content</p>}</App>);
    fireEvent.click(await screen.findByRole('button', { name: 'Đăng xuất' }));
    expect(session()).toBeNull();
    await waitFor(() => expect(assigned).toHaveLength(1));
    const to = new URL(assigned[0] as string);
    expect(`${to.origin}${to.pathname}`).toBe(`${HOSTED}/logout`);
    expect(to.searchParams.get('client_id')).toBe(COGNITO.clientId);
    expect(to.searchParams.get('logout_uri')).toBe(DASHBOARD);
  });
});
