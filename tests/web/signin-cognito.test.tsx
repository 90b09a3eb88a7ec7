// Hosted sign-in on AWS: the dashboard reads /cognito.json (written by the web stack) and signs in through the
// Cognito hosted UI with the authorization code flow, PKCE and a nonce (oidc-client-ts), then keeps the session
// alive with the refresh token; without that file (local mode) the sign-in screen is the local one. Cognito's
// endpoints (/oauth2/authorize, /oauth2/token, /logout) cannot run here: the token endpoint is a fake that models
// Cognito's rules (./cognito-fake.ts), and leaving the page for the hosted UI is recorded instead (jsdom cannot
// navigate).
import { createHash } from 'node:crypto';
import App from '@scorecard/web/App.tsx';
import { setApiBase } from '@scorecard/web/lib/api.ts';
import { apiBaseFor, browser, loadCognitoConfig } from '@scorecard/web/lib/cognito.ts';
import { setLang } from '@scorecard/web/lib/i18n.ts';
import { RENEW_AHEAD_MS, RETRY_MS } from '@scorecard/web/lib/renewal.ts';
import { type Session, session, signedOutBecause } from '@scorecard/web/lib/session.ts';
import SignIn from '@scorecard/web/pages/signin.tsx';
import type { RouteSectionProps } from '@solidjs/router';
import { fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { claims, fakeCognito, jwt } from './cognito-fake.ts';
import { type Call, fakeApi, json, setup, teardown, text } from './helpers.tsx';

vi.mock('@solidjs/router', () => import('./router-mock.ts'));

const HOSTED = 'https://scorecard-dt.auth.ap-southeast-1.amazoncognito.com';
const COGNITO = {
  region: 'ap-southeast-1',
  userPoolId: 'ap-southeast-1_AbCdEf123',
  clientId: '4example0client0id0abc',
  domain: HOSTED,
};
const ISSUER = `https://cognito-idp.${COGNITO.region}.amazonaws.com/${COGNITO.userPoolId}`;
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
  vi.useRealTimers();
  browser.assign = realAssign;
  teardown();
});

/** This tab's pending hosted sign-ins, by state (oidc-client-ts keeps them as `scorecard.oauth.<state>`). */
function pendingSignIns(): Record<string, { code_verifier: string; nonce: string; created: number }> {
  const out: Record<string, { code_verifier: string; nonce: string; created: number }> = {};
  for (let i = 0; i < sessionStorage.length; i++) {
    const key = sessionStorage.key(i) ?? '';
    if (key.startsWith('scorecard.oauth.'))
      out[key.slice('scorecard.oauth.'.length)] = JSON.parse(sessionStorage.getItem(key) ?? '{}');
  }
  return out;
}

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
  it('sends the browser to /oauth2/authorize with the client, the callback, a state, a nonce and an S256 challenge', async () => {
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
    // The state, the verifier and the nonce stay in this tab; the challenge is the verifier's SHA-256.
    const pending = pendingSignIns();
    expect(Object.keys(pending)).toEqual([q.get('state')]);
    const mine = pending[q.get('state') ?? ''];
    expect(mine?.code_verifier.length).toBeGreaterThanOrEqual(43);
    expect(q.get('code_challenge')).toBe(s256(mine?.code_verifier ?? ''));
    expect(q.get('nonce')).toBe(mine?.nonce);
    expect(q.get('nonce')?.length).toBeGreaterThanOrEqual(20);
    // No discovery request: the endpoints are Cognito's known ones (the CSP allows only the hosted UI).
    expect(
      api.fetchMock.mock.calls.map(([u]) => String(u)).filter((u) => u.includes('openid-configuration')),
    ).toEqual([]);
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
    const cognito = fakeCognito({ clientId: COGNITO.clientId, issuer: ISSUER });
    const api = fakeApi({ '/cognito.json': COGNITO, 'POST /oauth2/token': cognito.endpoint });
    const first = render(() => <SignIn />);
    const sent = await leaveForHostedUi();
    const code = cognito.authorize(sent);
    first.unmount();

    window.history.replaceState(null, '', `/?code=${code}&state=${sent.searchParams.get('state')}-forged`);
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
    expect(pendingSignIns()).toEqual({});
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

  it('refuses a callback that comes back after more than 15 minutes', async () => {
    vi.useFakeTimers({ now: new Date('2026-12-07T08:00:00Z'), toFake: ['Date'] });
    setup({ session: null });
    const cognito = fakeCognito({ clientId: COGNITO.clientId, issuer: ISSUER });
    const api = fakeApi({ '/cognito.json': COGNITO, 'POST /oauth2/token': cognito.endpoint });
    const first = render(() => <SignIn />);
    const sent = await leaveForHostedUi();
    const code = cognito.authorize(sent);
    first.unmount();
    vi.setSystemTime(new Date('2026-12-07T08:16:00Z'));
    window.history.replaceState(null, '', `/?code=${code}&state=${sent.searchParams.get('state')}`);
    render(() => <SignIn />);
    expect(text(await screen.findByRole('alert'))).toContain('đã quá hạn');
    expect(api.callsTo('/oauth2/token')).toHaveLength(0);
    expect(session()).toBeNull();
  });

  it('exchanges the code with the verifier at /oauth2/token and signs in with the ID token', async () => {
    setup({ session: null });
    const config = { ...COGNITO, apiBaseUrl: 'https://api.scorecard.example/' };
    const cognito = fakeCognito({ clientId: COGNITO.clientId, issuer: ISSUER });
    const api = fakeApi({
      '/cognito.json': config,
      'POST /oauth2/token': cognito.endpoint,
      '/me': { sub: 'u-1', role: 'commune', commune_code: '28249' },
    });
    // What main.tsx does at startup: the API's URL comes from cognito.json.
    setApiBase(loadCognitoConfig().then(apiBaseFor));
    window.history.replaceState(null, '', '/#/warnings');
    const first = render(() => <SignIn />);
    const sent = await leaveForHostedUi();
    const verifier = pendingSignIns()[sent.searchParams.get('state') ?? '']?.code_verifier;
    const code = cognito.authorize(sent);
    first.unmount();

    // Cognito sends the browser back to the callback with the code and the state.
    window.history.replaceState(null, '', `/?code=${code}&state=${sent.searchParams.get('state')}`);
    render(() => <SignIn />);
    await waitFor(() => expect(session()?.provider).toBe('cognito'));
    const s = session() as Session;
    expect(claims(s.token)).toMatchObject({
      iss: ISSUER,
      aud: COGNITO.clientId,
      nonce: sent.searchParams.get('nonce'),
    });
    expect(s).toMatchObject({ role: 'commune', commune_code: '28249', refresh_token: 'refresh-1' });
    expect(s.access_token).toMatch(/^access-/);
    // The session knows when the ID token expires: an hour after it was issued.
    expect(s.expires_at).toBe((claims(s.token).exp as number) * 1000);
    expect(cognito.grants).toEqual([
      {
        grant_type: 'authorization_code',
        client_id: COGNITO.clientId,
        code,
        redirect_uri: DASHBOARD,
        code_verifier: verifier,
      },
    ]);
    const urls = api.fetchMock.mock.calls.map(([input]) => String(input));
    expect(urls).toContain(`${HOSTED}/oauth2/token`);
    // The role comes from GET /me with the ID token, at the API named by cognito.json.
    expect(api.callsTo('/me')[0]?.headers.get('Authorization')).toBe(`Bearer ${s.token}`);
    expect(urls).toContain('https://api.scorecard.example/api/v1/me');
    // Kept for the tab like a local token; back on the page the user left from; no code in the address.
    expect(JSON.parse(sessionStorage.getItem('scorecard.session') ?? '{}').token).toBe(s.token);
    expect(window.location.search).toBe('');
    expect(window.location.hash).toBe('#/warnings');
    expect(pendingSignIns()).toEqual({});
  });

  it('refuses every token that fails a check — wrong or missing nonce, no subject, not a JWT — in the catalogue’s words', async () => {
    const base = { sub: 'u-2', iss: ISSUER, aud: COGNITO.clientId, exp: 4e9, iat: 1 };
    const { sub: _none, ...noSubject } = base;
    const bad: unknown[] = [
      jwt({ ...base, nonce: 'someone-elses' }), // a token injected into the callback
      jwt(base), // no nonce at all
      jwt({ ...noSubject, nonce: 'n' }),
      'not-a-jwt',
      'a.b.c',
      `${jwt(base)}x`.replace(/\./, '.%'),
      ...fc.sample(fc.string({ minLength: 1, maxLength: 40 }), 3),
      undefined, // no ID token in the answer
    ];
    for (const idToken of bad) {
      teardown();
      setup({ session: null });
      const api = fakeApi({
        '/cognito.json': COGNITO,
        'POST /oauth2/token': {
          ...(idToken === undefined ? {} : { id_token: idToken }),
          access_token: 'a',
          token_type: 'Bearer',
          expires_in: 3600,
        },
        '/me': { sub: 'u-2', role: 'admin' },
      });
      const first = render(() => <SignIn />);
      const state = (await leaveForHostedUi()).searchParams.get('state');
      first.unmount();
      assigned.length = 0;
      window.history.replaceState(null, '', `/?code=c&state=${state}`);
      render(() => <SignIn />);
      const alert = text(await screen.findByRole('alert'));
      expect(alert, String(idToken)).toBe(
        'Cổng đăng nhập trả về một mã không hợp lệ cho lần đăng nhập này. Hãy đăng nhập lại; nếu vẫn lỗi, báo quản trị viên.',
      );
      expect(api.callsTo('/me')).toHaveLength(0);
      expect(session()).toBeNull();
    }
    setLang('en');
    expect(text(screen.getByRole('alert'))).toBe(
      'The sign-in page returned a token that is not valid for this sign-in. Please sign in again; if it happens again, tell the administrator.',
    );
  });

  it('a token endpoint that answers with a server error page is said as such, without the library’s English', async () => {
    setup({ session: null });
    fakeApi({
      '/cognito.json': COGNITO,
      'POST /oauth2/token': new Response('<html>Service Unavailable</html>', {
        status: 503,
        headers: { 'Content-Type': 'text/html' },
      }),
    });
    const first = render(() => <SignIn />);
    const state = (await leaveForHostedUi()).searchParams.get('state');
    first.unmount();
    window.history.replaceState(null, '', `/?code=c&state=${state}`);
    render(() => <SignIn />);
    expect(text(await screen.findByRole('alert'))).toBe(
      'Cổng đăng nhập không hoàn tất đăng nhập (server). Hãy thử lại.',
    );
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

  it('says which refusal the hosted UI sent back (?error=access_denied)', async () => {
    setup({ session: null });
    const api = fakeApi({ '/cognito.json': COGNITO });
    const first = render(() => <SignIn />);
    const state = (await leaveForHostedUi()).searchParams.get('state');
    first.unmount();
    window.history.replaceState(null, '', `/?error=access_denied&state=${state}`);
    render(() => <SignIn />);
    expect(text(await screen.findByRole('alert'))).toBe(
      'Cổng đăng nhập không hoàn tất đăng nhập (access_denied). Hãy thử lại.',
    );
    expect(api.callsTo('/oauth2/token')).toHaveLength(0);
  });

  it('signs out through the hosted UI’s /logout as well', async () => {
    setup({ session: { token: 'id.token.jwt', role: 'leader', provider: 'cognito', access_token: 'a' } });
    fakeApi({
      '/cognito.json': COGNITO,
      '/health': { status: 'ok', mode: 'cloud', demo: false },
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

describe('A hosted sign-in lasts past the ID token’s hour (fake clock, Cognito’s token endpoint faked)', () => {
  const START = new Date('2026-12-07T08:00:00Z');
  const MINUTE = 60_000;

  /** Signed in through the hosted UI at START, the shell showing a page that asks the API every minute. */
  async function signedInShell({ shell = true, ...opts }: { refreshSeconds?: number; shell?: boolean } = {}) {
    vi.useFakeTimers({ now: START, toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    const cognito = fakeCognito({ clientId: COGNITO.clientId, issuer: ISSUER, ...opts });
    const tokens = cognito.signedIn();
    setup({ session: { ...tokens, token: tokens.id_token, role: 'leader', provider: 'cognito' } });
    /** The API accepts an ID token only before its `exp`, as API Gateway's JWT authorizer does. */
    const bearers: string[] = [];
    const guarded = (body: unknown) => (call: Call) => {
      const bearer = (call.headers.get('Authorization') ?? '').replace(/^Bearer /, '');
      bearers.push(bearer);
      const exp = bearer.includes('.') ? (claims(bearer).exp as number) : 0;
      if (Date.now() >= exp * 1000)
        return json({ error: { code: 'unauthorized', message_vi: 'x', message_en: 'x' } }, 401);
      return body;
    };
    const api = fakeApi({
      '/cognito.json': COGNITO,
      'POST /oauth2/token': cognito.endpoint,
      '/health': { status: 'ok', mode: 'cloud', demo: false, time: START.toISOString() },
      '/years': guarded({
        current_year: 2026,
        years: [2026],
        deadline: '2026-11-05T17:00:00.000Z',
        deadline_passed: true,
      }),
    });
    if (shell) render(() => <App {...({} as RouteSectionProps)}>{<p>page content</p>}</App>);
    await vi.advanceTimersByTimeAsync(0);
    bearers.length = 0;
    return { cognito, api, bearers, first: tokens };
  }

  const refreshes = (cognito: ReturnType<typeof fakeCognito>) =>
    cognito.grants.filter((g) => g.grant_type === 'refresh_token');

  it('renews the ID token five minutes before it expires, again and again: signed in after three hours', async () => {
    const { cognito, first } = await signedInShell();
    await vi.advanceTimersByTimeAsync(54 * MINUTE);
    expect(refreshes(cognito)).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1 * MINUTE + 1);
    expect(refreshes(cognito)).toEqual([
      { grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: COGNITO.clientId },
    ]);
    const renewed = session() as Session;
    expect(renewed.token).not.toBe(first.id_token);
    expect(claims(renewed.token).sub).toBe(claims(first.id_token).sub);
    expect(renewed.expires_at).toBe(
      START.getTime() + 55 * MINUTE + 1 + 60 * MINUTE - ((START.getTime() + 55 * MINUTE + 1) % 1000),
    );
    expect(renewed.refresh_token).toBe(first.refresh_token);
    expect(JSON.parse(sessionStorage.getItem('scorecard.session') ?? '{}').token).toBe(renewed.token);

    await vi.advanceTimersByTimeAsync(3 * 60 * MINUTE);
    expect(session()?.role).toBe('leader');
    expect(refreshes(cognito).length).toBe(4); // at 0:55, 1:50, 2:45, 3:40
    expect(Date.now() - START.getTime()).toBeGreaterThan(3 * 60 * MINUTE);
    expect((session()?.expires_at ?? 0) > Date.now()).toBe(true);
    expect(screen.queryByRole('button', { name: 'Đăng nhập' })).toBeNull();
    expect(screen.getByText('page content')).toBeTruthy();
  });

  it('an API answer 401 (the tab slept past the expiry) renews once and repeats the request with the new token', async () => {
    // No shell, so no renewal timer: only the API's 401 can start the renewal.
    const { cognito, bearers, first } = await signedInShell({ shell: false });
    vi.setSystemTime(new Date(START.getTime() + 70 * MINUTE));
    const { getJson } = await import('@scorecard/web/lib/api.ts');
    const years = await getJson<{ current_year: number }>('/years');
    expect(years.current_year).toBe(2026);
    expect(refreshes(cognito)).toHaveLength(1);
    expect(bearers).toEqual([first.id_token, session()?.token]);
    expect(session()?.token).not.toBe(first.id_token);
    expect((session()?.expires_at ?? 0) - Date.now()).toBe(60 * MINUTE);
  });

  it('a refresh token Cognito refuses (revoked, expired) signs out and the sign-in screen says why', async () => {
    const { cognito } = await signedInShell();
    cognito.revokeAll();
    await vi.advanceTimersByTimeAsync(RENEW_AHEAD_MS > 0 ? 56 * MINUTE : 0);
    expect(refreshes(cognito)).toHaveLength(1);
    expect(session()).toBeNull();
    expect(signedOutBecause()).toBe('expired');
    expect(sessionStorage.getItem('scorecard.session')).toBeNull();
    expect(text(await screen.findByRole('status'))).toBe('Phiên đăng nhập đã hết hạn. Hãy đăng nhập lại.');
  });

  it('the refresh token’s own end (30 days by default) is the end of the session', async () => {
    const { cognito } = await signedInShell({ refreshSeconds: 2 * 3600 });
    await vi.advanceTimersByTimeAsync(3 * 60 * MINUTE);
    expect(refreshes(cognito)).toHaveLength(3); // 0:55 and 1:50 succeed; 2:45 is past the refresh token's 2 h
    expect(session()).toBeNull();
    expect(signedOutBecause()).toBe('expired');
  });

  it('a network failure is retried every minute while the ID token is still good', async () => {
    const { cognito, first } = await signedInShell();
    cognito.failNext(2);
    await vi.advanceTimersByTimeAsync(55 * MINUTE + 1);
    expect(session()?.token).toBe(first.id_token); // still the first token, still signed in
    await vi.advanceTimersByTimeAsync(RETRY_MS);
    expect(session()?.token).toBe(first.id_token);
    await vi.advanceTimersByTimeAsync(RETRY_MS);
    expect(refreshes(cognito)).toHaveLength(1); // the two failures never reached the endpoint
    expect(session()?.token).not.toBe(first.id_token);
    expect(signedOutBecause()).toBeNull();
  });

  it('a pasted token has no refresh token and is never sent to Cognito', async () => {
    vi.useFakeTimers({ now: START, toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    setup({ session: { token: 'pasted-local-token', role: 'analyst' } });
    const api = fakeApi({
      '/cognito.json': COGNITO,
      '/health': { status: 'ok', mode: 'cloud', demo: false },
      '/years': { current_year: 2026, years: [2026], deadline_passed: true },
    });
    render(() => <App {...({} as RouteSectionProps)}>{<p>page content</p>}</App>);
    await vi.advanceTimersByTimeAsync(2 * 60 * MINUTE);
    expect(api.callsTo('/oauth2/token')).toHaveLength(0);
    expect(session()?.token).toBe('pasted-local-token');
  });
});
