// A stand-in for Cognito's token endpoint (it cannot run here), modelling the rules the dashboard depends on
// (https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html):
// - grant_type=authorization_code: the code is single-use and bound to the client, the redirect_uri and the PKCE
//   challenge sent to /oauth2/authorize (RFC 7636: the verifier's S256 must equal it); the ID token carries the
//   nonce sent there.
// - grant_type=refresh_token: a public client sends client_id and refresh_token; the answer holds new ID and
//   access tokens and no new refresh token; a revoked or expired refresh token is invalid_grant (400).
// - ID tokens last an hour (`exp`), keep the first sign-in's `auth_time`, and name the pool as `iss`.
// Tokens are unsigned JWTs: the dashboard never checks signatures (the API does, against the pool's keys).
import { createHash } from 'node:crypto';
import type { Call } from './helpers.tsx';
import { json } from './helpers.tsx';

export interface FakeCognitoOptions {
  clientId: string;
  issuer: string;
  sub?: string;
  /** Seconds an ID token lasts (Cognito's default: an hour). */
  idTokenSeconds?: number;
  /** Seconds the refresh token lasts from the sign-in. */
  refreshSeconds?: number;
}

export const jwt = (payload: Record<string, unknown>) =>
  [{ alg: 'RS256', kid: 'test-key' }, payload]
    .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
    .concat('signature')
    .join('.');

export const claims = (token: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));

export function fakeCognito(opts: FakeCognitoOptions) {
  const sub = opts.sub ?? 'user-1';
  const idSeconds = opts.idTokenSeconds ?? 3600;
  const codes = new Map<string, { challenge: string; redirectUri: string; nonce: string | null }>();
  const refreshTokens = new Map<string, { authTime: number; expiresAt: number; revoked: boolean }>();
  let issued = 0;
  const grants: Array<Record<string, string>> = [];
  /** Network down: the next requests fail before reaching Cognito. */
  let failures = 0;

  const now = () => Math.floor(Date.now() / 1000);
  const idToken = (authTime: number, nonce: string | null) =>
    jwt({
      sub,
      iss: opts.issuer,
      aud: opts.clientId,
      token_use: 'id',
      auth_time: authTime,
      iat: now(),
      exp: now() + idSeconds,
      ...(nonce ? { nonce } : {}),
      n: ++issued,
    });
  const invalid = (error: string) => json({ error }, 400);

  return {
    grants,
    /** What the hosted UI does after the user signs in: a code bound to the authorize request's parameters. */
    authorize(authorizeUrl: URL, code = `code-${codes.size + 1}`): string {
      const q = authorizeUrl.searchParams;
      codes.set(code, {
        challenge: q.get('code_challenge') ?? '',
        redirectUri: q.get('redirect_uri') ?? '',
        nonce: q.get('nonce'),
      });
      return code;
    },
    revokeAll(): void {
      for (const r of refreshTokens.values()) r.revoked = true;
    },
    failNext(count: number): void {
      failures = count;
    },
    /** The dashboard's session after a sign-in at `authTime`, as the hosted flow leaves it. */
    signedIn(authTime = now()) {
      const refresh = `refresh-${refreshTokens.size + 1}`;
      refreshTokens.set(refresh, {
        authTime,
        expiresAt: authTime + (opts.refreshSeconds ?? 30 * 86400),
        revoked: false,
      });
      const id = idToken(authTime, null);
      return {
        id_token: id,
        access_token: `access-${issued}`,
        refresh_token: refresh,
        expires_at: (claims(id).exp as number) * 1000,
      };
    },
    /** The route `POST /oauth2/token` for fakeApi. */
    endpoint: (call: Call): Response => {
      if (failures > 0) {
        failures--;
        throw new TypeError('Failed to fetch');
      }
      if (call.headers.get('Content-Type') !== 'application/x-www-form-urlencoded')
        return invalid('invalid_request');
      const p = Object.fromEntries(new URLSearchParams(String(call.body)));
      grants.push(p);
      if (p.client_id !== opts.clientId) return invalid('invalid_client');
      if (p.grant_type === 'authorization_code') {
        const pending = codes.get(p.code ?? '');
        codes.delete(p.code ?? '');
        if (!pending || pending.redirectUri !== p.redirect_uri) return invalid('invalid_grant');
        const s256 = createHash('sha256')
          .update(p.code_verifier ?? '')
          .digest('base64url');
        if (s256 !== pending.challenge) return invalid('invalid_grant');
        const refresh = `refresh-${refreshTokens.size + 1}`;
        refreshTokens.set(refresh, {
          authTime: now(),
          expiresAt: now() + (opts.refreshSeconds ?? 30 * 86400),
          revoked: false,
        });
        return json({
          id_token: idToken(now(), pending.nonce),
          access_token: `access-${issued}`,
          refresh_token: refresh,
          expires_in: idSeconds,
          token_type: 'Bearer',
        });
      }
      if (p.grant_type === 'refresh_token') {
        const r = refreshTokens.get(p.refresh_token ?? '');
        if (!r || r.revoked || now() >= r.expiresAt) return invalid('invalid_grant');
        return json({
          id_token: idToken(r.authTime, null),
          access_token: `access-${issued}`,
          expires_in: idSeconds,
          token_type: 'Bearer',
        });
      }
      return invalid('unsupported_grant_type');
    },
  };
}
