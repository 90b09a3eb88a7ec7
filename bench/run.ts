// `npm run bench`: the national-scale benchmarks. Prints a table and writes bench/results.json.
// Wall-clock numbers on a shared 2-core machine are noisy: every goal is also reported as a ratio measured in
// the same run (ours vs a baseline doing the same work), and ingest also as submissions per CPU-second.
//
// Env: BENCH_COMMUNES (default 3321), BENCH_INGEST_COMMUNES (communes in the fresh ingest sample, default 120),
// BENCH_SKIP_BROWSER=1, BENCH_SKIP_CHILD=1.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { COMMUNES, type Commune, PLAN } from '@scorecard/data-contracts';
import { FsObjectStore } from '@scorecard/functions/adapters/fs-store.ts';
import { defaultTokenKeyFile, loadTokenKey, localTokens } from '@scorecard/functions/api/auth.ts';
import { type CompactResult, compactYear } from '@scorecard/functions/compaction/compact.ts';
import { startLocalServer } from '@scorecard/functions/entry/local/server.ts';
import { clockFromEnv } from '@scorecard/functions/ports/clock.ts';
import { openWarehouse } from '@scorecard/functions/warehouse/duckdb-warehouse.ts';
import { CHROMIUM, launchChromium } from '@scorecard/tests/helpers/chromium.ts';
import { rowsFromArrow } from '@scorecard/web/lib/arrow.ts';
import { naiveProvinceKpis } from './baseline.ts';
import {
  BENCH_NOW,
  BENCH_SECRET,
  benchPlan,
  benchSubmission,
  type Dataset,
  dataset,
  GENERATOR_VERSION,
  ingestItems,
  NATIONAL_COMMUNES,
} from './generate.ts';
import { useNationalCommunes } from './national-communes.ts';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'bench', 'out');
const N = Number(process.env.BENCH_COMMUNES || NATIONAL_COMMUNES);
const INGEST_COMMUNES = Number(process.env.BENCH_INGEST_COMMUNES || 120);
const YEAR = 2030;
const ARROW = 'application/vnd.apache.arrow.stream';

const started = performance.now();
const log = (s: string) =>
  console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${s}`);

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] as number;
}
const median = (xs: number[]) => pct(xs, 50);
const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;

/** A compacted twin of a generated folder (hard-linked copy, then compactYear for every plan year), cached. */
async function compacted(
  d: Dataset,
): Promise<{ dir: string; results: CompactResult[]; ms: number; cached: boolean }> {
  const base = `${d.dir.replace(/\/data$/, '')}-compacted`;
  const dir = join(base, 'data');
  const done = join(base, 'DONE.json');
  if (existsSync(done))
    return {
      dir,
      ...(JSON.parse(readFileSync(done, 'utf8')) as { results: CompactResult[]; ms: number }),
      cached: true,
    };
  rmSync(base, { recursive: true, force: true });
  mkdirSync(base, { recursive: true });
  // Hard links: compaction only creates and deletes objects (never rewrites one in place), so the source stays intact.
  execFileSync('cp', ['-al', d.dir, dir]);
  const store = new FsObjectStore(dir);
  const clock = clockFromEnv({ SCORECARD_NOW: '2031-01-01T00:00:00Z' });
  const results: CompactResult[] = [];
  const t0 = performance.now();
  for (const year of PLAN.years) {
    const r = await compactYear({ store, clock, year, graceMs: 0 });
    log(`  compacted ${year}: ${r.files_before} → ${r.files_after} files`);
    results.push(r);
  }
  const ms = performance.now() - t0;
  writeFileSync(done, JSON.stringify({ results, ms }, null, 2));
  return { dir, results, ms, cached: false };
}

function keysDir(): { personKeyFile: string } {
  const dir = join(OUT, 'keys');
  mkdirSync(dir, { recursive: true });
  const personKeyFile = join(dir, 'person-key');
  if (!existsSync(personKeyFile)) writeFileSync(personKeyFile, BENCH_SECRET, { mode: 0o600 });
  return { personKeyFile };
}

async function timeGet(url: string, headers: Record<string, string>, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const res = await fetch(url, { headers });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${url}: ${res.status}`);
    out.push(performance.now() - t);
  }
  return out;
}

async function vmHwmMb(pid: number): Promise<{ hwm: number; rss: number }> {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? 0);
  return { hwm: kb('VmHWM') / 1024, rss: kb('VmRSS') / 1024 };
}

async function dashboardOverview(url: string, token: string): Promise<{ cold: number; warm: number } | null> {
  if (process.env.BENCH_SKIP_BROWSER === '1' || !existsSync(CHROMIUM)) return null;
  const browser = await launchChromium();
  try {
    const kpis = PLAN.kpis.length;
    const visit = async (page: import('playwright-core').Page) => {
      const t = performance.now();
      await page.goto(`${url}/`, { waitUntil: 'commit' });
      await page.waitForFunction(
        (n) => document.querySelectorAll('[data-testid^="kpi-value-"]').length >= n,
        kpis,
        { timeout: 60_000 },
      );
      return performance.now() - t;
    };
    const context = await browser.newContext();
    await context.addInitScript(
      (t) => sessionStorage.setItem('scorecard.session', JSON.stringify({ token: t, role: 'leader' })),
      token,
    );
    const page = await context.newPage();
    const cold = await visit(page);
    const warm: number[] = [];
    for (let i = 0; i < 3; i++) warm.push(await visit(page));
    await context.close();
    return { cold, warm: median(warm) };
  } finally {
    await browser.close();
  }
}

async function childServer(
  dataDir: string,
  personKeyFile: string,
  communes: number,
  leaderToken: string,
  adminToken: string,
  sub: unknown,
) {
  if (process.env.BENCH_SKIP_CHILD === '1') return null;
  const entry = join(ROOT, 'functions', 'src', 'entry', 'local', 'main.ts');
  // The server's entry moved once (issue 18) and the bench measured a server that never started: fail loudly.
  if (!existsSync(entry)) throw new Error(`bench: the local server's entry is not at ${entry}`);
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', join(ROOT, 'bench', 'national-communes.ts'), entry],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: '0',
        DATA_DIR: dataDir,
        PERSON_KEY_FILE: personKeyFile,
        SCORECARD_DEMO: 'off',
        SCORECARD_QUIET: '1',
        SCORECARD_NOW: BENCH_NOW,
        BENCH_PRELOAD_COMMUNES: String(communes),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const pid = child.pid as number;
  const childLog: string[] = [];
  child.stderr?.on('data', (d: Buffer) => childLog.push(d.toString()));
  let exited: string | null = null;
  child.on('exit', (code, signal) => (exited = `exit ${code ?? ''}${signal ?? ''}`));
  let peak = 0;
  const sampler = setInterval(() => {
    vmHwmMb(pid)
      .then((m) => (peak = Math.max(peak, m.hwm)))
      .catch(() => undefined);
  }, 100);
  try {
    const url = await new Promise<string>((resolveUrl, reject) => {
      let buf = '';
      const timer = setTimeout(() => reject(new Error(`child server did not start: ${buf}`)), 300_000);
      child.stdout?.on('data', (d: Buffer) => {
        buf += d.toString();
        const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(buf);
        if (m) {
          clearTimeout(timer);
          resolveUrl(m[1] as string);
        }
      });
      child.stderr?.on('data', (d: Buffer) => (buf += d.toString()));
      child.on('exit', (code) => reject(new Error(`child server exited ${code}: ${buf}`)));
    });
    const h = { authorization: `Bearer ${leaderToken}` };
    await timeGet(`${url}/api/v1/kpis?year=${YEAR}`, h, 50);
    await timeGet(`${url}/api/v1/kpis/communes?year=${YEAR}`, h, 50);
    await timeGet(`${url}/api/v1/kpis/communes?year=${YEAR}`, { ...h, accept: ARROW }, 20);
    // One submission through the API: ingest + a debounced full mart refresh in the child.
    // A new mart generation shows as a new ETag (refreshed_at stays the same under the fixed SCORECARD_NOW).
    const generation = async () =>
      (await fetch(`${url}/api/v1/kpis?year=${YEAR}`, { headers: h })).headers.get('etag');
    const before = await generation();
    const post = await fetch(`${url}/api/v1/submissions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(sub),
    });
    if (post.status !== 201) throw new Error(`child POST /submissions: ${post.status} ${await post.text()}`);
    for (let i = 0; i < 600; i++) {
      await new Promise((r) => setTimeout(r, 250));
      if ((await generation()) !== before) break;
    }
    const m = await vmHwmMb(pid);
    return { peak_mb: Math.max(peak, m.hwm), rss_end_mb: m.rss, error: null as string | null };
  } catch (e) {
    // The server died (or stopped answering): report the peak seen so far and why.
    writeFileSync(join(OUT, 'child-server.log'), childLog.join(''));
    return {
      peak_mb: peak,
      rss_end_mb: 0,
      error: `${(e as Error).message}${exited ? ` (server ${exited})` : ''}; see bench/out/child-server.log`,
    };
  } finally {
    clearInterval(sampler);
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

async function main() {
  log(
    `Commune Scorecard bench — ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}, load ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  mkdirSync(OUT, { recursive: true });
  const { personKeyFile } = keysDir();
  const clock = clockFromEnv({ SCORECARD_NOW: BENCH_NOW });

  // 1. Data (cached by generator version): the national folder through the ingest pipeline committed in batches
  // as compacted files; the province folder one submission at a time (small files), then compacted.
  const national = await dataset('national', N, OUT, log, 'batch');
  log(
    `national: ${national.communes.length} communes, ${national.items.length} submissions, ${national.cadre_rows} cadre rows (latest versions) ${national.cached ? '(cached)' : `(generated in ${(national.ingest.ms / 1000).toFixed(0)} s)`}`,
  );
  const natC = { dir: national.dir };
  const province = await dataset('province', COMMUNES.length, OUT, log, 'real');
  const provC = await compacted(province);
  const filesBefore = provC.results.reduce((a, r) => a + r.files_before, 0);
  const filesAfter = provC.results.reduce((a, r) => a + r.files_after, 0);
  log(
    `compaction (province): ${filesBefore} → ${filesAfter} files in ${(provC.ms / 1000).toFixed(1)} s${provC.cached ? ' (cached)' : ''}`,
  );

  // 2. Ingest throughput, single process, fresh folder: the real pipeline, 1 and 8 in flight.
  const sampleCommunes = national.communes;
  const sample = benchPlan(sampleCommunes).filter((e) => e.ci < INGEST_COMMUNES);
  const ingest: Record<string, Awaited<ReturnType<typeof ingestItems>>> = {};
  for (const [variant, conc] of [
    ['real', 1],
    ['real', 8],
  ] as const) {
    const dir = join(OUT, `ingest-sample-${variant}-${conc}`);
    rmSync(dir, { recursive: true, force: true });
    ingest[`${variant}_${conc}`] = await ingestItems(dir, sample, sampleCommunes, undefined, variant, conc);
    const m = ingest[`${variant}_${conc}`];
    log(
      `ingest ${variant} ×${conc}: ${m?.submissions} submissions, ${r1(m?.submissions_per_s ?? 0)}/s wall, ${r1(m?.submissions_per_cpu_s ?? 0)}/CPU-s`,
    );
    rmSync(dir, { recursive: true, force: true });
  }

  // 3. Province server: incremental refresh after one submission (before the reference list goes national).
  const provServer = await startLocalServer({
    dataDir: provC.dir,
    port: 0,
    personKeyFile,
    clock,
    demo: false,
    quiet: true,
  });
  provServer.marts.stop(); // no watcher: only our refreshes run
  const incremental: number[] = [];
  const provPlan = benchPlan(province.communes);
  for (let i = 0; i < 5; i++) {
    const e = provPlan.filter((x) => x.year === YEAR)[i] as (typeof provPlan)[number];
    const s = benchSubmission(province.communes, e);
    s.report.dialogues_held = (s.report.dialogues_held + 1 + i) % 50; // a genuine correction
    s.report.citizen_reception_days = 100 + (Date.now() % 200);
    const r = await provServer.ingest.ingest(s, { actor: { sub: 'bench', role: 'admin' } });
    if (r.status !== 'accepted')
      throw new Error(`province correction: ${r.status} ${JSON.stringify(r.errors.slice(0, 2))}`);
    await provServer.marts.refreshNow();
    incremental.push(provServer.marts.lastDurationMs);
  }
  await provServer.close();
  log(`incremental refresh (province, ${COMMUNES.length} communes): median ${r1(median(incremental))} ms`);

  // 4. National server (in process).
  const communes: Commune[] = useNationalCommunes(N);
  const server = await startLocalServer({
    dataDir: natC.dir,
    port: 0,
    personKeyFile,
    clock,
    demo: false,
    quiet: true,
    communes,
  });
  server.marts.stop();
  const full: number[] = [];
  for (let i = 0; i < 2; i++) {
    await server.marts.refreshNow();
    full.push(server.marts.lastDurationMs);
  }
  log(`full refresh (national): ${full.map((x) => Math.round(x)).join(', ')} ms`);
  const leader = await server.sign('leader');
  // The server's time to the last byte, as measured before answers were compressed: fetch would otherwise ask
  // for gzip and count its own decompression. The compressed answer is measured on its own below.
  const auth = { authorization: `Bearer ${leader}`, 'accept-encoding': 'identity' };
  await timeGet(`${server.url}/api/v1/kpis?year=${YEAR}`, auth, 20);
  await timeGet(`${server.url}/api/v1/kpis/communes?year=${YEAR}`, auth, 20);
  const kpisT = await timeGet(`${server.url}/api/v1/kpis?year=${YEAR}`, auth, 200);
  const communesT = await timeGet(`${server.url}/api/v1/kpis/communes?year=${YEAR}`, auth, 200);
  const communesArrowT = await timeGet(
    `${server.url}/api/v1/kpis/communes?year=${YEAR}`,
    { ...auth, accept: ARROW },
    100,
  );
  // As a browser asks for it: gzip (kept with the answer, respond.ts), decompressed by the client.
  const gzipAuth = { ...auth, 'accept-encoding': 'gzip' };
  const communesGzipT = await timeGet(`${server.url}/api/v1/kpis/communes?year=${YEAR}`, gzipAuth, 100);
  const gzipBytes = Number(
    (await fetch(`${server.url}/api/v1/kpis/communes?year=${YEAR}`, { headers: gzipAuth })).headers.get(
      'content-length',
    ),
  );
  log(
    `API /kpis p50 ${r2(median(kpisT))} p95 ${r2(pct(kpisT, 95))} ms; /kpis/communes p95 ${r2(pct(communesT, 95))} ms (JSON), ${r2(pct(communesArrowT, 95))} ms (Arrow), ${r2(pct(communesGzipT, 95))} ms (gzip, ${gzipBytes} B, client gunzip included)`,
  );

  // Analysts' SQL, in its own process (warehouse/analyst-process.ts): the first statement starts the process and
  // loads the analysts' database; then a typical aggregate over the per-person view. Its memory is the child's.
  const analystToken = await server.sign('analyst');
  const sqlPost = async (sql: string) => {
    const t = performance.now();
    const r = await fetch(`${server.url}/api/v1/sql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${analystToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ sql }),
    });
    await r.arrayBuffer();
    if (r.status !== 200) throw new Error(`bench: analysts' SQL answered ${r.status}`);
    return performance.now() - t;
  };
  const analystSql =
    'SELECT year, category, count(*) AS n FROM cadres GROUP BY year, category ORDER BY year, category';
  const sqlFirst = await sqlPost(analystSql);
  const sqlT: number[] = [];
  for (let i = 0; i < 20; i++) sqlT.push(await sqlPost(analystSql));
  const analystPid = server.warehouse.analystProcess()?.pid;
  const analystMem = analystPid ? await vmHwmMb(analystPid) : null;
  log(
    `analysts' SQL (own process): first ${Math.round(sqlFirst)} ms (start + load), then p50 ${r1(median(sqlT))} p95 ${r1(pct(sqlT, 95))} ms; its peak RSS ${analystMem ? Math.round(analystMem.hwm) : '?'} MB`,
  );

  // Arrow vs JSON: bytes and client decode (the dashboard's own decoder for Arrow).
  const jsonText = await (
    await fetch(`${server.url}/api/v1/kpis/communes?year=${YEAR}`, { headers: auth })
  ).text();
  const arrowBytes = new Uint8Array(
    await (
      await fetch(`${server.url}/api/v1/kpis/communes?year=${YEAR}`, { headers: { ...auth, accept: ARROW } })
    ).arrayBuffer(),
  );
  const jsonDecode: number[] = [];
  const arrowDecode: number[] = [];
  let rowsJ = 0;
  let rowsA = 0;
  for (let i = 0; i < 30; i++) {
    let t = performance.now();
    rowsJ = (JSON.parse(jsonText) as { rows: unknown[] }).rows.length;
    jsonDecode.push(performance.now() - t);
    t = performance.now();
    rowsA = rowsFromArrow(arrowBytes).length;
    arrowDecode.push(performance.now() - t);
  }
  if (rowsA !== rowsJ) throw new Error(`Arrow rows ${rowsA} ≠ JSON rows ${rowsJ}`);
  if (rowsJ < communes.length)
    throw new Error(
      `/kpis/communes returned ${rowsJ} rows for ${communes.length} communes (marts truncated?)`,
    );

  // Per-request baseline: the same answers by evaluating the views per request, on the same data.
  // Nothing materialised: each query evaluates its view chain from the base tables, as a per-request design would.
  const wh = await openWarehouse({ dataDir: natC.dir, clock, communes, materialise: 'none' });
  const perReqKpis: number[] = [];
  const perReqCommunes: number[] = [];
  for (let i = 0; i < 6; i++) {
    let t = performance.now();
    await wh.query(`SELECT * FROM kpi_province_year WHERE year = ${YEAR}`);
    perReqKpis.push(performance.now() - t);
    t = performance.now();
    await wh.query(`SELECT * FROM kpi_commune_year WHERE year = ${YEAR}`, { maxRows: 1_000_000 });
    perReqCommunes.push(performance.now() - t);
  }
  log(
    `per-request views: /kpis p95 ${r1(pct(perReqKpis, 95))} ms, /kpis/communes p95 ${r1(pct(perReqCommunes, 95))} ms`,
  );

  // Naive baseline vs ours, same work: province KPIs for every plan year from the stored data, from scratch.
  const oursScratch: number[] = [];
  let ours: Record<string, unknown>[] = [];
  for (let i = 0; i < 2; i++) {
    const t = performance.now();
    await wh.reload();
    ours = (await wh.query('SELECT year, kpi, numerator, denominator FROM kpi_province_year')).rows;
    oursScratch.push(performance.now() - t);
  }
  await wh.close();
  const naiveT: number[] = [];
  let naive: Awaited<ReturnType<typeof naiveProvinceKpis>> = [];
  for (let i = 0; i < 1; i++) {
    const t = performance.now();
    naive = await naiveProvinceKpis(natC.dir, communes);
    naiveT.push(performance.now() - t);
  }
  const oursMap = new Map(ours.map((r) => [`${r.year}/${r.kpi}`, `${r.numerator}/${r.denominator}`]));
  const mismatches = naive.filter(
    (k) => oursMap.get(`${k.year}/${k.kpi}`) !== `${k.numerator}/${k.denominator}`,
  );
  log(
    `naive TS KPIs from JSON: ${Math.round(median(naiveT))} ms vs ours from scratch ${Math.round(median(oursScratch))} ms; ${naive.length - mismatches.length}/${naive.length} figures identical`,
  );

  // Dashboard overview in Chromium.
  if (!existsSync(join(ROOT, 'web', 'dist', 'index.html')))
    execFileSync('npx', ['vite', 'build', 'web', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  const dash = await dashboardOverview(server.url, leader);
  log(
    `dashboard overview: ${dash ? `${Math.round(dash.cold)} ms cold, ${Math.round(dash.warm)} ms warm` : 'skipped'}`,
  );
  await server.close();

  // Peak RSS of the local server in its own process (start + first full refresh + requests + one submission).
  const e = benchPlan(communes)
    .filter((x) => x.year === YEAR)
    .at(-1) as (typeof national.items)[number];
  const extra = benchSubmission(communes, e);
  extra.report.dialogues_held = (extra.report.dialogues_held + 7) % 50;
  const tokens = localTokens(loadTokenKey(defaultTokenKeyFile(personKeyFile)), clock);
  const childDir = `${natC.dir}-child`;
  rmSync(childDir, { recursive: true, force: true });
  execFileSync('cp', ['-al', natC.dir, childDir]);
  const child = await childServer(
    childDir,
    personKeyFile,
    N,
    await tokens.sign('leader'),
    await tokens.sign('admin'),
    extra,
  );
  rmSync(childDir, { recursive: true, force: true });
  log(
    `server peak RSS: ${child ? `${Math.round(child.peak_mb)} MB${child.error ? ` — ${child.error}` : ''}` : 'skipped'}`,
  );

  const realSeq = ingest.real_1 as NonNullable<(typeof ingest)['real_1']>;
  const realConc = ingest.real_8 as NonNullable<(typeof ingest)['real_8']>;
  const results = {
    generated_at: new Date().toISOString(),
    machine: {
      cores: cpus().length,
      cpu: cpus()[0]?.model ?? null,
      mem_gb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      loadavg_end: loadavg().map(r2),
    },
    generator_version: GENERATOR_VERSION,
    'scale.communes': national.communes.length,
    'scale.cadre_rows': national.cadre_rows,
    'scale.submissions': national.items.length,
    'scale.cadre_rows_ingested': national.ingest.cadre_rows_ingested,
    // Headline ingest: the real IngestService, one process, 8 submissions in flight (as the API server would).
    ingest_submissions_per_s: r1(realConc.submissions_per_s),
    ingest_rows_per_s: Math.round(realConc.rows_per_s),
    ingest_sample_submissions: realConc.submissions,
    ingest_sequential_submissions_per_s: r1(realSeq.submissions_per_s),
    ingest_submissions_per_cpu_s: r1(realConc.submissions_per_cpu_s),
    national_generation_s: Math.round(national.ingest.ms / 1000),
    national_generation_submissions_per_s: r1(national.ingest.submissions_per_s),
    compaction_scope: `province (${province.communes.length} communes, ${province.items.length} submissions)`,
    compaction_files_before: filesBefore,
    compaction_files_after: filesAfter,
    compaction_ms: Math.round(provC.ms),
    compaction_files_per_s: Math.round((filesBefore / provC.ms) * 1000),
    refresh_full_ms: Math.round(median(full)),
    refresh_incremental_ms: Math.round(median(incremental)),
    api_kpis_p50_ms: r2(median(kpisT)),
    api_kpis_p95_ms: r2(pct(kpisT, 95)),
    api_communes_p50_ms: r2(median(communesT)),
    api_communes_p95_ms: r2(pct(communesT, 95)),
    api_communes_arrow_p95_ms: r2(pct(communesArrowT, 95)),
    api_communes_gzip_p95_ms: r2(pct(communesGzipT, 95)),
    gzip_bytes: gzipBytes,
    api_per_request_p95_ms: r1(pct(perReqKpis, 95)),
    api_per_request_communes_p95_ms: r1(pct(perReqCommunes, 95)),
    api_speedup: r1(pct(perReqKpis, 95) / pct(kpisT, 95)),
    api_communes_speedup: r1(pct(perReqCommunes, 95) / pct(communesT, 95)),
    arrow_bytes: arrowBytes.byteLength,
    json_bytes: Buffer.byteLength(jsonText),
    arrow_decode_ms: r2(median(arrowDecode)),
    json_decode_ms: r2(median(jsonDecode)),
    kpis_communes_rows: rowsJ,
    dashboard_overview_ms: dash ? Math.round(dash.cold) : null,
    dashboard_overview_warm_ms: dash ? Math.round(dash.warm) : null,
    analyst_sql_first_ms: Math.round(sqlFirst),
    analyst_sql_p50_ms: r1(median(sqlT)),
    analyst_sql_p95_ms: r1(pct(sqlT, 95)),
    analyst_process_peak_rss_mb: analystMem ? Math.round(analystMem.hwm) : null,
    server_peak_rss_mb: child ? Math.round(child.peak_mb) : null,
    server_error: child?.error ?? null,
    baseline_naive_ms: Math.round(median(naiveT)),
    baseline_ours_ms: Math.round(median(oursScratch)),
    baseline_speedup: r1(median(naiveT) / median(oursScratch)),
    baseline_serving_speedup: Math.round(median(naiveT) / median(kpisT)),
    baseline_figures_identical: mismatches.length === 0,
    bench_total_s: Math.round((performance.now() - started) / 1000),
  };
  writeFileSync(join(ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);

  const goal = (ok: boolean | null) => (ok === null ? 'n/a' : ok ? 'met' : 'MISSED');
  const rows: [string, string, string, string][] = [
    [
      'scale',
      `${results['scale.communes']} communes × ${PLAN.years.length} years, ${results['scale.cadre_rows']} cadre rows`,
      '~3,321 / ≈660 k',
      '',
    ],
    [
      'ingest (real, 1 process, 8 in flight)',
      `${results.ingest_submissions_per_s} subm/s, ${results.ingest_rows_per_s} rows/s`,
      '≥ 200 subm/s',
      goal(results.ingest_submissions_per_s >= 200),
    ],
    ['ingest (real, sequential)', `${results.ingest_sequential_submissions_per_s} subm/s`, '', ''],
    [
      'ingest, batch commit (national folder build)',
      `${results.national_generation_submissions_per_s} subm/s`,
      '',
      '',
    ],
    [
      'compaction (province folder)',
      `${filesBefore} → ${filesAfter} files, ${(results.compaction_ms / 1000).toFixed(1)} s`,
      '',
      '',
    ],
    [
      'full mart refresh (national)',
      `${results.refresh_full_ms} ms`,
      '≤ 3000 ms',
      goal(results.refresh_full_ms <= 3000),
    ],
    [
      'incremental refresh (province)',
      `${results.refresh_incremental_ms} ms`,
      '≤ 500 ms',
      goal(results.refresh_incremental_ms <= 500),
    ],
    [
      'GET /kpis p50 / p95',
      `${results.api_kpis_p50_ms} / ${results.api_kpis_p95_ms} ms`,
      'p95 ≤ 20 ms',
      goal(results.api_kpis_p95_ms <= 20),
    ],
    [
      'GET /kpis/communes p95',
      `${results.api_communes_p95_ms} ms`,
      'p95 ≤ 20 ms',
      goal(results.api_communes_p95_ms <= 20),
    ],
    [
      'views per request p95 (/kpis)',
      `${results.api_per_request_p95_ms} ms → ×${results.api_speedup}`,
      '≥ 10×',
      goal(results.api_speedup >= 10),
    ],
    [
      'views per request p95 (/kpis/communes)',
      `${results.api_per_request_communes_p95_ms} ms → ×${results.api_communes_speedup}`,
      '≥ 10×',
      goal(results.api_communes_speedup >= 10),
    ],
    [
      'GET /kpis/communes gzip p95 (client gunzip incl.)',
      `${results.api_communes_gzip_p95_ms} ms, ${results.gzip_bytes} B on the wire`,
      '',
      '',
    ],
    [
      '/kpis/communes Arrow vs JSON',
      `${results.arrow_bytes} vs ${results.json_bytes} B; decode ${results.arrow_decode_ms} vs ${results.json_decode_ms} ms`,
      '',
      '',
    ],
    [
      'dashboard overview (Chromium)',
      dash
        ? `${results.dashboard_overview_ms} ms cold, ${results.dashboard_overview_warm_ms} ms warm`
        : 'skipped',
      '≤ 1500 ms',
      goal(dash ? dash.cold <= 1500 : null),
    ],
    [
      'server peak RSS',
      // A server that failed measured nothing: never a "met" from the peak it had before it died.
      child
        ? child.error
          ? 'FAILED (server_error in results.json)'
          : `${results.server_peak_rss_mb} MB`
        : 'skipped',
      '≤ 1024 MB',
      child?.error ? 'FAILED' : goal(child ? child.peak_mb <= 1024 : null),
    ],
    [
      "analysts' SQL (own process)",
      `first ${results.analyst_sql_first_ms} ms (start + load), then p50 ${results.analyst_sql_p50_ms} / p95 ${results.analyst_sql_p95_ms} ms; process peak RSS ${results.analyst_process_peak_rss_mb} MB`,
      '',
      '',
    ],
    [
      'naive TS vs ours (KPIs from stored data)',
      `${results.baseline_naive_ms} vs ${results.baseline_ours_ms} ms → ×${results.baseline_speedup} (serving: ×${results.baseline_serving_speedup})`,
      '',
      results.baseline_figures_identical ? 'same figures' : 'FIGURES DIFFER',
    ],
  ];
  const w = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => (r[i] as string).length), 6));
  console.log('');
  console.log(['metric', 'result', 'goal', 'status'].map((h, i) => h.padEnd(w[i] as number)).join(' | '));
  console.log(w.map((x) => '-'.repeat(x)).join('-|-'));
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(w[i] as number)).join(' | '));
  console.log(`\nbench/results.json written (${results.bench_total_s} s)`);
  // A measurement that failed fails the run (the table still says which).
  return child?.error ? 1 : 0;
}

process.exit(await main());
