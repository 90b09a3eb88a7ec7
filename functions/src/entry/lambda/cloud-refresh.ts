// The marts refresh in the cloud: an SQS batch of S3 events (new commit markers, voids) → one refresh that
// runs the mart views on Athena (refresh workgroup) and writes marts/ (manifest last). Many submissions in
// one batch window give one refresh; a failure throws, so SQS retries the batch and finally parks it in the DLQ.
//
// One refresh at a time, without reserved concurrency (a new account's quota of 10 cannot spare it, and behind
// SQS a throttled function delays refreshes and fills the DLQ: issue 15, item 4). Every invocation first marks
// a refresh as wanted (marts/refresh/pending.json), then tries the lease (marts/refresh/lease.json, create-only).
// The holder refreshes while a mark is there — deleting the mark before each run, so the run starts after
// whatever asked for it — and looks again after releasing the lease. An invocation that finds the lease held
// returns at once: the holder will see its mark. So every change is followed by a refresh that began after it.
import { PLAN } from '@scorecard/data-contracts';
import { uuidv7 } from 'uuidv7';
import { AthenaEngine } from '../../adapters/athena-engine.ts';
import { GlueAnalystsCatalog } from '../../adapters/glue-catalog.ts';
import { s3StoreFromEnv, s3UrlReader } from '../../adapters/s3-store.ts';
import { type AnalystsCatalog, publishAnalystsLayer } from '../../marts/analysts-layer.ts';
import { MartRefresher, REFRESH_COORDINATION } from '../../marts/marts.ts';
import { type Clock, clockFromEnv } from '../../ports/clock.ts';
import { releaseStoreLease, takeStoreLease } from '../../ports/lease.ts';
import type { ObjectStore } from '../../ports/object-store.ts';
import type { SqlEngine } from '../../ports/sql-engine.ts';
import { AsOfEngine, AsOfViews, sqlViewsDir } from '../../warehouse/as-of-views.ts';

const PENDING = `${REFRESH_COORDINATION}pending.json`;
const LEASE = `${REFRESH_COORDINATION}lease.json`;
/** A lease older than this belongs to a refresh that outlived the function's 5-minute timeout. */
const REFRESH_LEASE_MS = 6 * 60_000;

export interface RefreshDeps {
  store: ObjectStore;
  clock: Clock;
  /** A fresh engine per refresh, over the views at `asOf` (Athena with the view chain inlined at that instant). */
  engine: (asOf: Date) => SqlEngine;
  /** The analysts' layer (marts/analysts-layer.ts): written after the marts, at the same instant. */
  analysts?: {
    catalog: AnalystsCatalog;
    views: readonly string[];
    /** Views written a plan year at a time (publishAnalystsLayer's byYear). */
    byYear?: { views: readonly string[]; years: readonly number[] };
  };
  log?: (event: Record<string, unknown>) => void;
}

export function refreshDepsFromEnv(env: NodeJS.ProcessEnv = process.env): RefreshDeps {
  const workGroup = env.ATHENA_WORKGROUP;
  if (!workGroup) throw new Error('ATHENA_WORKGROUP is not set');
  const database = env.ATHENA_DATABASE ?? 'commune_scorecard';
  const views = AsOfViews.fromDir(sqlViewsDir(env), PLAN);
  const store = s3StoreFromEnv(env);
  // The rows of each mart come from its query's result file, not 1000-row pages (issue 15, item 7).
  const resultFile = s3UrlReader(store.s3, { discard: true });
  const analystsDatabase = env.ANALYSTS_DATABASE;
  return {
    store,
    clock: clockFromEnv(env),
    ...(analystsDatabase
      ? {
          analysts: {
            catalog: new GlueAnalystsCatalog({
              database: analystsDatabase,
              locationOf: (k) => store.urlOf(k),
            }),
            views: JSON.parse(env.ANALYST_VIEWS ?? '[]') as string[],
            // The per-person view, nationally ~660 k rows: a year at a time.
            byYear: { views: ['cadres'], years: PLAN.years },
          },
        }
      : {}),
    // Every mart query of one refresh sees the views at the same instant (issue 15, item 7): the view chain is
    // inlined with that as-of, as for a meeting pack, instead of each query taking its own current_timestamp.
    engine: (asOf) => new AsOfEngine(new AthenaEngine({ workGroup, database, resultFile }), views, asOf),
    log: (e) => console.log(JSON.stringify(e)),
  };
}

export function createRefreshHandler(deps: RefreshDeps) {
  let lastAsOf: Date | undefined;
  const refresher = new MartRefresher({
    store: deps.store,
    clock: deps.clock,
    // One instant per refresh: every mart query sees the views as of it, and it becomes refreshed_at.
    snapshot: async () => {
      const asOf = deps.clock.now();
      lastAsOf = asOf;
      const engine = deps.engine(asOf);
      return { engine, asOf, release: () => engine.close() };
    },
    debounceMs: 0,
    ...(deps.log ? { log: deps.log } : {}),
  });
  // The analysts' layer at the marts' instant: the same figures in the dashboard and in the analysts' tables.
  const publishAnalysts = async (analysts: NonNullable<RefreshDeps['analysts']>, asOf: Date) => {
    const engine = deps.engine(asOf);
    try {
      const r = await publishAnalystsLayer({
        store: deps.store,
        catalog: analysts.catalog,
        engine,
        views: analysts.views,
        ...(analysts.byYear ? { byYear: analysts.byYear } : {}),
        generation: uuidv7(),
      });
      deps.log?.({ event: 'analysts_layer_published', views: r.views, rows: r.rows });
    } finally {
      await engine.close();
    }
  };
  const refreshWhilePending = async () => {
    while (await deps.store.exists(PENDING)) {
      await deps.store.delete(PENDING);
      try {
        await refresher.refreshNow();
        if (deps.analysts && lastAsOf) await publishAnalysts(deps.analysts, lastAsOf);
      } catch (e) {
        // Still wanted: the retry of this batch, or the next holder, refreshes.
        await deps.store.put(PENDING, deps.clock.now().toISOString());
        throw e;
      }
    }
  };
  return async (event: { Records?: unknown[] }) => {
    deps.log?.({ event: 'refresh_requested', records: event.Records?.length ?? 0 });
    await deps.store.put(PENDING, deps.clock.now().toISOString());
    const runId = crypto.randomUUID();
    // Released with nothing pending: done. Something marked while the lease was held: take it again.
    while (await deps.store.exists(PENDING)) {
      if (!(await takeStoreLease(deps.store, deps.clock, LEASE, runId, REFRESH_LEASE_MS))) {
        deps.log?.({
          event: 'refresh_joined',
          note: 'another refresh holds the lease and will see the mark',
        });
        break;
      }
      try {
        await refreshWhilePending();
      } finally {
        await releaseStoreLease(deps.store, LEASE, runId);
      }
    }
    return { batchItemFailures: [] };
  };
}
