// Adversarial: the JSON request bodies (issue 18: bodies checked by @hono/zod-validator against the schemas the
// API document shows). Written from the rule, not from the code: every JSON route — demo sign-in, a meeting
// pack, analysts' SQL, voiding a version — gets generated bodies over loopback against the real server: content
// types (missing, text/plain, forms, JSON look-alikes, case and parameters), unreadable JSON (truncated, trailing
// garbage, a byte-order mark, deep nesting), fields of every type, unknown and prototype keys, long strings. The
// answer must be one the document lists for the route (the test client checks status and shape), never a 5xx,
// and a refused body writes nothing: no pack queued, no version voided, no token issued.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validSubmission } from '../helpers/fixtures.ts';
import { type TestServer, testServer } from '../helpers/server.ts';

let s: TestServer;
let elapsed = 0;
let submissionId: string;

beforeAll(async () => {
  s = await testServer({ elapsedMs: () => elapsed });
  const r = await s.call('/api/v1/submissions', {
    method: 'POST',
    token: s.tokens.admin,
    json: validSubmission(),
  });
  expect(r.status).toBe(201);
  submissionId = ((await r.json()) as { submission_id: string }).submission_id;
});
afterAll(async () => {
  await s?.close();
});

const ROUTES = {
  demo: { path: () => '/api/v1/auth/demo-login', token: () => undefined },
  exports: { path: () => '/api/v1/exports', token: () => s.tokens.admin },
  sql: { path: () => '/api/v1/sql', token: () => s.tokens.analyst },
  void: { path: () => `/api/v1/submissions/${submissionId}/void`, token: () => s.tokens.admin },
} as const;
type Route = keyof typeof ROUTES;

const JSON_TYPES = [
  'application/json',
  'Application/JSON',
  'application/json; charset=utf-8',
  'application/json ;x=y',
];
const OTHER_TYPES = [
  null,
  'text/plain',
  'text/plain;charset=UTF-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/merge-patch+json',
  'application/jsonx',
  'text/json',
  'json',
];

/** A field value of any kind: the right type, the wrong one, or hostile. */
const anyValue = fc.oneof(
  fc.integer({ min: 2020, max: 2035 }),
  fc.double(),
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    'annual',
    'mid_year',
    'leader',
    'commune',
    'admin',
    '28249',
    'SELECT 1',
    '2026-11-20T03:00:00Z',
  ),
  fc.constantFrom('2026', '1e3', 'NaN', '', ' ', '\u0000', 'x'.repeat(5000)),
  fc.constant(null),
  fc.boolean(),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

const FIELDS = [
  'year',
  'meeting',
  'as_of',
  'role',
  'commune_code',
  'code',
  'sql',
  'reason',
  '__proto__',
  'constructor',
  'extra',
];
const objectBody = fc
  .dictionary(fc.constantFrom(...FIELDS), anyValue, { maxKeys: 5 })
  .map((o) => JSON.stringify(o).replace('"extra"', '"__proto__"'));

const unreadable = fc.oneof(
  fc.constantFrom(
    '',
    '{',
    '{"sql":',
    '{"year": 2026,}',
    "{'year': 2026}",
    'undefined',
    'NaN',
    '[1,2',
    '"unterminated',
  ),
  objectBody.map((t) => `${t}garbage`),
  objectBody.map((t) => t.slice(0, Math.max(1, t.length - 1))),
  fc.integer({ min: 2000, max: 20000 }).map((n) => '['.repeat(n)),
);
const readable = fc.oneof(
  objectBody,
  objectBody.map((t) => `\uFEFF${t}`),
  fc.constantFrom('[]', '"text"', '42', 'null', 'true', '[{"sql":"SELECT 1"}]'),
  fc.json({ maxDepth: 3 }),
);

async function state() {
  const exportsList = (await (await s.call('/api/v1/exports', { token: s.tokens.admin })).json()) as {
    rows: unknown[];
  };
  const history = (await (
    await s.call('/api/v1/submissions?year=2026&commune=28249', { token: s.tokens.admin })
  ).json()) as { rows: Array<{ voided: boolean }> };
  return { packs: exportsList.rows.length, voided: history.rows.filter((r) => r.voided).length };
}

/** POSTs a body as sent (content type included) to a route, with the route's token, in a fresh sign-in window. */
function post(route: Route, type: string | null, body: string) {
  elapsed += 61_000; // a fresh sign-in window each: these tests check the body, not the rate limit
  const token = ROUTES[route].token();
  return s.call(ROUTES[route].path(), {
    method: 'POST',
    headers: type ? { 'content-type': type } : {},
    body,
    ...(token ? { token } : {}),
  });
}

/** Generated (route, content type, body) cases. */
const cases = <T extends string | null>(types: readonly T[], bodies: fc.Arbitrary<string>, n: number) =>
  fc.sample(
    fc.tuple(fc.constantFrom<Route>('demo', 'exports', 'sql', 'void'), fc.constantFrom(...types), bodies),
    n,
  );

describe('JSON request bodies: generated variants over loopback', () => {
  it('a body that is not declared JSON is refused (415) on every JSON route, whatever it holds', async () => {
    const before = await state();
    for (const [route, type, body] of cases(OTHER_TYPES, readable, 60)) {
      const r = await post(route, type, body);
      expect(r.status, `${route} ${type} ${body.slice(0, 60)}`).toBe(415);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('json_required');
    }
    expect(await state()).toEqual(before);
  });

  it('unreadable JSON gets each route’s documented refusal, and writes nothing', async () => {
    const before = await state();
    const expected: Record<Route, [number, string]> = {
      demo: [400, 'bad_request'],
      exports: [400, 'bad_request'],
      sql: [422, 'invalid_json'],
      void: [422, 'void_reason_required'],
    };
    for (const [route, type, body] of cases(JSON_TYPES, unreadable, 60)) {
      const r = await post(route, type, body);
      const answer = (await r.json()) as { error?: { code: string }; errors?: Array<{ code: string }> };
      expect(
        [r.status, answer.error?.code ?? answer.errors?.[0]?.code],
        `${route} ${body.slice(0, 60)}`,
      ).toEqual(expected[route]);
    }
    expect(await state()).toEqual(before);
  });

  it('readable bodies of every shape: a documented answer, never a 5xx; only a valid body acts', async () => {
    let before = await state();
    for (const [route, type, body] of cases(JSON_TYPES, readable, 120)) {
      const r = await post(route, type, body);
      expect(r.status, `${route} ${body.slice(0, 80)}`).toBeLessThan(500);
      const after = await state();
      if (r.status >= 400) expect(after, `${route} ${r.status} ${body.slice(0, 80)}`).toEqual(before);
      if (route === 'demo' && r.status === 200) {
        // Only a role the plan knows, as text, signs in.
        const sent = JSON.parse(body.replace(/^\uFEFF/, '')) as { role?: unknown };
        expect(['leader', 'analyst', 'commune', 'admin']).toContain(sent.role);
      }
      before = after;
    }
  });

  it('a reason longer than 500 characters is refused, not cut (no input loses data)', async () => {
    const before = await state();
    const r = await s.call(ROUTES.void.path(), {
      method: 'POST',
      token: s.tokens.admin,
      json: { reason: 'x'.repeat(501) },
    });
    expect(r.status).toBe(422);
    expect(((await r.json()) as { errors: Array<{ path: string; code: string }> }).errors).toEqual([
      expect.objectContaining({ path: '/reason', code: 'string_too_long' }),
    ]);
    expect(await state()).toEqual(before);
  });
});
