// Who is signed in: the bearer token and the role it carries. Kept for the browser tab (sessionStorage), so a
// closed tab signs out.
import { ROLES, type Role } from '@scorecard/data-contracts/roles.ts';
import { createSignal } from 'solid-js';

export { ROLES, type Role };

export interface Session {
  /** The bearer token: a local token, or the Cognito ID token (the API checks its audience). */
  token: string;
  role: Role;
  commune_code?: string | null;
  /** Signed in through the Cognito hosted UI: signing out also ends that session (cognito.ts). */
  provider?: 'cognito';
  access_token?: string;
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

export { session };

export function signIn(s: Session): void {
  setSessionSignal(s);
  try {
    globalThis.sessionStorage?.setItem(STORAGE_KEY, JSON.stringify(s));
  } catch {
    // Storage unavailable: the session lasts until reload.
  }
}

export function signOut(): void {
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
