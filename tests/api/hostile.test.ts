// Hostile input against POST /submissions: always a 4xx with a clear error, never a 5xx, never a write.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashExceptAudit } from '../helpers/data-dir.ts';
import { validSubmission } from '../helpers/fixtures.ts';
import { type TestServer, testServer } from '../helpers/server.ts';

let s: TestServer;
let before = '';
beforeAll(async () => {
  s = await testServer();
  before = hashExceptAudit(s.dataDir);
});
afterAll(async () => {
  await s.close();
});

async function post(body: BodyInit, contentType = 'application/json') {
  const r = await s.call('/api/v1/submissions', {
    method: 'POST',
    token: s.tokens.admin,
    body,
    headers: { 'content-type': contentType },
  });
  const text = await r.text();
  return { status: r.status, text };
}

function expectClear4xx(r: { status: number; text: string }) {
  expect(r.status, r.text).toBeGreaterThanOrEqual(400);
  expect(r.status, r.text).toBeLessThan(500);
  const body = JSON.parse(r.text) as {
    errors?: { message_vi: string; message_en: string }[];
    error?: { message_vi: string };
  };
  const first = body.errors?.[0] ?? body.error;
  expect(first?.message_vi).toBeTruthy();
}

describe('hostile submissions', () => {
  const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
  const corpus: [string, BodyInit, string?][] = [
    ['empty body', ''],
    ['null', 'null'],
    ['array', '[1,2,3]'],
    ['string', '"hello"'],
    ['deeply nested arrays', deep(50_000)],
    ['deeply nested objects', `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`],
    ['huge string field', JSON.stringify({ ...validSubmission(), commune_code: 'x'.repeat(3_000_000) })],
    ['__proto__ pollution', '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}}}'],
    [
      'prototype keys inside a cadre',
      JSON.stringify(validSubmission()).replace(
        '"cadre_code"',
        '"__proto__":{"is_leader":true},"cadre_code"',
      ),
    ],
    ['invalid UTF-8', new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d])],
    ['NaN-like numbers', '{"schema_version":1e999}'],
    ['wrong content type', 'schema_version=1', 'application/x-www-form-urlencoded'],
    ['formula injection in text', JSON.stringify({ ...validSubmission(), year: '=1+1' })],
    [
      'multipart without a file',
      '--b\r\nContent-Disposition: form-data; name="x"\r\n\r\n1\r\n--b--\r\n',
      'multipart/form-data; boundary=b',
    ],
  ];
  for (const [name, body, type] of corpus) {
    it(`rejects ${name} with a clear 4xx`, async () => {
      expectClear4xx(await post(body, type));
    });
  }

  it('random JSON values are rejected with a 4xx, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 6 }), async (value) => {
        expectClear4xx(await post(JSON.stringify(value)));
      }),
      { numRuns: 60 },
    );
  });

  it('a valid submission with random extra keys anywhere is rejected at that key', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .string({ minLength: 1, maxLength: 12 })
          .filter(
            (k) =>
              !['cadres', 'report', 'year', 'commune_code', 'schema_version'].includes(k.trim()) &&
              k.trim() !== '',
          ),
        async (key) => {
          const r = await post(JSON.stringify({ ...validSubmission(), [key]: 1 }));
          expect(r.status).toBe(422);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('nothing was written by any of it', () => {
    expect(hashExceptAudit(s.dataDir)).toBe(before);
  });
});
