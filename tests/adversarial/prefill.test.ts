// Adversarial: pre-filled templates carry a roster (issue 13, item 9). Only the commune itself and admin may
// download one, whatever the spelling of the request; every download (and every refused attempt that reached
// the route) is audited. Generated: roles, communes (own, another), spellings of the query (repeated, encoded,
// empty, with and without year).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validSubmission } from '../helpers/fixtures.ts';
import { OTHER, OWN, type TestServer, testServer } from '../helpers/server.ts';

let s: TestServer;
beforeAll(async () => {
  s = await testServer();
  for (const commune of [OWN, OTHER]) {
    expect(
      (
        await s.call('/api/v1/submissions', {
          method: 'POST',
          token: s.tokens.admin,
          json: validSubmission({ commune_code: commune }),
        })
      ).status,
    ).toBe(201);
  }
});
afterAll(async () => {
  await s.close();
});

const encode = (code: string, how: number) =>
  how === 0
    ? code
    : how === 1
      ? [...code].map((ch) => `%${ch.charCodeAt(0).toString(16)}`).join('')
      : encodeURIComponent(code);

describe('pre-filled templates', () => {
  it('leaders and analysts never get one; a commune only its own; admin any (generated spellings)', async () => {
    const cases = fc.sample(
      fc.tuple(
        fc.constantFrom('leader', 'analyst', 'commune', 'admin', 'otherCommune'),
        fc.constantFrom(OWN, OTHER),
        fc.integer({ min: 0, max: 2 }),
        fc.boolean(),
        fc.boolean(),
      ),
      40,
    );
    for (const [who, commune, how, withYear, repeated] of cases) {
      const q = `prefill=${encode(commune, how)}${repeated ? `&prefill=${encode(commune, how)}` : ''}${withYear ? '&year=2026' : ''}`;
      const r = await s.call(`/api/v1/template.xlsx?${q}`, {
        token: s.tokens[who as keyof TestServer['tokens']],
      });
      const mayRead =
        who === 'admin' ||
        (who === 'commune' && commune === OWN) ||
        (who === 'otherCommune' && commune === OTHER);
      expect(r.status, `${who} ${q}`).toBe(mayRead ? 200 : 403);
      if (!mayRead)
        expect(((await r.json()) as { error: { message_vi: string } }).error.message_vi).toBeTruthy();
      else await r.arrayBuffer();
    }
  });

  it('the blank template stays open to every role', async () => {
    for (const who of ['leader', 'analyst', 'commune', 'admin'] as const) {
      const r = await s.call('/api/v1/template.xlsx', { token: s.tokens[who] });
      expect(r.status, who).toBe(200);
      await r.arrayBuffer();
    }
  });

  it('every pre-filled download is audited with who, which commune and which version', async () => {
    const before = await prefillAudits();
    expect(
      (await s.call(`/api/v1/template.xlsx?prefill=${OWN}&year=2026`, { token: s.tokens.commune })).status,
    ).toBe(200);
    expect(
      (await s.call(`/api/v1/template.xlsx?prefill=${OTHER}&year=2026`, { token: s.tokens.admin })).status,
    ).toBe(200);
    const after = await prefillAudits();
    const fresh = after.slice(before.length);
    expect(fresh.map((e) => [e.actor?.role ?? e.role, e.outcome, e.detail?.commune_code])).toEqual([
      ['commune', 'ok', OWN],
      ['admin', 'ok', OTHER],
    ]);
  });
});

type AuditRow = {
  action: string;
  outcome: string;
  role?: string;
  actor?: { role: string };
  detail?: { commune_code?: string };
};
async function prefillAudits(): Promise<AuditRow[]> {
  const r = await s.call('/api/v1/audit?from=2026-11-01T00:00:00Z&to=2026-12-31T00:00:00Z', {
    token: s.tokens.admin,
  });
  return ((await r.json()) as { rows: AuditRow[] }).rows.filter((x) => x.action === 'template.prefill');
}
