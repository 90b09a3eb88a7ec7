// Adversarial: local sign-in (issue 13, item 4). Demo sign-in needs no secret only while the data folder holds
// nothing but the demo; otherwise a one-time code. Generated variants: content types a page can send without a
// CORS preflight (and spellings of JSON), Host headers a DNS-rebinding page would send (names, ports, case,
// trailing dots, IPv6, look-alikes), code spellings and reuse, and a burst for the rate limit — all over
// loopback against the real server.
import { request } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validSubmission } from '../helpers/fixtures.ts';
import { type TestServer, testServer } from '../helpers/server.ts';

/** A raw HTTP request, so the Host header is exactly what a hostile page's browser would send. */
function raw(
  url: string,
  opts: { method?: string; host?: string; headers?: Record<string, string>; body?: string },
) {
  const u = new URL(url);
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      {
        hostname: u.hostname,
        port: u.port,
        path: u.pathname,
        method: opts.method ?? 'GET',
        headers: { ...(opts.host !== undefined ? { host: opts.host } : {}), ...opts.headers },
        setHost: opts.host === undefined,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d) => {
          body += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

describe('a folder with real data: demo sign-in needs the one-time code', () => {
  let s: TestServer;
  let elapsed = 0;
  beforeAll(async () => {
    s = await testServer({ elapsedMs: () => elapsed });
    expect(
      (
        await s.call('/api/v1/submissions', {
          method: 'POST',
          token: s.tokens.admin,
          json: validSubmission(),
        })
      ).status,
    ).toBe(201);
  });
  afterAll(async () => {
    await s.close();
  });
  const login = (body: unknown, contentType = 'application/json') =>
    s.call('/api/v1/auth/demo-login', {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': contentType },
    });

  it('the sign-in page is told a code is needed', async () => {
    const cfg = (await (await s.call('/api/v1/auth/config')).json()) as { sign_in_code_required?: boolean };
    expect(cfg.sign_in_code_required).toBe(true);
  });

  it('no code, a wrong code, a used code: 403 with a clear message; the right code once: a token', async () => {
    const none = await login({ role: 'admin' });
    expect(none.status).toBe(403);
    expect(((await none.json()) as { error: { code: string; message_vi: string } }).error).toMatchObject({
      code: 'sign_in_code_required',
      message_vi: expect.stringContaining('npm start'),
    });
    const wrong = await login({ role: 'admin', code: 'AAAA-AAAA' });
    expect(wrong.status).toBe(403);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('sign_in_code_wrong');
    const code = s.signInCode();
    // Spelled as a person types it: lower case, without the dash, with spaces around.
    const ok = await login({ role: 'admin', code: ` ${code.toLowerCase().replace('-', '')} ` });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { token: string }).token).toMatch(/^ey/);
    const again = await login({ role: 'admin', code });
    expect(again.status).toBe(403);
    expect(s.signInCode()).not.toBe(code);
    expect((await login({ role: 'leader', code: s.signInCode() })).status).toBe(200);
  });

  it('generated codes never sign in (shape, case, unicode, types)', async () => {
    const samples = fc.sample(
      fc.oneof(
        fc.string({ maxLength: 12 }),
        fc.stringMatching(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/),
        fc.constant(null),
        fc.integer(),
        fc.array(fc.string()),
      ),
      20,
    );
    for (const code of samples) {
      if (
        typeof code === 'string' &&
        code.toUpperCase().replace(/[^A-Z0-9]/g, '') === s.signInCode().replace('-', '')
      )
        continue;
      elapsed += 61_000; // a fresh rate-limit window each: this checks the code, not the limit
      const r = await login({ role: 'admin', code });
      // A wrong code is 403; a code that is not text at all is refused by the request's schema (400, naming it).
      if (typeof code === 'string') expect(r.status, JSON.stringify(code)).toBe(403);
      else {
        expect(r.status, JSON.stringify(code)).toBe(400);
        expect(((await r.json()) as { error: { message_en: string } }).error.message_en).toContain('code');
      }
    }
  });

  it('only JSON: the content types a page can send without a preflight are refused (415)', async () => {
    const simple = fc.sample(
      fc.constantFrom(
        'text/plain',
        'text/plain;charset=UTF-8',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'TEXT/PLAIN',
        '',
        'application/jsonx',
        'application/json-seq',
        'text/json',
      ),
      15,
    );
    for (const type of simple) {
      elapsed += 61_000;
      const r = await raw(`${s.url}/api/v1/auth/demo-login`, {
        method: 'POST',
        headers: type ? { 'content-type': type } : {},
        body: JSON.stringify({ role: 'admin', code: s.signInCode() }),
      });
      expect(r.status, type).toBe(415);
      expect(JSON.parse(r.body).error.code).toBe('json_required');
    }
    elapsed += 61_000;
    expect(
      (await login({ role: 'analyst', code: s.signInCode() }, 'Application/JSON; charset=utf-8')).status,
    ).toBe(200);
  });

  it('a burst of sign-in attempts is rate-limited', async () => {
    elapsed += 61_000;
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await login({ role: 'admin', code: 'WRONG' })).status);
    expect(statuses.filter((x) => x === 429).length).toBeGreaterThanOrEqual(5);
    expect(statuses.slice(0, 30).every((x) => x === 403)).toBe(true);
  });
});

describe('a folder with only the demo: demo sign-in needs no code until real data arrives', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer({ demo: true });
  }, 300_000);
  afterAll(async () => {
    await s.close();
  });

  it('signs in without a code, then asks for one after a real submission', async () => {
    const login = () => s.call('/api/v1/auth/demo-login', { method: 'POST', json: { role: 'leader' } });
    expect((await login()).status).toBe(200);
    const sub = validSubmission({ year: 2026 });
    const posted = await s.call('/api/v1/submissions', {
      method: 'POST',
      token: s.tokens.admin,
      json: { ...sub, report: { ...sub.report, dialogues_held: 97 } },
    });
    expect([200, 201]).toContain(posted.status);
    const after = await login();
    expect(after.status).toBe(403);
    expect(((await after.json()) as { error: { code: string } }).error.code).toBe('sign_in_code_required');
  });
});

describe('the public sign-in settings cost the server nothing per request', () => {
  it('a burst of GET /auth/config on a demo folder reads raw/ at most once; the sign-in itself stays exact', async () => {
    let rawListings = 0;
    const s = await testServer({
      demo: true,
      wrapStore: (inner) =>
        new Proxy(inner, {
          get(target, prop, receiver) {
            const v = Reflect.get(target, prop, receiver);
            if (prop !== 'list' || typeof v !== 'function')
              return typeof v === 'function' ? v.bind(target) : v;
            return (prefix: string) => {
              if (prefix === 'raw/') rawListings++;
              return v.call(target, prefix);
            };
          },
        }),
    });
    try {
      const before = rawListings;
      const answers = await Promise.all(
        Array.from({ length: 50 }, () =>
          s.call('/api/v1/auth/config').then((r) => r.json() as Promise<{ sign_in_code_required?: boolean }>),
        ),
      );
      expect(answers.every((a) => a.sign_in_code_required === false)).toBe(true);
      expect(rawListings - before).toBeLessThanOrEqual(1);
      // The decision at sign-in is never cached: a real submission is seen by the very next sign-in.
      expect(
        (
          await s.call('/api/v1/submissions', {
            method: 'POST',
            token: s.tokens.admin,
            json: { ...validSubmission(), report: { ...validSubmission().report, dialogues_held: 77 } },
          })
        ).status,
      ).toBe(201);
      const login = await s.call('/api/v1/auth/demo-login', { method: 'POST', json: { role: 'admin' } });
      expect(login.status).toBe(403);
    } finally {
      await s.close();
    }
  }, 300_000);
});

describe('DNS rebinding: only loopback names and the configured host are answered', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer();
  });
  afterAll(async () => {
    await s.close();
  });

  it('generated hostile Host headers are refused (421) on the API, the sign-in and the dashboard', async () => {
    const hostile = fc.sample(
      fc
        .tuple(
          fc.constantFrom(
            'evil.example',
            'localhost.evil.example',
            '127.0.0.1.nip.io',
            'attacker',
            '[::2]',
            '10.0.0.7',
            'xn--lcalhost-9za',
            '127.0.0.2',
            '0.0.0.0',
            'localhost:80@evil',
            'localhost evil',
            '',
          ),
          fc.constantFrom('', ':80', ':8787', ':65535'),
          fc.boolean(),
        )
        .map(([h, port, upper]) => `${upper ? h.toUpperCase() : h}${port}`),
      30,
    );
    for (const host of hostile) {
      for (const [method, path] of [
        ['GET', '/api/v1/health'],
        ['POST', '/api/v1/auth/demo-login'],
        ['GET', '/'],
      ] as const) {
        const r = await raw(`${s.url}${path}`, {
          method,
          host,
          headers: { 'content-type': 'application/json' },
          body: method === 'POST' ? '{"role":"admin"}' : undefined,
        });
        // 421 from our check; Node's HTTP parser itself answers 400 to a Host that is not a valid header value.
        expect([400, 421], `${host} ${path}: ${r.status}`).toContain(r.status);
        expect(r.body).not.toContain('token');
      }
    }
  });

  it('loopback names in their spellings are answered', async () => {
    const port = new URL(s.url).port;
    for (const host of [
      'localhost',
      `localhost:${port}`,
      'LOCALHOST',
      'localhost.',
      `127.0.0.1:${port}`,
      '[::1]',
      `[::1]:${port}`,
    ]) {
      const r = await raw(`${s.url}/api/v1/health`, { host });
      expect(r.status, host).toBe(200);
    }
  });
});
