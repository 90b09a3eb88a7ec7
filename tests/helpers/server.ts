// A real local server on loopback over a temporary data folder, with a fixed clock. Its client checks every
// answer from /api/v1 against the OpenAPI document (openapi-check.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type LocalServer, startLocalServer } from '@scorecard/functions/entry/local/server.ts';
import { ManualClock } from '@scorecard/functions/ports/clock.ts';
import type { ObjectStore } from '@scorecard/functions/ports/object-store.ts';
import { tempDir } from './data-dir.ts';
import { checkAnswer } from './openapi-check.ts';

export interface TestServer extends LocalServer {
  dataDir: string;
  /** The person-key secret's file (outside the data folder, as in production). */
  personKeyFile: string;
  clock: ManualClock;
  tokens: Record<'leader' | 'analyst' | 'admin' | 'commune' | 'otherCommune', string>;
  call(path: string, init?: RequestInit & { token?: string; json?: unknown }): Promise<Response>;
}

export const OWN = '28249';
export const OTHER = '28261';

export async function testServer(
  opts: {
    now?: string;
    demo?: boolean;
    dataDir?: string;
    log?: (line: Record<string, unknown>) => void;
    corsOrigin?: string;
    elapsedMs?: () => number;
    wrapStore?: (store: ObjectStore) => ObjectStore;
    webDist?: string;
    damageRetryMs?: number;
  } = {},
): Promise<TestServer> {
  const dataDir = opts.dataDir ?? tempDir('api-');
  const conf = tempDir('conf-');
  const clock = new ManualClock(opts.now ?? '2026-11-20T03:00:00Z');
  const personKeyFile = join(conf, 'person-key');
  const server = await startLocalServer({
    dataDir,
    port: 0,
    personKeyFile,
    clock,
    demo: opts.demo ?? false,
    watchIntervalMs: 200,
    quiet: true,
    ...(opts.log ? { log: opts.log } : {}),
    ...(opts.corsOrigin ? { corsOrigin: opts.corsOrigin } : {}),
    ...(opts.elapsedMs ? { elapsedMs: opts.elapsedMs } : {}),
    ...(opts.wrapStore ? { wrapStore: opts.wrapStore } : {}),
    ...(opts.webDist ? { webDist: opts.webDist } : {}),
    ...(opts.damageRetryMs ? { damageRetryMs: opts.damageRetryMs } : {}),
  });
  const tokens = {
    leader: await server.sign('leader'),
    analyst: await server.sign('analyst'),
    admin: await server.sign('admin'),
    commune: await server.sign('commune', OWN),
    otherCommune: await server.sign('commune', OTHER),
  };
  const call = async (path: string, init: RequestInit & { token?: string; json?: unknown } = {}) => {
    const headers = new Headers(init.headers);
    if (init.token) headers.set('authorization', `Bearer ${init.token}`);
    let body = init.body;
    if (init.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(init.json);
    }
    const url = `${server.url}${path}`;
    const answer = await fetch(url, { ...init, headers, body });
    // Every answer is checked against the API document (issue 25, item 10): it cannot drift unnoticed.
    await checkAnswer(init.method ?? 'GET', url, answer);
    return answer;
  };
  // Not a spread: `warehouse` is a getter (it throws while the server is degraded), read when a test asks.
  return {
    url: server.url,
    close: server.close,
    marts: server.marts,
    ingest: server.ingest,
    sign: server.sign,
    signInCode: server.signInCode,
    get warehouse() {
      return server.warehouse;
    },
    dataDir,
    personKeyFile,
    clock,
    tokens,
    call,
  };
}

/** Resident memory of a process, from /proc (Linux, as on CI); 0 once it has gone. */
function rssOf(pid: number | null | undefined): number {
  if (!pid) return 0;
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return Number(kb ?? 0) * 1024;
  } catch {
    return 0; // it has just been stopped
  }
}

/** A test server's whole footprint: this process (the server runs in it) and its analysts' process. */
export function serverRss(server: TestServer): number {
  return process.memoryUsage.rss() + rssOf(server.warehouse.analystProcess()?.pid);
}
