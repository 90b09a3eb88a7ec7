// Sign-in on AWS: the web stack deploys `cognito.json` next to the dashboard (infra/lib/web-stack.ts) with the
// user pool's settings; the dashboard then signs in through the Cognito hosted UI — OAuth 2.0 authorization code
// with PKCE (RFC 7636, S256), a `state` and a `nonce` checked on return, the code exchanged at `/oauth2/token`, all
// by oidc-client-ts — renews the ID token with the refresh token before it expires (lib/renewal.ts), and signs out
// through `/logout` (Cognito's own, not OIDC's end-session endpoint). Locally there is no such file: the local server (and `vite web`) answer with the
// dashboard's index.html instead, and a 404 or anything that is not JSON means "local mode": the sign-in
// screen stays as it is (demo users, a pasted token).

/** What `cognito.json` may say. The stack writes region, userPoolId and clientId; the rest is optional. */
export interface CognitoConfig {
  region?: string;
  userPoolId?: string;
  clientId: string;
  /**
   * The hosted UI: `https://<prefix>.auth.<region>.amazoncognito.com`, a custom domain, or just the prefix (with
   * `region`). Without it there is no hosted sign-in and only a pasted token works.
   */
  domain?: string;
  /** Where the API lives, when not on this origin under /api/v1: a base URL, with or without /api/v1. */
  apiBaseUrl?: string;
  /** The callback registered on the app client; default: this page's address without query or hash. */
  redirectUri?: string;
  /** Where `/logout` sends the browser back to (the app client's sign-out URL); default: redirectUri. */
  logoutUri?: string;
  scopes?: string[];
}

export const DEFAULT_API_BASE = '/api/v1';
const CONFIG_PATH = 'cognito.json';
/** The pending hosted sign-ins of this tab: `scorecard.oauth.<state>` in sessionStorage. */
const PENDING_PREFIX = 'scorecard.oauth.';
/** A hosted sign-in left unfinished longer than this is not completed on return. */
const PENDING_MAX_AGE_S = 15 * 60;

/**
 * state_mismatch: the callback is not one this tab sent; refused: Cognito said no (detail: its OAuth error code);
 * invalid_token: Cognito's answer failed a check (no ID token, a nonce or subject that does not match) — never
 * shown with the library's English text; unavailable: no hosted UI is configured.
 */
export type HostedSignInProblem = 'state_mismatch' | 'refused' | 'invalid_token' | 'unavailable';

/** A hosted sign-in that did not finish: `detail` is the OAuth error code when Cognito gave one. */
export class HostedSignInError extends Error {
  constructor(
    readonly problem: HostedSignInProblem,
    readonly detail: string | null = null,
  ) {
    super(detail ? `${problem}: ${detail}` : problem);
    this.name = 'HostedSignInError';
  }
}

/** The browser's navigation, replaceable in tests (jsdom cannot leave the page). */
export const browser = {
  assign(url: string): void {
    window.location.assign(url);
  },
};

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The file's JSON → a config, or null when it is not one (no clientId). */
function parseCognitoConfig(body: unknown): CognitoConfig | null {
  if (typeof body !== 'object' || body === null) return null;
  const b = body as Record<string, unknown>;
  const clientId = text(b.clientId);
  if (!clientId) return null;
  const scopes = Array.isArray(b.scopes) ? b.scopes.filter((s): s is string => typeof s === 'string') : [];
  const config: CognitoConfig = { clientId };
  const optional = {
    region: text(b.region),
    userPoolId: text(b.userPoolId),
    domain: text(b.domain),
    apiBaseUrl: text(b.apiBaseUrl) ?? text(b.apiUrl),
    redirectUri: text(b.redirectUri),
    logoutUri: text(b.logoutUri),
  };
  for (const [k, v] of Object.entries(optional)) if (v) Object.assign(config, { [k]: v });
  if (scopes.length > 0) config.scopes = scopes;
  return config;
}

let loading: Promise<CognitoConfig | null> | null = null;

/**
 * `cognito.json`, fetched once per page load (every caller shares the answer). Never fails: no file, an HTML
 * fallback page, unreadable JSON or a network error all mean local mode (null).
 */
export function loadCognitoConfig(): Promise<CognitoConfig | null> {
  loading ??= (async () => {
    try {
      const res = await fetch(CONFIG_PATH);
      if (!res.ok || !(res.headers.get('Content-Type') ?? '').includes('json')) return null;
      return parseCognitoConfig(await res.json());
    } catch {
      return null;
    }
  })();
  return loading;
}

/** Tests load a different file per test. */
export function forgetCognitoConfig(): void {
  loading = null;
}

/** The API's base URL: the file's, completed with /api/v1 (the stack's routes), else this origin's. */
export function apiBaseFor(config: CognitoConfig | null): string {
  const base = config?.apiBaseUrl?.replace(/\/+$/, '');
  if (!base) return DEFAULT_API_BASE;
  return base.endsWith('/api/v1') ? base : `${base}/api/v1`;
}

/** The hosted UI's origin, or null when the file names none. */
export function hostedUiBase(config: CognitoConfig | null): string | null {
  const domain = config?.domain?.replace(/\/+$/, '');
  if (!domain) return null;
  if (/^https:\/\//i.test(domain)) return domain;
  if (/^http:\/\//i.test(domain)) return null; // tokens never travel in the clear
  // A bare prefix: Cognito's own domain in the pool's region.
  if (!domain.includes('.')) {
    return config?.region ? `https://${domain}.auth.${config.region}.amazoncognito.com` : null;
  }
  return `https://${domain}`;
}

function redirectUriFor(config: CognitoConfig): string {
  return config.redirectUri ?? `${window.location.origin}${window.location.pathname}`;
}

/** The pool's issuer (what Cognito writes as `iss`), or the hosted UI's origin when the file names no pool. */
function issuerFor(config: CognitoConfig, base: string): string {
  return config.region && config.userPoolId
    ? `https://cognito-idp.${config.region}.amazonaws.com/${config.userPoolId}`
    : base;
}

/**
 * The OAuth client (oidc-client-ts), loaded only on AWS: the local dashboard never downloads it. Cognito's
 * endpoints are given, not discovered — the discovery document lives on another host (the pool's issuer), which
 * the dashboard's CSP does not let it fetch. The pending sign-in (state, PKCE verifier, nonce) is kept in this tab
 * only, and one left longer than 15 minutes is dropped.
 */
async function oauthClient(config: CognitoConfig) {
  const base = hostedUiBase(config);
  if (!base) throw new HostedSignInError('unavailable');
  const { OidcClient, WebStorageStateStore } = await import('oidc-client-ts');
  const issuer = issuerFor(config, base);
  return new OidcClient({
    authority: issuer,
    client_id: config.clientId,
    redirect_uri: redirectUriFor(config),
    response_type: 'code',
    scope: (config.scopes ?? ['openid', 'email']).join(' '),
    metadata: {
      issuer,
      authorization_endpoint: `${base}/oauth2/authorize`,
      token_endpoint: `${base}/oauth2/token`,
      revocation_endpoint: `${base}/oauth2/revoke`,
    },
    loadUserInfo: false,
    stateStore: new WebStorageStateStore({ store: sessionStorage, prefix: PENDING_PREFIX }),
    staleStateAgeInSeconds: PENDING_MAX_AGE_S,
  });
}

function randomToken(byteCount: number): string {
  let s = '';
  for (const b of crypto.getRandomValues(new Uint8Array(byteCount))) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A callback ends every sign-in this tab had pending, answered or not: none can be completed twice. */
function forgetPendingSignIns(): void {
  for (let i = sessionStorage.length - 1; i >= 0; i--) {
    const key = sessionStorage.key(i);
    if (key?.startsWith(PENDING_PREFIX)) sessionStorage.removeItem(key);
  }
}

/** Leaves for the hosted UI: authorization code with PKCE (S256), a state and a nonce, remembered in this tab. */
export async function beginHostedSignIn(config: CognitoConfig): Promise<void> {
  const client = await oauthClient(config);
  const request = await client.createSigninRequest({
    state: { hash: window.location.hash },
    nonce: randomToken(16),
  });
  browser.assign(request.url);
}

/** The address is a return from the hosted UI (`?code=…&state=…` or `?error=…&state=…`). */
export function callbackParams(): URLSearchParams | null {
  const params = new URLSearchParams(window.location.search);
  return params.has('code') || params.has('error') ? params : null;
}

export interface HostedTokens {
  id_token: string;
  access_token: string;
  /** Cognito's refresh token: renews the ID token before it expires (an hour), until the refresh token does. */
  refresh_token?: string;
  /** When the ID token stops being accepted (epoch milliseconds). */
  expires_at?: number;
}

/**
 * oidc-client-ts refused Cognito's tokens (its ResponseValidator and JWT decoder: a missing or unreadable ID
 * token, a nonce, subject, auth_time or azp that does not match) — as opposed to a network or server failure.
 */
function failedTokenCheck(e: unknown): boolean {
  return e instanceof Error && /id_token|ID Token|Invalid token|nonce|subject/i.test(e.message);
}

/** An OAuth error answer (oidc-client-ts's ErrorResponse): the code Cognito gave, e.g. invalid_grant. */
function oauthErrorCode(e: unknown): string | null {
  if (typeof e === 'object' && e !== null && 'error' in e && typeof e.error === 'string') return e.error;
  return null;
}

function tokensFrom(response: {
  id_token?: string;
  access_token: string;
  refresh_token?: string;
  expires_at?: number;
  profile?: { exp?: number };
}): HostedTokens {
  if (!response.id_token) throw new HostedSignInError('invalid_token');
  // The API checks the ID token, so its own `exp` decides; the access token's lifetime bounds it otherwise.
  const seconds = [response.profile?.exp, response.expires_at].filter(
    (n): n is number => typeof n === 'number',
  );
  const tokens: HostedTokens = { id_token: response.id_token, access_token: response.access_token };
  if (response.refresh_token) tokens.refresh_token = response.refresh_token;
  if (seconds.length > 0) tokens.expires_at = Math.min(...seconds) * 1000;
  return tokens;
}

/**
 * Finishes a return from the hosted UI: the state must be one this tab sent (else the answer is not ours — a
 * forged or replayed callback — and nothing is exchanged), then the code and verifier are exchanged for tokens
 * and the ID token's nonce checked. The pending sign-in is used once whatever happens, and the code and state
 * leave the address bar.
 */
export async function completeHostedSignIn(
  config: CognitoConfig,
  params: URLSearchParams,
): Promise<{ tokens: HostedTokens; hash: string }> {
  const url = new URL(window.location.href);
  for (const k of ['code', 'state', 'error', 'error_description']) url.searchParams.delete(k);
  window.history.replaceState(window.history.state, '', url.toString());

  const client = await oauthClient(config);
  await client.clearStaleState();
  const state = params.get('state');
  const known = state ? sessionStorage.getItem(`${PENDING_PREFIX}${state}`) !== null : false;
  let response: Awaited<ReturnType<typeof client.processSigninResponse>>;
  try {
    if (!known) throw new HostedSignInError('state_mismatch');
    response = await client.processSigninResponse(`${redirectUriFor(config)}?${params}`);
  } catch (e) {
    if (e instanceof HostedSignInError) throw e;
    const code = oauthErrorCode(e);
    if (code) throw new HostedSignInError('refused', code);
    if (e instanceof TypeError) throw new HostedSignInError('refused', 'network');
    if (failedTokenCheck(e)) throw new HostedSignInError('invalid_token');
    // Not an OAuth answer at all (a 5xx page, a proxy): say so without the library's words.
    throw new HostedSignInError('refused', 'server');
  } finally {
    forgetPendingSignIns();
  }
  const data = response.userState as { hash?: unknown } | undefined;
  return { tokens: tokensFrom(response), hash: typeof data?.hash === 'string' ? data.hash : '' };
}

/** The refresh token was refused (expired, revoked, the user disabled): the user must sign in again. */
export class SessionExpiredError extends Error {
  constructor(readonly detail: string) {
    super(detail);
    this.name = 'SessionExpiredError';
  }
}

/**
 * New ID and access tokens for the refresh token (Cognito's /oauth2/token, grant refresh_token). The new ID token
 * must name the same person (sub, auth_time) as the old one. A refusal is a SessionExpiredError; a network
 * failure or a server error is thrown as it is (worth a retry).
 */
export async function renewHostedTokens(
  config: CognitoConfig,
  current: { id_token: string; refresh_token: string },
): Promise<HostedTokens> {
  const client = await oauthClient(config);
  try {
    const response = await client.useRefreshToken({
      state: {
        refresh_token: current.refresh_token,
        id_token: current.id_token,
        session_state: null,
        profile: { sub: '', iss: '', aud: '', exp: 0, iat: 0 },
      },
    });
    // Cognito answers a refresh without a new refresh token: the one held stays valid.
    return tokensFrom({ ...response, refresh_token: response.refresh_token ?? current.refresh_token });
  } catch (e) {
    const code = oauthErrorCode(e);
    if (code) throw new SessionExpiredError(code);
    // The new ID token names someone else, or is not a token at all: never kept.
    if (e instanceof Error && /id_token|ID Token|Invalid token/.test(e.message))
      throw new SessionExpiredError(e.message);
    // No answer, or one that is not an OAuth answer (a 5xx page, a proxy): worth another try.
    throw e;
  }
}

/** Ends the hosted UI's own session too (else the next "Đăng nhập" signs straight back in). */
export async function hostedSignOut(): Promise<void> {
  const config = await loadCognitoConfig();
  const base = hostedUiBase(config);
  if (!config || !base) return;
  const params = new URLSearchParams({
    client_id: config.clientId,
    logout_uri: config.logoutUri ?? redirectUriFor(config),
  });
  browser.assign(`${base}/logout?${params}`);
}
