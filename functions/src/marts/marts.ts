// Marts: the views materialised into small tables after each ingest (debounced), so that dashboards never
// wait on a cold query. The API serves marts from memory, held columnar (Arrow, arrow.ts); they
// are also persisted as Arrow under marts/ (a manifest written last), which is what the API Lambda reads in
// the cloud. The refresher also keeps the submission history index (history.ts) told of every change.
import { uuidv7 } from 'uuidv7';
import { sha256Hex } from '../codec/canonical.ts';
import type { Clock } from '../ports/clock.ts';
import { deleteWithVersions, type ObjectStore } from '../ports/object-store.ts';
import type { SqlEngine } from '../ports/sql-engine.ts';
import { MartTable } from './arrow.ts';
import { SubmissionHistory } from './history.ts';

/** Each mart is one view, read whole. The SQL lives in sql/views; here only which views are materialised. */
export const MART_VIEWS = [
  'communes',
  'kpi_province_year',
  'kpi_commune_year',
  'gap_warnings',
  'commune_ranking',
  'data_quality',
  'data_quality_findings',
  'cadre_gaps',
] as const;
export type MartName = (typeof MART_VIEWS)[number];

const MART_QUERY_TIMEOUT_MS = 10 * 60_000;

/** A stable row order per mart, so that every client (and every Arrow/JSON answer) sees the same sequence. */
const MART_ORDER: Record<MartName, string> = {
  communes: 'commune_code',
  kpi_province_year: 'year, kpi',
  kpi_commune_year: 'year, commune_code, kpi',
  gap_warnings: 'year, scope DESC, commune_code NULLS FIRST, kpi',
  commune_ranking: 'year, rank, commune_code',
  data_quality: 'year, commune_code',
  data_quality_findings: 'year, commune_code, rule',
  cadre_gaps: 'year, commune_code, cadre_code, reason',
};

export interface MartSnapshot {
  refreshed_at: string;
  /**
   * Unique per refresh. Not refreshed_at: under a fixed clock (SCORECARD_NOW) every refresh has the same
   * cut-off, and caches or ETags keyed by it would keep serving the previous generation's answers.
   */
  generation: string;
  tables: Partial<Record<MartName, MartTable>>;
}

export interface MartReader {
  snapshot(): Promise<MartSnapshot | null>;
}

const MANIFEST = 'marts/_manifest.json';
/** Where the cloud refresh keeps its lease and its "a refresh is wanted" mark: never swept as an old generation. */
export const REFRESH_COORDINATION = 'marts/refresh/';

/** Reads persisted marts from any object store (the API Lambda; the local server before its first refresh). */
export class StoreMartReader implements MartReader {
  private cached: MartSnapshot | null = null;
  /** Mart files of the last manifest read that failed their check (none when all are good). */
  damaged: string[] = [];
  constructor(private readonly store: ObjectStore) {}

  async snapshot(): Promise<MartSnapshot | null> {
    const m = await this.store.get(MANIFEST);
    if (!m) return this.cached;
    let manifest: {
      refreshed_at: string;
      generation?: string;
      files: Record<string, string>;
      sha256?: Record<string, string>;
    };
    try {
      manifest = JSON.parse(new TextDecoder().decode(m));
    } catch {
      this.damaged = [MANIFEST];
      return this.cached;
    }
    const generation =
      manifest.generation ?? `${manifest.refreshed_at}:${Object.values(manifest.files).join(',')}`;
    if (this.cached?.generation === generation) return this.cached;
    const tables: MartSnapshot['tables'] = {};
    const damaged: string[] = [];
    for (const [name, key] of Object.entries(manifest.files)) {
      const bytes = await this.store.get(key);
      const hex = manifest.sha256?.[key];
      // A file that does not match its manifest (or does not decode) is damaged: the last good marts stay.
      if (!bytes || (hex !== undefined && sha256Hex(bytes) !== hex)) {
        damaged.push(key);
        continue;
      }
      try {
        tables[name as MartName] = MartTable.fromIpc(bytes);
      } catch {
        damaged.push(key);
      }
    }
    this.damaged = damaged;
    if (damaged.length > 0) return this.cached;
    this.cached = { refreshed_at: manifest.refreshed_at, generation, tables };
    return this.cached;
  }
}

export interface MartRefresherDeps {
  store: ObjectStore;
  clock: Clock;
  /**
   * A warehouse snapshot that includes every commit made before the call (e.g. a long-lived warehouse after
   * reload()); `asOf` is its cut-off and becomes the marts' refreshed_at.
   */
  snapshot: () => Promise<{ engine: SqlEngine; asOf: Date; release: () => Promise<void> }>;
  debounceMs: number;
  log?: (event: Record<string, unknown>) => void;
}

export class MartRefresher implements MartReader {
  private current: MartSnapshot | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private watcher: NodeJS.Timeout | null = null;
  private lastFingerprint = '';
  lastDurationMs = 0;
  /** GET /submissions answers from this index (history.ts); every change this refresher hears of marks it stale. */
  readonly history: SubmissionHistory;

  /** Before the first refresh: the marts persisted by an earlier run (read once per generation); dropped after it. */
  private persisted: StoreMartReader | null;

  constructor(private readonly deps: MartRefresherDeps) {
    this.persisted = new StoreMartReader(deps.store);
    this.history = new SubmissionHistory(deps.store);
  }

  async snapshot(): Promise<MartSnapshot | null> {
    if (this.current) return this.current;
    return (this.persisted ?? new StoreMartReader(this.deps.store)).snapshot();
  }

  /** Persisted mart files that failed their check when read (served from before this process refreshed). */
  get damaged(): string[] {
    return this.current ? [] : (this.persisted?.damaged ?? []);
  }

  /** Ask for a refresh soon; many calls within the debounce window give one refresh. */
  schedule(): void {
    // Called when a POST or a void is accepted (before its response is sent) and by the watcher: the history
    // must show the change on the next request, without waiting for the debounced refresh.
    this.history.invalidate();
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.refreshNow().catch((e) =>
        this.deps.log?.({ event: 'mart_refresh_failed', error: (e as Error).message }),
      );
    }, this.deps.debounceMs);
  }

  /** Refresh now (or right after the refresh in progress). Resolves when the marts include everything committed before the call. */
  async refreshNow(): Promise<void> {
    if (this.running) {
      this.again = true;
      // The refresh in flight began before this call (maybe on a folder since repaired): its failure is not
      // this call's answer — wait for it to end, then refresh from the data as it is now.
      await this.running.catch(() => undefined);
      // Another caller already started the refresh that follows it: that one began after this call.
      if (this.running) return this.running;
      this.again = false;
    }
    this.running = this.run().finally(() => {
      this.running = null;
    });
    await this.running;
    if (this.again) {
      this.again = false;
      await this.refreshNow();
    }
  }

  private async run(): Promise<void> {
    const started = performance.now();
    // refreshed_at is the snapshot's cut-off: everything committed up to that instant is in the marts.
    const { engine, asOf, release } = await this.deps.snapshot();
    const tables: MartSnapshot['tables'] = {};
    try {
      for (const view of MART_VIEWS) {
        // A mart is the whole view: no analysts' row limit (at national scale kpi_commune_year alone is 166 k rows).
        const r = await engine.query(`SELECT * FROM ${view} ORDER BY ${MART_ORDER[view]}`, {
          maxRows: Number.MAX_SAFE_INTEGER - 1,
          timeoutMs: MART_QUERY_TIMEOUT_MS,
        });
        // Columnar from here on: the engine's row objects are dropped once the Arrow columns are built.
        tables[view] = MartTable.fromRows(r.columns, r.rows);
      }
    } finally {
      await release();
    }
    const snapshot: MartSnapshot = { refreshed_at: asOf.toISOString(), generation: uuidv7(), tables };
    this.current = snapshot;
    this.persisted = null;
    await this.persist(snapshot);
    this.lastDurationMs = performance.now() - started;
    this.deps.log?.({
      event: 'marts_refreshed',
      refreshed_at: snapshot.refreshed_at,
      ms: Math.round(this.lastDurationMs),
    });
  }

  private async persist(s: MartSnapshot): Promise<void> {
    const stamp = s.generation;
    const files: Record<string, string> = {};
    // The manifest vouches for each file (a reader verifies them: a damaged mart is never served).
    const sha256: Record<string, string> = {};
    for (const [name, table] of Object.entries(s.tables)) {
      const key = `marts/${stamp}/${name}.arrow`;
      const bytes = table.toIpc();
      await this.deps.store.put(key, bytes);
      files[name] = key;
      sha256[key] = sha256Hex(bytes);
    }
    await this.deps.store.put(
      MANIFEST,
      JSON.stringify({ refreshed_at: s.refreshed_at, generation: s.generation, files, sha256 }),
    );
    // Old generations are removed only after the new manifest points elsewhere: a reader never loses its files
    // mid-read for long. Every other generation goes too — the previous one, and any a crashed refresh left
    // without a manifest (after an erasure no retired mart may keep what identified the person).
    const current = new Set(Object.values(files));
    for (const key of await this.deps.store.list('marts/')) {
      // The cloud refresh's lease and mark (entry/lambda/cloud-refresh.ts) are not marts.
      if (key.startsWith(REFRESH_COORDINATION)) continue;
      // With its versions: on S3 a plain delete keeps the bytes as a noncurrent version (issue 15, item 10).
      if (key !== MANIFEST && !current.has(key)) await deleteWithVersions(this.deps.store, key);
    }
  }

  /**
   * Watch the store for commits made by other processes (the `ingest` command into the same data folder):
   * a change in the commit markers, voids or erasure records (`npm run erase`) schedules a refresh — after an
   * erasure the marts (cadre_gaps) and the analysts' database must not keep what identified the person.
   */
  watch(intervalMs = 1000): void {
    // A long-lived process (the local server): build the submission history of every plan year now, in the
    // background, rather than on the dashboard's first request. (The cloud refresh function never watches.)
    void this.history
      .prewarm()
      .catch((e) => this.deps.log?.({ event: 'history_prewarm_failed', error: (e as Error).message }));
    const tick = async () => {
      try {
        const keys = [
          ...(await this.deps.store.list('curated/submissions/')),
          ...(await this.deps.store.list('curated/voids/')),
          ...(await this.deps.store.list('erasures/')),
        ];
        const fp = `${keys.length}:${keys[keys.length - 1] ?? ''}:${keys.join('|').length}`;
        if (fp !== this.lastFingerprint) {
          const first = this.lastFingerprint === '';
          this.lastFingerprint = fp;
          if (!first) this.schedule();
        }
      } catch (e) {
        this.deps.log?.({ event: 'mart_watch_failed', error: (e as Error).message });
      }
      if (this.watcher) this.watcher = setTimeout(tick, intervalMs);
    };
    this.watcher = setTimeout(tick, 0);
  }

  stop(): void {
    this.history.stop();
    if (this.watcher) clearTimeout(this.watcher);
    this.watcher = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
