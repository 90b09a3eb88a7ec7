// Sign-in: the server's auth mode, the local demo sign-in, checking a pasted token, and the session after the
// Cognito hosted UI (lib/cognito.ts does the OAuth part).
import { getJson, post } from '../lib/api.ts';
import type { HostedTokens } from '../lib/cognito.ts';
import type { Role, Session } from '../lib/session.ts';
import type { AuthConfig, Me } from '../lib/types.ts';

export const fetchAuthConfig = () => getJson<AuthConfig>('/auth/config');

/** Exists only in local mode (docs/interfaces.md). */
export async function demoLogin(role: Role, commune_code?: string, code?: string): Promise<Session> {
  const { body } = await post<{ token: string; role: Role; commune_code?: string | null }>(
    '/auth/demo-login',
    {
      role,
      ...(commune_code ? { commune_code } : {}),
      ...(code ? { code } : {}),
    },
  );
  return { token: body.token, role: body.role, commune_code: body.commune_code ?? null };
}

/** A token from `npm run token`: `GET /me` both checks it and says which role it carries. */
export async function tokenSession(token: string): Promise<Session> {
  const me = await getJson<Me>('/me', {}, { token });
  return { token, role: me.role, commune_code: me.commune_code ?? null };
}

/** Back from the hosted UI with Cognito's tokens: `GET /me` with the ID token says the role, as for a pasted one. */
export async function hostedSession(tokens: HostedTokens): Promise<Session> {
  const s = await tokenSession(tokens.id_token);
  return {
    ...s,
    provider: 'cognito',
    access_token: tokens.access_token,
    ...(tokens.refresh_token ? { refresh_token: tokens.refresh_token } : {}),
    ...(tokens.expires_at ? { expires_at: tokens.expires_at } : {}),
  };
}
