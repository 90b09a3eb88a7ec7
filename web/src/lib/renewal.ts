// Keeping a hosted sign-in alive. Cognito's ID token (the bearer the API checks) lasts an hour; the refresh token
// lasts days. Five minutes before the ID token expires it is renewed with the refresh token, and an API answer
// 401 (a tab woken from sleep past the expiry) renews once and repeats the request. A refused refresh (expired,
// revoked, the user disabled) signs out with a notice; a network failure is retried every minute until the ID
// token has expired. Local tokens and pasted tokens have no refresh token and are left alone.
import { createEffect, onCleanup } from 'solid-js';
import { loadCognitoConfig, renewHostedTokens, SessionExpiredError } from './cognito.ts';
import { session, signIn, signOut } from './session.ts';

/** How long before the ID token expires it is renewed. */
export const RENEW_AHEAD_MS = 5 * 60 * 1000;
/** How soon a renewal that met a network failure is tried again. */
export const RETRY_MS = 60 * 1000;

let inFlight: Promise<boolean> | null = null;

/**
 * Renews the session's tokens now; every caller meanwhile shares the one request. True when the session holds
 * fresh tokens afterwards.
 */
export function renewSession(): Promise<boolean> {
  inFlight ??= (async () => {
    const s = session();
    if (s?.provider !== 'cognito' || !s.refresh_token) return false;
    const config = await loadCognitoConfig();
    if (!config) return false;
    try {
      const tokens = await renewHostedTokens(config, { id_token: s.token, refresh_token: s.refresh_token });
      if (session()?.token !== s.token) return false; // signed out (or in again) meanwhile: not ours to change
      const { expires_at: _old, ...rest } = s;
      signIn({
        ...rest,
        token: tokens.id_token,
        access_token: tokens.access_token,
        refresh_token: tokens.refresh_token ?? s.refresh_token,
        ...(tokens.expires_at ? { expires_at: tokens.expires_at } : {}),
      });
      return true;
    } catch (e) {
      if (e instanceof SessionExpiredError && session()?.token === s.token) signOut('expired');
      return false;
    }
  })().finally(() => {
    inFlight = null;
  });
  return inFlight;
}

/** Schedules the renewal of whichever session is current; called once by the shell (App.tsx). */
export function keepSessionAlive(): void {
  createEffect(() => {
    const s = session();
    const expiresAt = s?.expires_at;
    if (s?.provider !== 'cognito' || !s.refresh_token || expiresAt === undefined) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const schedule = (delay: number) => {
      timer = setTimeout(() => {
        void renewSession().then((renewed) => {
          // Renewed: the new session schedules its own renewal. Not renewed but still this session: the
          // network failed, so try again while the token is still good.
          if (!renewed && session() === s && Date.now() < expiresAt) schedule(RETRY_MS);
        });
      }, delay);
    };
    schedule(Math.max(0, expiresAt - RENEW_AHEAD_MS - Date.now()));
    onCleanup(() => clearTimeout(timer));
  });
}
