// Who may do what — the role × route table of docs/interfaces.md, in one place. It drives the authorization
// middleware and the table-driven authorization test; nothing else restates it.
import type { Role } from '@scorecard/data-contracts';

export { ROLES, type Role } from '@scorecard/data-contracts';

/**
 * all: every row · own: a commune officer, own commune only (naming another → 403) · deny: 403.
 * `communeParam` names where the route takes a commune (query parameter), for the own/other check.
 */
export type Grant = 'all' | 'own' | 'deny';

export interface RouteAccess {
  method: 'GET' | 'POST';
  path: string;
  public?: boolean;
  grants?: Record<Role, Grant>;
  communeParam?: string;
  /**
   * Grants that apply instead of `grants` when the request names a commune in `communeParam` (the pre-filled
   * template carries a roster: the commune itself and admin only).
   */
  communeParamGrants?: Record<Role, Grant>;
  /** Local mode only (demo sign-in). */
  localOnly?: boolean;
}

const all: Record<Role, Grant> = { leader: 'all', analyst: 'all', commune: 'own', admin: 'all' };
const yesAll: Record<Role, Grant> = { leader: 'all', analyst: 'all', commune: 'all', admin: 'all' };

export const ACCESS: readonly RouteAccess[] = [
  { method: 'GET', path: '/health', public: true },
  { method: 'GET', path: '/openapi.json', public: true },
  { method: 'GET', path: '/auth/config', public: true },
  { method: 'POST', path: '/auth/demo-login', public: true, localOnly: true },
  { method: 'GET', path: '/me', grants: yesAll },
  { method: 'GET', path: '/years', grants: yesAll },
  { method: 'GET', path: '/communes', grants: yesAll },
  {
    method: 'POST',
    path: '/submissions',
    grants: { leader: 'deny', analyst: 'deny', commune: 'own', admin: 'all' },
  },
  { method: 'GET', path: '/submissions', grants: all, communeParam: 'commune' },
  {
    method: 'POST',
    path: '/submissions/:id/void',
    grants: { leader: 'deny', analyst: 'deny', commune: 'deny', admin: 'all' },
  },
  { method: 'GET', path: '/kpis', grants: yesAll },
  { method: 'GET', path: '/kpis/communes', grants: all, communeParam: 'commune' },
  { method: 'GET', path: '/warnings', grants: all, communeParam: 'commune' },
  {
    method: 'GET',
    path: '/cadre-gaps',
    grants: { leader: 'all', analyst: 'deny', commune: 'own', admin: 'all' },
    communeParam: 'commune',
  },
  { method: 'GET', path: '/rankings', grants: all, communeParam: 'commune' },
  { method: 'GET', path: '/data-quality', grants: all, communeParam: 'commune' },
  { method: 'GET', path: '/data-quality/findings', grants: all, communeParam: 'commune' },
  {
    method: 'GET',
    path: '/template.xlsx',
    grants: { leader: 'all', analyst: 'all', commune: 'own', admin: 'all' },
    communeParam: 'prefill',
    communeParamGrants: { leader: 'deny', analyst: 'deny', commune: 'own', admin: 'all' },
  },
  {
    method: 'POST',
    path: '/exports',
    grants: { leader: 'all', analyst: 'deny', commune: 'deny', admin: 'all' },
  },
  {
    method: 'GET',
    path: '/exports',
    grants: { leader: 'all', analyst: 'all', commune: 'deny', admin: 'all' },
  },
  {
    method: 'GET',
    path: '/exports/:id',
    grants: { leader: 'all', analyst: 'all', commune: 'deny', admin: 'all' },
  },
  {
    method: 'GET',
    path: '/exports/:id/:file',
    grants: { leader: 'all', analyst: 'all', commune: 'deny', admin: 'all' },
  },
  { method: 'POST', path: '/sql', grants: { leader: 'deny', analyst: 'all', commune: 'deny', admin: 'all' } },
  {
    method: 'GET',
    path: '/audit',
    grants: { leader: 'deny', analyst: 'deny', commune: 'deny', admin: 'all' },
  },
];

function matches(pattern: string, path: string): boolean {
  const p = pattern.split('/');
  const a = path.split('/');
  return p.length === a.length && p.every((seg, i) => seg.startsWith(':') || seg === a[i]);
}

/** The grant of a role for a request: `communeParamGrants` when the request names a commune, else `grants`. */
export function grantFor(rule: RouteAccess, role: Role, namesCommune: boolean): Grant {
  const grants = namesCommune && rule.communeParamGrants ? rule.communeParamGrants : rule.grants;
  return grants?.[role] ?? 'deny';
}

/** The rule for a request (path relative to /api/v1); exact routes win over parameterised ones. */
export function accessFor(method: string, path: string): RouteAccess | undefined {
  const candidates = ACCESS.filter((r) => r.method === method && matches(r.path, path));
  return candidates.sort((x, y) => x.path.split(':').length - y.path.split(':').length)[0];
}
