// `npm start` — the README's first command — serves /api/v1/health and the dashboard shell, loading the demo
// into an empty data folder. (That it also installs on a fresh clone is the bootstrap's job: .ci/run checks it.)
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listFiles, tempDir } from '../helpers/data-dir.ts';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

let child: ChildProcess | null = null;
afterAll(() => {
  if (child?.pid) process.kill(-child.pid, 'SIGTERM');
});

describe('npm start', () => {
  it('serves health and the dashboard shell with demo data on an empty data folder', async () => {
    const port = await freePort();
    const dataDir = tempDir('start-');
    let output = '';
    child = spawn('npm', ['start'], {
      cwd: join(import.meta.dirname, '../..'),
      detached: true,
      env: {
        ...process.env,
        PORT: String(port),
        DATA_DIR: dataDir,
        PERSON_KEY_FILE: join(tempDir('key-'), 'person-key'),
        SCORECARD_NOW: '2026-11-20T03:00:00Z',
        SCORECARD_QUIET: '1',
      },
    });
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 170_000;
    let health: Response | null = null;
    while (Date.now() < deadline) {
      health = await fetch(`${base}/api/v1/health`).catch(() => null);
      if (health?.ok) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(health?.status, output).toBe(200);
    expect(await health!.json()).toMatchObject({ status: 'ok', mode: 'local', demo: true });
    const shell = await fetch(`${base}/`);
    expect(shell.status).toBe(200);
    const html = await shell.text();
    expect(html).toContain('<div id="root"');
    expect(html).toContain('lang="vi"');
    expect(listFiles(dataDir).some((f) => f.startsWith('curated/submissions/year=2026/'))).toBe(true);
    expect(output).toContain('http://127.0.0.1');
  }, 200_000);
});
