// Who is signed in: the bearer token and the role it carries. Kept for the browser tab (sessionStorage), so a
// closed tab signs out.
import { ROLES, type Role } from '@scorecard/data-contracts';
import { createSignal } from 'solid-js';

export type { Role };

export interface Session {
  /** The bearer token: a local token, or the Cognito ID token (the API checks its audience). */
  token: string;
  role: Role;
  commune_code?: string | null;
  /** Signed in through the Cognito hosted UI: signing out also ends that session (cognito.ts). */
  provider?: 'cognito';
  access_token?: string;
  /** Cognito's refresh token: the ID token is renewed with it before `expires_at` (lib/renewal.ts). */
  refresh_token?: string;
  /** When `token` stops being accepted (epoch milliseconds), when known. */
  expires_at?: number;
}

const STORAGE_KEY = 'scorecard.session';

function load(): Session | null {
  try {
    const raw = globalThis.sessionStorage?.getItem(STORAGE_KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    return typeof s.token === 'string' && ROLES.includes(s.role) ? s : null;
  } catch {
    return null;
  }
}

const [session, setSessionSignal] = createSignal<Session | null>(load());
/** Why the last sign-out happened when the user did not ask for it: the sign-in screen says so. */
const [signedOutBecause, setSignedOutBecause] = createSignal<'expired' | null>(null);

export { session, signedOutBecause };

export function signIn(s: Session): void {
  setSignedOutBecause(null);
  setSessionSignal(s);
  try {
    globalThis.sessionStorage?.setItem(STORAGE_KEY, JSON.stringify(s));
  } catch {
    // Storage unavailable: the session lasts until reload.
  }
}

/** Signs out; `expired` when the session could not be renewed (not the user's choice). */
export function signOut(reason: 'expired' | null = null): void {
  setSignedOutBecause(reason);
  setSessionSignal(null);
  try {
    globalThis.sessionStorage?.removeItem(STORAGE_KEY);
  } catch {
    // nothing stored
  }
}

export const role = () => session()?.role ?? null;
export const ownCommune = () => session()?.commune_code ?? null;
/** Cadre-level warnings identify people: never for analysts (docs/interfaces.md, `/cadre-gaps`). */
export const canSeeCadreGaps = () => role() === 'leader' || role() === 'commune' || role() === 'admin';
export const canSubmit = () => role() === 'commune' || role() === 'admin';
