// The analysts' SQL process (started by analyst-process.ts): holds the analysts' database at the as_of the
// server names, answers its statements, and reports its memory every 50 ms while it works so that the server
// can stop it before it takes the machine. It exits when the server goes away.

import type { FromAnalystChild, ToAnalystChild } from './analyst-process.ts';
import type { AnalystDatabase } from './duckdb-warehouse.ts';
import { loadAnalystDatabase } from './duckdb-warehouse.ts';
import { SqlError } from './sql-error.ts';

type Init = Extract<ToAnalystChild, { type: 'init' }>;

let init: Init | null = null;
let current: { snapshot: number; db: Promise<AnalystDatabase> } | null = null;
let busy = 0;
let loadedRss: number | null = null;
/** Loads in progress: the server's trusted work, not an analyst's, so the memory bound waits for them. */
let loading = 0;
let beat: NodeJS.Timeout | null = null;

/** What the server bounds: the RSS now, and once loaded (none while a load runs: a load is not a statement). */
const memory = () => ({ rss: process.memoryUsage.rss(), loadedRss: loading > 0 ? null : loadedRss });
const send = (m: FromAnalystChild) => process.send?.(m);

function working(delta: 1 | -1): void {
  busy += delta;
  if (busy > 0 && !beat) {
    beat = setInterval(() => send({ type: 'heartbeat', ...memory() }), 50);
  } else if (busy === 0 && beat) {
    clearInterval(beat);
    beat = null;
  }
}

/** The database of a snapshot: the one held, or a new load (the old one closes after its last statement). */
function databaseAt(snapshot: number, asOf: string): Promise<AnalystDatabase> {
  if (!init) throw new Error('analysts’ process: no init');
  // A request that waited while a newer snapshot arrived is answered from the newer one (never goes back).
  if (current && current.snapshot >= snapshot) return current.db;
  const previous = current;
  const { dataDir, sqlDir, plan, communes } = init;
  const db = loadAnalystDatabase({ dataDir, sqlDir, plan, communes, asOf: new Date(asOf) });
  current = { snapshot, db };
  // While it loads, the old database and the new one's building are both held: no bound applies (a reload would
  // otherwise be stopped as if a statement had taken too much). What it holds once loaded is what later
  // statements are measured against.
  loading++;
  db.then(
    () => {
      loading--;
      if (current?.db === db) loadedRss = process.memoryUsage.rss();
    },
    () => {
      loading--;
      if (current?.db === db) current = null;
    },
  );
  previous?.db.then(
    (d) => d.retire(),
    () => undefined,
  );
  return db;
}

async function handle(m: ToAnalystChild): Promise<void> {
  if (m.type === 'init') {
    init = m;
    return;
  }
  if (m.type === 'warm') {
    working(1);
    try {
      await databaseAt(m.snapshot, m.asOf);
    } catch {
      // The next statement loads it again and reports what failed.
    } finally {
      working(-1);
    }
    return;
  }
  working(1);
  try {
    const db = await databaseAt(m.snapshot, m.asOf);
    if (m.type === 'relations')
      send({ type: 'relations', id: m.id, names: await db.relations(), ...memory() });
    else send({ type: 'answer', id: m.id, result: await db.query(m.sql, m.options), ...memory() });
  } catch (e) {
    const err =
      e instanceof SqlError
        ? e
        : new SqlError('sql_failed', ((e as Error).message ?? '').split('\n')[0] ?? '');
    send({ type: 'error', id: m.id, code: err.code, detail: err.detail, params: err.params, ...memory() });
  } finally {
    working(-1);
  }
}

process.on('message', (m: ToAnalystChild) => {
  void handle(m);
});
process.on('disconnect', () => process.exit(0));
