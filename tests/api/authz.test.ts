// Table-driven authorization test, generated from the one role × route table (functions/src/api/access.ts):
// every route × role × own/other commune → the expected status, over a real HTTP server on loopback.

import { ACCESS, grantFor, ROLES, type Role, type RouteAccess } from '@scorecard/functions/api/access.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validSubmission } from '../helpers/fixtures.ts';
import { OTHER, OWN, type TestServer, testServer } from '../helpers/server.ts';

let s: TestServer;
let exportId = '';
let dryRunCounter = 0;

beforeAll(async () => {
  s = await testServer();
  for (const code of [OWN, OTHER]) {
    await s.ingest.ingest(validSubmission({ commune_code: code }), { actor: { sub: 'seed', role: 'admin' } });
  }
  await s.marts.refreshNow();
  const r = await s.call('/api/v1/exports', {
    method: 'POST',
    token: s.tokens.admin,
    json: { year: 2026, meeting: 'annual' },
  });
  exportId = ((await r.json()) as { export_id: string }).export_id;
  // The pack is written in the background: wait until it is done, so its files exist for the download routes.
  const deadline = Date.now() + 180_000;
  for (;;) {
    const st = (await (await s.call(`/api/v1/exports/${exportId}`, { token: s.tokens.admin })).json()) as {
      status: string;
    };
    if (st.status === 'done') break;
    if (st.status === 'failed' || Date.now() > deadline)
      throw new Error(`export ${exportId} ended ${st.status}`);
    await new Promise((res) => setTimeout(res, 200));
  }
});
afterAll(async () => {
  await s.close();
});

/** A valid request for a route, naming `commune` where the route takes one. */
async function sample(
  route: RouteAccess,
  commune: string,
): Promise<{ path: string; init: RequestInit & { json?: unknown } }> {
  const q = route.communeParam ? `&${route.communeParam}=${commune}` : '';
  switch (`${route.method} ${route.path}`) {
    case 'POST /submissions': {
      const sub = validSubmission({ commune_code: commune });
      sub.report.dialogues_held = 100 + dryRunCounter++; // a new version each time
      return { path: '/api/v1/submissions', init: { method: 'POST', json: sub } };
    }
    case 'POST /submissions/:id/void': {
      const sub = validSubmission({ commune_code: OTHER });
      sub.report.dialogues_held = 500 + dryRunCounter++;
      const out = await s.ingest.ingest(sub, { actor: { sub: 'seed', role: 'admin' } });
      return {
        path: `/api/v1/submissions/${out.submission_id}/void`,
        init: { method: 'POST', json: { reason: 'kiểm thử' } },
      };
    }
    case 'POST /exports':
      return { path: '/api/v1/exports', init: { method: 'POST', json: { year: 2026, meeting: 'annual' } } };
    case 'GET /exports/:id':
      return { path: `/api/v1/exports/${exportId}`, init: {} };
    case 'GET /exports/:id/:file':
      return { path: `/api/v1/exports/${exportId}/manifest.json`, init: {} };
    case 'POST /sql':
      return {
        path: '/api/v1/sql',
        init: { method: 'POST', json: { sql: 'SELECT count(*) AS n FROM kpi_province_year' } },
      };
    case 'GET /audit':
      return { path: '/api/v1/audit?from=2026-11-01T00:00:00Z&to=2026-11-30T00:00:00Z', init: {} };
    case 'GET /template.xlsx':
      return { path: `/api/v1/template.xlsx?year=2026${q}`, init: {} };
    case 'POST /auth/demo-login':
      return {
        path: '/api/v1/auth/demo-login',
        init: { method: 'POST', json: { role: 'leader', code: s.signInCode() } },
      };
    default:
      return { path: `/api/v1${route.path}?year=2026${q}`, init: {} };
  }
}

function expected(route: RouteAccess, role: Role, commune: 'own' | 'other'): 'ok' | 403 {
  if (route.public) return 'ok';
  // The sample names a commune wherever the route takes one.
  const grant = grantFor(route, role, route.communeParam !== undefined);
  if (grant === 'deny') return 403;
  // A commune officer naming another commune (query parameter, or the body of a submission) → 403.
  if (grant === 'own' && commune === 'other' && (route.communeParam || route.path === '/submissions'))
    return 403;
  return 'ok';
}

const tokenFor = (role: Role) => (role === 'commune' ? s.tokens.commune : s.tokens[role]);

describe('authorization: every route × role × own/other commune', () => {
  for (const route of ACCESS) {
    for (const role of ROLES) {
      const variants: ('own' | 'other')[] =
        role === 'commune' && (route.communeParam || route.path === '/submissions')
          ? ['own', 'other']
          : ['own'];
      for (const v of variants) {
        const want = expected(route, role, v);
        it(`${route.method} ${route.path} as ${role}${variants.length > 1 ? ` (${v})` : ''} → ${want === 'ok' ? '2xx' : want}`, async () => {
          const { path, init } = await sample(route, v === 'own' ? OWN : OTHER);
          const r = await s.call(path, { ...init, token: route.public ? undefined : tokenFor(role) });
          if (want === 'ok') expect(r.status, await r.clone().text()).toBeGreaterThanOrEqual(200);
          if (want === 'ok') expect(r.status, await r.clone().text()).toBeLessThan(300);
          else expect(r.status).toBe(want);
        });
      }
    }
    if (!route.public) {
      it(`${route.method} ${route.path} without a token → 401`, async () => {
        const { path, init } = await sample(route, OWN);
        expect((await s.call(path, init)).status).toBe(401);
      });
    }
  }
});
