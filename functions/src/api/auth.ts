// Bearer-JWT authentication. Local mode signs HS256 tokens with a key kept outside the data folder
// (TOKEN_KEY_FILE, default beside the person key in the user's config directory); the cloud verifies Cognito
// JWTs against the user pool's JWKS. Same middleware, different key source.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRemoteJWKSet, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import type { Actor } from '../ingest/audit.ts';
import type { Clock } from '../ports/clock.ts';
import { ROLES, type Role } from './access.ts';

export interface TokenVerifier {
  mode: 'local' | 'cognito';
  verify(token: string): Promise<Actor | null>;
}

export function defaultTokenKeyFile(personKeyFile: string): string {
  return join(dirname(personKeyFile), 'token-key');
}

export function loadTokenKey(file: string): Uint8Array {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  }
  chmodSync(file, 0o600);
  return new Uint8Array(Buffer.from(readFileSync(file, 'utf8').trim(), 'hex'));
}

/** The `iss` of local tokens. */
export const LOCAL_ISSUER = 'commune-scorecard-local';
const ISSUER = LOCAL_ISSUER;
/** Clock skew allowed between the issuer and this server. */
const SKEW_S = 60;

/** A token "issued" after now (beyond the skew) was not issued by a clock we trust: refused. */
function issuedInFuture(p: JWTPayload, now: Date): boolean {
  return typeof p.iat !== 'number' || p.iat > Math.floor(now.getTime() / 1000) + SKEW_S;
}

function actorFromClaims(p: JWTPayload): Actor | null {
  const groups = (p['cognito:groups'] as string[] | undefined) ?? [];
  const role = (p.role as string | undefined) ?? groups.find((g) => (ROLES as readonly string[]).includes(g));
  if (!role || !(ROLES as readonly string[]).includes(role) || typeof p.sub !== 'string') return null;
  const commune = (p.commune_code as string | undefined) ?? (p['custom:commune_code'] as string | undefined);
  if (role === 'commune' && !(typeof commune === 'string' && /^[0-9]{5}$/.test(commune))) return null;
  return {
    sub: p.sub,
    role: role as Role,
    ...(role === 'commune' ? { commune_code: commune as string } : {}),
  };
}

export function localTokens(key: Uint8Array, clock: Clock) {
  const verifier: TokenVerifier = {
    mode: 'local',
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, {
          issuer: ISSUER,
          algorithms: ['HS256'],
          currentDate: clock.now(),
        });
        if (issuedInFuture(payload, clock.now())) return null;
        return actorFromClaims(payload);
      } catch {
        return null;
      }
    },
  };
  async function sign(role: Role, commune?: string, ttlSeconds = 12 * 3600): Promise<string> {
    const now = Math.floor(clock.now().getTime() / 1000);
    const sub = role === 'commune' ? `local-commune-${commune}` : `local-${role}`;
    return new SignJWT({ role, ...(role === 'commune' ? { commune_code: commune } : {}) })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(sub)
      .setIssuer(ISSUER)
      .setIssuedAt(now)
      .setExpirationTime(now + ttlSeconds)
      .sign(key);
  }
  return { verifier, sign };
}

/** Cognito: ID tokens of the user pool, groups as roles, `custom:commune_code` for commune officers. */
export function cognitoVerifier(opts: {
  region: string;
  userPoolId: string;
  clientId: string;
  clock?: Clock;
  /**
   * Where the pool's public keys are fetched (default: the issuer's /.well-known/jwks.json). Tokens must still
   * name the pool as issuer and the client as audience; only the key source moves (the bundle tests serve them).
   */
  jwksUrl?: string;
}): TokenVerifier {
  const issuer = `https://cognito-idp.${opts.region}.amazonaws.com/${opts.userPoolId}`;
  const jwks = createRemoteJWKSet(new URL(opts.jwksUrl ?? `${issuer}/.well-known/jwks.json`));
  return {
    mode: 'cognito',
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, jwks, {
          issuer,
          audience: opts.clientId,
          ...(opts.clock ? { currentDate: opts.clock.now() } : {}),
        });
        if (issuedInFuture(payload, opts.clock?.now() ?? new Date())) return null;
        return actorFromClaims(payload);
      } catch {
        return null;
      }
    },
  };
}
