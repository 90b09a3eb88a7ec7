// Adversarial: issue 13's "Low" findings, over loopback against the real server — malformed %-escapes, the
// dashboard's security headers, data files 0600/0700, leftovers (.tmp, retired mart generations), a token
// "issued" in the future, control characters in text fields, and the command line's SQL in the audit trail;
// and the dashboard's files: caching, the single-page fallback, no path outside the folder (generated spellings).
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FsObjectStore } from '@scorecard/functions/adapters/fs-store.ts';
import { AuditLog } from '@scorecard/functions/ingest/audit.ts';
import { ManualClock } from '@scorecard/functions/ports/clock.ts';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFiles, tempDir } from '../helpers/data-dir.ts';
import { validSubmission } from '../helpers/fixtures.ts';
import { type TestServer, testServer } from '../helpers/server.ts';

let s: TestServer;
let webDist: string;
beforeAll(async () => {
  webDist = tempDir('web-');
  mkdirSync(join(webDist, 'assets'));
  writeFileSync(join(webDist, 'index.html'), '<!doctype html><title>x</title>');
  writeFileSync(join(webDist, 'assets', 'app.js'), 'export {}');
  // A file beside the dashboard's folder that no URL may reach.
  writeFileSync(join(webDist, '..', `${webDist.split('/').pop()}-secret.txt`), 'SECRET-OUTSIDE-DIST');
  // Leftovers of a process killed mid-write, an hour and a half old, in the folder the server starts on.
  const dataDir = tempDir('low-');
  mkdirSync(join(dataDir, '.tmp'), { recursive: true });
  const stale = join(dataDir, '.tmp', 'stale-write');
  writeFileSync(stale, 'half');
  const past = new Date(Date.now() - 90 * 60_000);
  utimesSync(stale, past, past);
  s = await testServer({ webDist, dataDir });
  expect(
    (await s.call('/api/v1/submissions', { method: 'POST', token: s.tokens.admin, json: validSubmission() }))
      .status,
  ).toBe(201);
});
afterAll(async () => {
  await s.close();
});

describe('malformed %-escapes', () => {
  it('are a 4xx with a catalogue message on every route, never a 500 or a stack trace (generated)', async () => {
    const bad = fc.constantFrom(
      '%',
      '%zz',
      '%E0%A4%A',
      '%C3%28',
      '%%',
      '%u0041',
      '%2',
      '%ED%A0%80',
      '%FF%FE',
      '%00',
    );
    const where = fc.constantFrom(
      '/',
      '/assets/',
      '/api/v1/exports/',
      '/api/v1/submissions/',
      '/api/v1/',
      '/commune/',
      '/api/v1/exports/x/',
    );
    for (const [base, b, tail] of fc.sample(
      fc.tuple(where, bad, fc.constantFrom('', 'x', '/y', '.js')),
      40,
    )) {
      const r = await fetch(`${s.url}${base}${b}${tail}`, {
        headers: { authorization: `Bearer ${s.tokens.admin}` },
      });
      const text = await r.text();
      expect(r.status, `${base}${b}${tail}`).toBeLessThan(500);
      expect(text).not.toMatch(/at .*\.ts:\d+|URIError|stack/);
    }
  });
});

describe("the dashboard's pages and assets", () => {
  it('carry a CSP that forbids framing, other origins and plugins, and no-sniff, no-referrer', async () => {
    for (const path of ['/', '/overview', '/assets/app.js']) {
      const r = await fetch(`${s.url}${path}`);
      await r.arrayBuffer();
      expect(r.status, path).toBe(200);
      const csp = r.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(r.headers.get('x-frame-options')).toBe('DENY');
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });
});

describe("the dashboard's files (served by serveStatic)", () => {
  it('hashed assets are cached for a year, pages revalidated; an unknown page is the app (index.html)', async () => {
    const asset = await fetch(`${s.url}/assets/app.js`);
    expect(await asset.text()).toBe('export {}');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    for (const page of ['/', '/communes/28249', '/warnings']) {
      const r = await fetch(`${s.url}${page}`);
      expect(await r.text(), page).toContain('<title>x</title>');
      expect(r.headers.get('cache-control'), page).toBe('no-cache');
      expect(r.headers.get('content-type'), page).toMatch(/^text\/html/);
    }
  });

  it('no spelling of a path outside the folder reads a file beside it (generated)', async () => {
    const name = `${webDist.split('/').pop()}-secret.txt`;
    const up = fc.constantFrom('..', '%2e%2e', '%2E%2E', '.%2e', '%2e.', '..%00', '...');
    const sep = fc.constantFrom('/', '%2f', '%2F', '\\', '%5c', '//');
    for (const [u, p, lead] of fc.sample(fc.tuple(up, sep, fc.constantFrom('/', '/assets/', '/x/y/')), 60)) {
      const path = `${lead}${u}${p}${name}`;
      const r = await fetch(`${s.url}${path}`);
      const text = await r.text();
      expect(r.status, path).toBeLessThan(500);
      expect(text, path).not.toContain('SECRET-OUTSIDE-DIST');
    }
  });
});

describe('the data folder', () => {
  it('holds files 0600 and folders 0700 only', () => {
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? [join(dir, e.name), ...walk(join(dir, e.name))] : [join(dir, e.name)],
      );
    const loose = [s.dataDir, ...walk(s.dataDir)].filter((p) => (statSync(p).mode & 0o077) !== 0);
    expect(loose).toEqual([]);
  });

  it('keeps no leftovers: old temporary files are removed at start, retired mart generations at each refresh', async () => {
    expect(listFiles(join(s.dataDir, '.tmp')).filter((f) => f.includes('stale-write'))).toEqual([]);
    const store = new FsObjectStore(s.dataDir);
    await store.put('marts/0190-crashed-generation/kpi_province_year.arrow', new Uint8Array([1, 2, 3]));
    await s.marts.refreshNow();
    const generations = new Set(
      listFiles(s.dataDir)
        .filter((f) => f.startsWith('marts/') && !f.endsWith('_manifest.json'))
        .map((f) => f.split('/')[1]),
    );
    expect(generations.size).toBe(1);
    expect(generations.has('0190-crashed-generation')).toBe(false);
  });
});

describe('tokens', () => {
  it('a token "issued" after now is refused; one issued now is accepted', async () => {
    const now = s.clock.now().toISOString();
    s.clock.set(new Date(s.clock.now().getTime() + 3_600_000).toISOString());
    const future = await s.sign('admin');
    s.clock.set(now);
    expect((await s.call('/api/v1/me', { token: future })).status).toBe(401);
    expect((await s.call('/api/v1/me', { token: await s.sign('admin') })).status).toBe(200);
  });
});

describe('control characters in text fields', () => {
  it('are rejected at ingest with a clear error at their path, and nothing is written (generated)', async () => {
    const control = fc.constantFrom(
      '\n',
      '\r',
      '\t',
      '\u0000',
      '\u0007',
      '\u001b',
      '\u007f',
      '\u0085',
      '\u202e',
      '\u2066',
      '\u200f',
      '\ufeff',
    );
    for (const [ch, where, at] of fc.sample(
      fc.tuple(control, fc.constantFrom('position', 'title'), fc.nat({ max: 5 })),
      25,
    )) {
      const sub = validSubmission({ commune_code: '28261' });
      const text = `Chuyên${ch}viên ${at}`;
      if (where === 'position') (sub.cadres[2] as { position: string }).position = text;
      else (sub.report.initiatives[0] as { title: string }).title = text;
      const before = listFiles(s.dataDir).filter((f) => f.startsWith('raw/')).length;
      const r = await s.call('/api/v1/submissions', { method: 'POST', token: s.tokens.admin, json: sub });
      const body = (await r.json()) as {
        errors: { path: string; code: string; message_vi: string; message_en: string }[];
      };
      expect(r.status, JSON.stringify(ch)).toBe(422);
      const e = body.errors.find((x) => x.code === 'control_characters');
      expect(e?.path, JSON.stringify(body.errors)).toBe(
        where === 'position' ? '/cadres/2/position' : '/report/initiatives/0/title',
      );
      expect(e?.message_vi).toMatch(/ký tự điều khiển/);
      expect(listFiles(s.dataDir).filter((f) => f.startsWith('raw/')).length).toBe(before);
    }
  });
});

describe('the command line is audited too', () => {
  it("npm run sql records the SQL text (never its rows) in the folder's audit trail", async () => {
    const dir = tempDir('cli-audit-');
    const sql = "SELECT count(*) AS n FROM communes WHERE commune_code <> 'x'";
    await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'functions/src/entry/cli/sql.ts', sql, '--as', 'analyst'],
      {
        cwd: join(import.meta.dirname, '..', '..'),
        env: { ...process.env, DATA_DIR: dir, SCORECARD_NOW: '2026-12-01T00:00:00Z' },
      },
    );
    const rows = await new AuditLog(new FsObjectStore(dir), new ManualClock('2026-12-01T00:00:00Z')).query({
      from: new Date('2026-11-30T00:00:00Z'),
      to: new Date('2026-12-02T00:00:00Z'),
    });
    const q = rows.find((x) => (x as { action: string }).action === 'sql.query') as
      | { outcome: string; detail: { sql: string; via: string; rows: number } }
      | undefined;
    expect(q?.outcome).toBe('ok');
    expect(q?.detail).toMatchObject({ sql, via: 'cli', rows: 1 });
  }, 60_000);
});
