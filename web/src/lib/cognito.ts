// Sign-in on AWS: the web stack deploys `cognito.json` next to the dashboard (infra/lib/web-stack.ts) with the
// user pool's settings; the dashboard then signs in through the Cognito hosted UI — OAuth 2.0 authorization code
// with PKCE (RFC 7636, S256), a `state` checked on return, the code exchanged at `/oauth2/token` — and signs out
// through `/logout`. Locally there is no such file: the local server (and `vite web`) answer with the
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
const PENDING_KEY = 'scorecard.oauth';
/** A hosted sign-in left unfinished longer than this is not completed on return. */
const PENDING_MAX_AGE_MS = 15 * 60 * 1000;

export type HostedSignInProblem = 'state_mismatch' | 'refused' | 'unavailable';

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
export function parseCognitoConfig(body: unknown): CognitoConfig | null {
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

function base64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomToken(byteCount: number): string {
  return base64url(crypto.getRandomValues(new Uint8Array(byteCount)));
}

/** The S256 code challenge: BASE64URL(SHA-256(verifier)) (RFC 7636 §4.2). */
export async function codeChallenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

/** What this tab remembers between leaving for the hosted UI and coming back. */
interface PendingSignIn {
  state: string;
  verifier: string;
  redirectUri: string;
  /** The dashboard page (#/…) to return to. */
  hash: string;
  startedAt: number;
}

function readPending(): PendingSignIn | null {
  try {
    const raw = sessionStorage.getItem(PENDING_KEY);
    return raw ? (JSON.parse(raw) as PendingSignIn) : null;
  } catch {
    return null;
  }
}

/** Leaves for the hosted UI: a fresh state and PKCE verifier are kept in this tab only (sessionStorage). */
export async function beginHostedSignIn(config: CognitoConfig): Promise<void> {
  const base = hostedUiBase(config);
  if (!base) throw new HostedSignInError('unavailable');
  const pending: PendingSignIn = {
    state: randomToken(16),
    verifier: randomToken(32), // 43 characters, the minimum RFC 7636 allows
    redirectUri: redirectUriFor(config),
    hash: window.location.hash,
    startedAt: Date.now(),
  };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: pending.redirectUri,
    scope: (config.scopes ?? ['openid', 'email']).join(' '),
    state: pending.state,
    code_challenge: await codeChallenge(pending.verifier),
    code_challenge_method: 'S256',
  });
  browser.assign(`${base}/oauth2/authorize?${params}`);
}

/** The address is a return from the hosted UI (`?code=…&state=…` or `?error=…&state=…`). */
export function callbackParams(): URLSearchParams | null {
  const params = new URLSearchParams(window.location.search);
  return params.has('code') || params.has('error') ? params : null;
}

export interface HostedTokens {
  id_token: string;
  access_token: string;
}

/**
 * Finishes a return from the hosted UI: the state must be the one this tab sent (else the answer is not ours —
 * a forged or replayed callback — and nothing is exchanged), then the code and verifier are exchanged for
 * tokens. The pending sign-in is used once whatever happens, and the code and state leave the address bar.
 */
export async function completeHostedSignIn(
  config: CognitoConfig,
  params: URLSearchParams,
): Promise<{ tokens: HostedTokens; hash: string }> {
  const pending = readPending();
  sessionStorage.removeItem(PENDING_KEY);
  const url = new URL(window.location.href);
  for (const k of ['code', 'state', 'error', 'error_description']) url.searchParams.delete(k);
  window.history.replaceState(window.history.state, '', url.toString());

  const state = params.get('state');
  if (!pending || !state || state !== pending.state || Date.now() - pending.startedAt > PENDING_MAX_AGE_MS) {
    throw new HostedSignInError('state_mismatch');
  }
  const error = params.get('error');
  if (error) throw new HostedSignInError('refused', error);
  const base = hostedUiBase(config);
  const code = params.get('code');
  if (!base || !code) throw new HostedSignInError('unavailable');

  let res: Response;
  try {
    res = await fetch(`${base}/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: config.clientId,
        code,
        redirect_uri: pending.redirectUri,
        code_verifier: pending.verifier,
      }).toString(),
    });
  } catch {
    throw new HostedSignInError('refused', 'network');
  }
  const body = (await res.json().catch(() => null)) as Partial<HostedTokens> & { error?: string };
  if (!res.ok || typeof body?.id_token !== 'string' || typeof body.access_token !== 'string') {
    throw new HostedSignInError('refused', body?.error ?? `HTTP ${res.status}`);
  }
  return { tokens: { id_token: body.id_token, access_token: body.access_token }, hash: pending.hash };
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
