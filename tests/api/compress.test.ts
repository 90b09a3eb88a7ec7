// Answers are compressed when the client accepts it (issue 18, part 2: hono/compress): the province's tabular
// answers as JSON and Arrow, over a raw HTTP client on loopback so that the bytes on the wire are seen. The
// body decompresses to exactly the uncompressed answer; the ETag becomes weak and still earns a 304; the
// already-zipped workbook is sent as is.
import { request } from 'node:http';
import { gunzipSync, inflateSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, testServer } from '../helpers/server.ts';

let s: TestServer;
beforeAll(async () => {
  s = await testServer({ demo: true, now: '2026-12-01T03:00:00Z' });
}, 300_000);
afterAll(async () => {
  await s.close();
});

function get(
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${s.url}${path}`,
      { headers: { authorization: `Bearer ${s.tokens.leader}`, ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('compressed answers', () => {
  for (const [format, accept] of [
    ['JSON', 'application/json'],
    ['Arrow', 'application/vnd.apache.arrow.stream'],
  ] as const) {
    it(`/kpis/communes as ${format}: gzip and deflate when accepted, the same bytes once decompressed, a weak ETag that earns 304`, async () => {
      const plain = await get('/api/v1/kpis/communes?year=2026', { accept });
      expect(plain.status).toBe(200);
      expect(plain.headers['content-encoding']).toBeUndefined();
      const gz = await get('/api/v1/kpis/communes?year=2026', { accept, 'accept-encoding': 'gzip' });
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
      // 1,020 commune-KPI rows: the wire carries a fraction of the answer.
      expect(gz.body.length).toBeLessThan(plain.body.length / 3);
      const deflated = await get('/api/v1/kpis/communes?year=2026', { accept, 'accept-encoding': 'deflate' });
      expect(deflated.headers['content-encoding']).toBe('deflate');
      expect(inflateSync(deflated.body).equals(plain.body)).toBe(true);
      const etag = String(gz.headers.etag);
      expect(etag).toMatch(/^W\/"/);
      const again = await get('/api/v1/kpis/communes?year=2026', {
        accept,
        'accept-encoding': 'gzip',
        'if-none-match': etag,
      });
      expect(again.status).toBe(304);
      expect(again.body.length).toBe(0);
    });
  }

  it('a tabular answer is gzipped once and kept: sent whole (with its length), not streamed through a compressor per request', async () => {
    const first = await get('/api/v1/kpis/communes?year=2026', { 'accept-encoding': 'gzip, deflate, br' });
    const second = await get('/api/v1/kpis/communes?year=2026', { 'accept-encoding': 'gzip, deflate, br' });
    for (const r of [first, second]) {
      expect(r.headers['content-encoding']).toBe('gzip');
      // A streamed compression has no length; the kept gzip is sent with its own.
      expect(Number(r.headers['content-length'])).toBe(r.body.length);
      expect(String(r.headers.vary)).toMatch(/Accept-Encoding/i);
    }
    expect(second.body.equals(first.body)).toBe(true);
    const plain = await get('/api/v1/kpis/communes?year=2026', {});
    expect(gunzipSync(second.body).equals(plain.body)).toBe(true);
  });

  it('reads Accept-Encoding as a list with weights: gzip;q=0 is refused, deflate preferred gets deflate, * takes gzip', async () => {
    const cases: [string, string | undefined][] = [
      ['gzip;q=0, deflate', 'deflate'],
      ['deflate;q=1, gzip;q=0.5', 'deflate'],
      ['GZIP', 'gzip'],
      ['*', 'gzip'],
      ['identity', undefined],
      ['br', undefined],
      // Read as hono reads them (found by the generated test below in CI): a q that is not a number counts as 1,
      // an empty q as 1, the higher weight of a repeated name wins, `Q=` is a weight too.
      ['gzip;q=0.50,deflate;q=abc', 'deflate'],
      ['gzip;q=0.5, deflate;q=', 'deflate'],
      ['gzip, gzip;q=0', 'gzip'],
      ['gzip;q=0, gzip', 'gzip'],
      ['gzip;Q=0, deflate', 'deflate'],
      ['gzip;q=Infinity', 'gzip'],
      ['gzip; q = 0 ,deflate', 'deflate'],
      ['gzip;q="0",deflate', 'deflate'],
    ];
    for (const [acceptEncoding, expected] of cases) {
      const r = await get('/api/v1/kpis/communes?year=2026', { 'accept-encoding': acceptEncoding });
      expect(r.headers['content-encoding'], acceptEncoding).toBe(expected);
    }
  });

  it('a kept gzip goes to exactly the clients hono/compress would gzip for (generated Accept-Encoding, differential)', async () => {
    // The cached answers choose gzip themselves (respond.ts); every other answer goes through hono/compress. For
    // any header a client may send, both must agree: compared with /openapi.json, which only compress() handles.
    const token = fc.oneof(
      fc.constantFrom('gzip', 'GZIP', 'deflate', 'br', 'identity', '*', 'x-gzip', 'gzip2'),
      fc.string({ maxLength: 6 }),
    );
    const q = fc.oneof(
      fc.constant(''),
      fc.constantFrom(
        ';q=0',
        ';q=1',
        ';q=0.5',
        ';q=0.50',
        '; q=0.2',
        ';q=1.0',
        ';q=',
        ';q=abc',
        ';Q=0',
        ';q=Infinity',
        ';q=-1',
        ';q=2',
        '; q = 0.3 ',
        ';q="0"',
        ';q=0;x=1',
        ';x;q=0',
        '\t;q=0',
      ),
      fc.double({ min: 0, max: 1, noNaN: true }).map((x) => `;q=${x.toFixed(3)}`),
    );
    const header = fc
      .array(fc.tuple(token, q, fc.constantFrom('', ' ', '  ', '\t')), { minLength: 1, maxLength: 5 })
      .map((parts) => parts.map(([t, w, sp]) => `${sp}${t}${w}`).join(','));
    await fc.assert(
      fc.asyncProperty(header, async (acceptEncoding) => {
        const ours = await get('/api/v1/kpis/communes?year=2026', { 'accept-encoding': acceptEncoding });
        const theirs = await get('/api/v1/openapi.json', { 'accept-encoding': acceptEncoding });
        expect(ours.headers['content-encoding'] === 'gzip', acceptEncoding).toBe(
          theirs.headers['content-encoding'] === 'gzip',
        );
      }),
      { numRuns: 400 },
    );
  });

  it('the workbook (already a zip) is sent as is', async () => {
    const r = await get('/api/v1/template.xlsx', { 'accept-encoding': 'gzip' });
    expect(r.status).toBe(200);
    expect(r.headers['content-encoding']).toBeUndefined();
    expect(r.body.subarray(0, 2).toString()).toBe('PK');
  });
});
