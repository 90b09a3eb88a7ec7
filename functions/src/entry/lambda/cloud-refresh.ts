// The marts refresh in the cloud: an SQS batch of S3 events (new commit markers, voids) → one refresh that
// runs the mart views on Athena (refresh workgroup) and writes marts/ (manifest last). Many submissions in
// one batch window give one refresh; a failure throws, so SQS retries the batch and finally parks it in the DLQ.
import { AthenaEngine } from '../../adapters/athena-engine.ts';
import { s3StoreFromEnv } from '../../adapters/s3-store.ts';
import { MartRefresher } from '../../marts/marts.ts';
import { type Clock, clockFromEnv } from '../../ports/clock.ts';
import type { ObjectStore } from '../../ports/object-store.ts';
import type { SqlEngine } from '../../ports/sql-engine.ts';

export interface RefreshDeps {
  store: ObjectStore;
  clock: Clock;
  /** A fresh engine per refresh (Athena in the cloud). */
  engine: () => SqlEngine;
  log?: (event: Record<string, unknown>) => void;
}

export function refreshDepsFromEnv(env: NodeJS.ProcessEnv = process.env): RefreshDeps {
  const workGroup = env.ATHENA_WORKGROUP;
  if (!workGroup) throw new Error('ATHENA_WORKGROUP is not set');
  const database = env.ATHENA_DATABASE ?? 'commune_scorecard';
  return {
    store: s3StoreFromEnv(env),
    clock: clockFromEnv(env),
    engine: () => new AthenaEngine({ workGroup, database }),
    log: (e) => console.log(JSON.stringify(e)),
  };
}

export function createRefreshHandler(deps: RefreshDeps) {
  const refresher = new MartRefresher({
    store: deps.store,
    clock: deps.clock,
    // On Athena `params.as_of` is current_timestamp at query time, a moment after this instant: refreshed_at
    // is therefore a lower bound of what the marts include, never an overstatement.
    snapshot: async () => {
      const engine = deps.engine();
      return { engine, asOf: deps.clock.now(), release: () => engine.close() };
    },
    debounceMs: 0,
    ...(deps.log ? { log: deps.log } : {}),
  });
  return async (event: { Records?: unknown[] }) => {
    deps.log?.({ event: 'refresh_requested', records: event.Records?.length ?? 0 });
    await refresher.refreshNow();
    return { batchItemFailures: [] };
  };
}
