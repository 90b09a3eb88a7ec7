import { hostname, networkInterfaces } from 'node:os';
import { join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import {
  COMMUNES,
  type Commune,
  LIMITS,
  PLAN,
  type Role,
  say,
  yearInPlanZone,
} from '@scorecard/data-contracts';
import { type Context, Hono } from 'hono';
import { FsObjectStore } from '../../adapters/fs-store.ts';
import { createApi } from '../../api/app.ts';
import { defaultTokenKeyFile, loadTokenKey, localTokens } from '../../api/auth.ts';
import { apiError } from '../../api/respond.ts';
import { ALL_ROUTES } from '../../api/routes/index.ts';
import { dashboardCsp } from '../../api/security-headers.ts';
import { compactYear } from '../../compaction/compact.ts';
import { DEMO_MARKER_KEY, seedDemo } from '../../demo/generate.ts';
import { IngestService } from '../../ingest/ingest-service.ts';
import { loadLocalSecret, personKeyFromSecret } from '../../ingest/person-key.ts';
import { damagedFilesOf } from '../../integrity/verify.ts';
import { MartRefresher } from '../../marts/marts.ts';
import type { Clock } from '../../ports/clock.ts';
import { clockFromEnv } from '../../ports/clock.ts';
import type { ObjectStore } from '../../ports/object-store.ts';
import type { SqlEngine } from '../../ports/sql-engine.ts';
import { openWarehouse, type Warehouse } from '../../warehouse/duckdb-warehouse.ts';
import { guardAnalystSqlIsolated } from '../../warehouse/sql-guard-isolated.ts';
import { ANALYST_VIEWS } from '../../warehouse/views.ts';
import { localExportService } from './packs.ts';
import { defaultSignInCodeFile, LocalSignInGate } from './sign-in.ts';

export interface LocalServerOptions {
  dataDir: string;
  port: number;
  host?: string;
  personKeyFile: string;
  tokenKeyFile?: string;
  clock?: Clock;
  /** Load demo data into an empty data folder (SCORECARD_DEMO=off disables). */
  demo?: boolean;
  webDist?: string;
  watchIntervalMs?: number;
  quiet?: boolean;
  /** Where log lines go (JSON objects); default: stdout unless quiet. */
  log?: (line: Record<string, unknown>) => void;
  /** The dashboard's origin when it is served elsewhere (CORS is allowed for it only). */
  corsOrigin?: string;
  /** Real elapsed milliseconds for rate limiting (default performance.now). */
  elapsedMs?: () => number;
  /** Tests wrap the store to inject faults between writes. */
  wrapStore?: (store: ObjectStore) => ObjectStore;
  /** The reference list of communes (default: the province's, from data-contracts) — the bench passes a national one. */
  communes?: readonly Commune[];
  /**
   * Compaction of the data folder in the background (functions/src/compaction): every this many ms, each plan
   * year up to now; 0 turns it off. Default SCORECARD_COMPACT_HOURS (24 h); the first run comes
   * `compactFirstDelayMs` after start (default 10 min), so start-up and the first visits are not slowed.
   */
  compactEveryMs?: number;
  compactFirstDelayMs?: number;
  /** How long compacted inputs stay for readers that listed them (default 30 min). */
  compactGraceMs?: number;
  /** While a damaged file keeps the marts from refreshing, retry this often (default 5 s). */
  damageRetryMs?: number;
  /** Where the one-time sign-in code is kept (default: beside the token key). */
  signInCodeFile?: string;
  /**
   * Host header values answered besides loopback names and `host` (SCORECARD_ALLOWED_HOSTS, comma-separated):
   * any other Host is refused, so a web page cannot reach the server through DNS rebinding.
   */
  allowedHosts?: readonly string[];
}

/** The name part of a Host header: without the port, lower case, without a trailing dot; IPv6 in brackets. */
function hostName(header: string | undefined): string | null {
  const h = (header ?? '').trim().toLowerCase();
  if (h === '') return null;
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::([0-9]{1,5}))?$/.exec(h);
  return m ? (m[1] as string).replace(/\.$/, '') : null;
}

/** The Host names this server answers to. */
function allowedHostNames(host: string, extra: readonly string[] = []): Set<string> {
  const names = new Set([
    'localhost',
    '127.0.0.1',
    '[::1]',
    ...extra.map((x) => hostName(x) ?? '').filter((x) => x !== ''),
  ]);
  const wildcard = host === '0.0.0.0' || host === '::' || host === '[::]';
  if (!wildcard)
    names.add(hostName(host.includes(':') && !host.startsWith('[') ? `[${host}]` : host) ?? host);
  else {
    // Bound to every interface: the machine's name and its addresses.
    names.add(hostname().toLowerCase());
    for (const list of Object.values(networkInterfaces()))
      for (const a of list ?? []) names.add(a.family === 'IPv6' ? `[${a.address.toLowerCase()}]` : a.address);
  }
  return names;
}

export interface LocalServer {
  url: string;
  close(): Promise<void>;
  marts: MartRefresher;
  ingest: IngestService;
  warehouse: Warehouse;
  sign: (role: Role, commune?: string) => Promise<string>;
  /** The current one-time sign-in code (needed once the folder holds real data). */
  signInCode: () => string;
}

/** Security headers of the dashboard's pages and assets (the policy itself: api/security-headers.ts). */
const DASHBOARD_HEADERS: Record<string, string> = {
  'content-security-policy': dashboardCsp(),
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

export async function startLocalServer(o: LocalServerOptions): Promise<LocalServer> {
  const dataDir = resolve(o.dataDir);
  const clock = o.clock ?? clockFromEnv();
  const log =
    o.log ??
    (o.quiet ? () => undefined : (line: Record<string, unknown>) => console.log(JSON.stringify(line)));
  const fsStore = new FsObjectStore(dataDir);
  // Temporary files of a process killed mid-write, and the folder's permissions (0700).
  await fsStore.cleanTemporary();
  const store: ObjectStore = o.wrapStore ? o.wrapStore(fsStore) : fsStore;
  const personKey = personKeyFromSecret(loadLocalSecret(o.personKeyFile, dataDir));
  const tokenKey = loadTokenKey(o.tokenKeyFile ?? defaultTokenKeyFile(o.personKeyFile));
  const tokens = localTokens(tokenKey, clock);
  const signInGate = new LocalSignInGate(
    store,
    o.signInCodeFile ?? defaultSignInCodeFile(o.tokenKeyFile ?? defaultTokenKeyFile(o.personKeyFile)),
    (code) => {
      if (!o.quiet) console.log(say('server_sign_in_code', { code }));
    },
  );

  const empty = (await store.list('raw/')).length === 0;
  if (empty && o.demo !== false) {
    if (!o.quiet) console.log(say('demo_loading'));
    await seedDemo(store, personKey, clock.now(), (done, total) => {
      if (!o.quiet && process.stdout.isTTY) process.stdout.write(`\r  ${done}/${total}`);
    });
    if (!o.quiet && process.stdout.isTTY) process.stdout.write('\n');
  }

  const communes = o.communes ?? COMMUNES;
  // A damaged file (integrity/verify.ts) never stops the server nor changes a figure: the load that finds it
  // fails, the last good marts stay served, /health names the file (503 degraded) and the log says it; while
  // damaged, a refresh is retried every few seconds, so `npm run repair` brings the server back by itself.
  let damage: { files: string[]; since: string } | null = null;
  const noteDamage = (e: unknown): boolean => {
    const files = damagedFilesOf(e, dataDir);
    if (!files) return false;
    if (damage?.files.join('\n') !== files.join('\n'))
      log({ at: clock.now().toISOString(), level: 'error', event: 'integrity_failed', files });
    damage = { files, since: damage?.since ?? clock.now().toISOString() };
    return true;
  };
  const open = () =>
    openWarehouse({
      dataDir,
      clock,
      communes,
      overlapReloads: false,
      guard: guardAnalystSqlIsolated,
      // Analysts' SQL in a process of its own, whose memory the server bounds and takes back.
      analysts: 'process',
    });
  // Only the marts refresh reads this database: release the old snapshot before loading the next (half the peak memory).
  let warehouse: Warehouse | null = null;
  try {
    warehouse = await open();
  } catch (e) {
    if (!noteDamage(e)) throw e;
  }
  const ensureWarehouse = async (): Promise<Warehouse> => {
    warehouse ??= await open();
    return warehouse;
  };
  const marts = new MartRefresher({
    store,
    clock,
    snapshot: async () => {
      try {
        const wh = await ensureWarehouse();
        await wh.reload();
        damage = null;
        return { engine: wh, asOf: wh.asOf, release: async () => undefined };
      } catch (e) {
        noteDamage(e);
        throw e;
      }
    },
    debounceMs: LIMITS.martDebounceMs,
    log,
  });
  const ingest = new IngestService({ store, clock, personKey, communes });
  try {
    await marts.refreshNow();
  } catch (e) {
    if (!damage) throw e;
  }
  marts.watch(o.watchIntervalMs ?? 1000);
  const retry = setInterval(() => {
    if (damage) marts.schedule();
  }, o.damageRetryMs ?? 5_000);
  retry.unref();
  // The analysts' engine of whichever warehouse is open; while none can be, its queries fail with DamagedFiles.
  const analyst: SqlEngine = {
    query: async (sql, opts) => (await ensureWarehouse()).analyst.query(sql, opts),
    close: async () => undefined,
  };
  const compaction = scheduleCompaction(store, clock, o, log);

  const api = createApi({
    routes: ALL_ROUTES,
    mode: 'local',
    store,
    clock,
    ingest,
    marts,
    tokens: tokens.verifier,
    sql: { analystEngine: () => analyst, guard: (sql) => guardAnalystSqlIsolated(sql, ANALYST_VIEWS) },
    health: () => {
      const files = [...(damage?.files ?? []), ...marts.damaged];
      return files.length > 0 ? { status: 'degraded', damaged: files } : { status: 'ok' };
    },
    localSignIn: {
      sign: (role, commune) => tokens.sign(role, commune),
      codeRequired: () => signInGate.codeRequired(),
      codeRequiredForDisplay: () => signInGate.codeRequiredForDisplay(),
      useCode: (code) => signInGate.useCode(code),
    },
    isDemo: () => store.exists(DEMO_MARKER_KEY),
    onAccepted: () => marts.schedule(),
    history: marts.history,
    exports: localExportService({ dataDir, store, clock }),
    log,
    ...(o.corsOrigin ? { corsOrigin: o.corsOrigin } : {}),
    ...(o.elapsedMs ? { elapsedMs: o.elapsedMs } : {}),
  });

  const host = o.host ?? '127.0.0.1';
  const envHosts = (process.env.SCORECARD_ALLOWED_HOSTS ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
  const allowedHosts = allowedHostNames(host, [...(o.allowedHosts ?? []), ...envHosts]);
  const app = new Hono();
  // DNS rebinding: a page from elsewhere that resolves its own name to this machine still sends its own Host.
  app.use('*', async (c, next) => {
    const name = hostName(c.req.header('host'));
    if (name === null || !allowedHosts.has(name)) {
      return apiError(c, 421, 'host_not_allowed', {
        host: (c.req.header('host') ?? '').slice(0, 100),
        allowed: [...allowedHosts].slice(0, 5).join(', '),
      });
    }
    return next();
  });
  app.route('/', api);
  const webDist = resolve(o.webDist ?? join(import.meta.dirname, '../../../../web/dist'));
  // The dashboard: files of web/dist through serveStatic (path checks, streaming, ranges), with the dashboard's
  // security headers and caching (hashed assets for a year, the rest revalidated); any other path is a page of
  // the single-page app and gets index.html.
  const assets = join(webDist, 'assets');
  const dashboardHeaders = (path: string, c: Context) => {
    c.header('cache-control', path.startsWith(assets) ? 'public, max-age=31536000, immutable' : 'no-cache');
    for (const [k, v] of Object.entries(DASHBOARD_HEADERS)) c.header(k, v);
  };
  app.get(
    '*',
    async (c, next) => {
      if (c.req.path.startsWith('/api/')) return c.notFound();
      try {
        decodeURIComponent(c.req.path);
      } catch {
        // A malformed %-escape is the client's mistake: 400, never a 500.
        return apiError(c, 400, 'bad_request', { detail: 'URL' });
      }
      return next();
    },
    serveStatic({ root: webDist, onFound: dashboardHeaders }),
    serveStatic({ root: webDist, path: 'index.html', onFound: dashboardHeaders }),
    (c) => c.text('Dashboard not built: run npm run build:web', 503),
  );

  const server = await new Promise<ReturnType<typeof serve>>((resolveServer, reject) => {
    const s = serve({ fetch: app.fetch, port: o.port, hostname: host }, () => resolveServer(s));
    s.once('error', async (e: NodeJS.ErrnoException) => {
      compaction.stop();
      clearInterval(retry);
      marts.stop();
      await warehouse?.close();
      reject(e.code === 'EADDRINUSE' ? new Error(say('port_busy', { port: o.port })) : e);
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : o.port;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    marts,
    ingest,
    get warehouse() {
      if (!warehouse) throw new Error('the warehouse could not be opened: see /health');
      return warehouse;
    },
    sign: (role, commune) => tokens.sign(role, commune),
    signInCode: () => signInGate.code,
    close: async () => {
      compaction.stop();
      await compaction.idle();
      clearInterval(retry);
      marts.stop();
      await warehouse?.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** The background compaction of the local data folder: one run at a time, each plan year up to now. */
function scheduleCompaction(
  store: ObjectStore,
  clock: Clock,
  o: LocalServerOptions,
  log: (line: Record<string, unknown>) => void,
) {
  const hours = Number(process.env.SCORECARD_COMPACT_HOURS ?? 24);
  const every = o.compactEveryMs ?? (Number.isFinite(hours) && hours > 0 ? hours * 3_600_000 : 0);
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const timers: NodeJS.Timeout[] = [];
  const run = () => {
    running = running.then(async () => {
      const current = yearInPlanZone(PLAN, clock.now());
      for (const year of PLAN.years.filter((y) => y <= current)) {
        if (stopped) return;
        try {
          const r = await compactYear({
            store,
            clock,
            year,
            ...(o.compactGraceMs !== undefined ? { graceMs: o.compactGraceMs } : {}),
          });
          if (r.status !== 'nothing_to_do' || r.swept.length > 0)
            log({
              event: 'compaction',
              year,
              status: r.status,
              files_before: r.files_before,
              files_after: r.files_after,
              swept: r.swept.length,
            });
        } catch (e) {
          log({ event: 'compaction_failed', year, error: (e as Error).message });
        }
      }
    });
  };
  if (every > 0) {
    const first = setTimeout(
      () => {
        run();
        const t = setInterval(run, every);
        t.unref();
        timers.push(t);
      },
      o.compactFirstDelayMs ?? 10 * 60_000,
    );
    first.unref();
    timers.push(first);
  }
  return {
    stop: () => {
      stopped = true;
      for (const t of timers) clearTimeout(t);
    },
    idle: () => running,
  };
}
