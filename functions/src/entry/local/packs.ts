// Meeting packs on one machine: the only place packs meet DuckDB. The pack builder (exports/meeting-pack.ts) and
// the export service take any SqlEngine; here the engine is the local warehouse cut at the pack's as-of, and
// the files go to a folder (`npm run export`) or to the data folder's exports/ (the local API).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Meeting, PLAN, type Plan } from '@scorecard/data-contracts';
import { ExportService } from '../../packs/export-service.ts';
import { buildMeetingPack, type Manifest, type PackSink, type ProgressFn } from '../../packs/meeting-pack.ts';
import { checkPackRequest } from '../../packs/pack-request.ts';
import type { Clock } from '../../ports/clock.ts';
import type { ObjectStore } from '../../ports/object-store.ts';
import { openWarehouse } from '../../warehouse/duckdb-warehouse.ts';

/** Writes a pack's files into a folder. */
function folderSink(dir: string): PackSink {
  return {
    async write(name, bytes) {
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, name), bytes);
    },
  };
}

export interface CreateMeetingPackOptions {
  dataDir: string;
  year: number;
  meeting: Meeting;
  asOf: Date;
  outDir: string;
  onProgress?: ProgressFn;
  plan?: Plan;
  /** The generation time for the manifest (default: the real clock; the CLI passes clockFromEnv()). */
  now?: Date;
}

/** Writes a pack into a local folder from the local data folder (the `npm run export` path). */
export async function createMeetingPack(o: CreateMeetingPackOptions): Promise<Manifest> {
  const plan = o.plan ?? PLAN;
  const now = o.now ?? new Date();
  checkPackRequest(plan, o.meeting, o.year, o.asOf, now);
  const engine = await openWarehouse({ dataDir: o.dataDir, asOf: o.asOf, plan, clock: { now: () => now } });
  try {
    return await buildMeetingPack({
      engine,
      plan,
      year: o.year,
      meeting: o.meeting,
      asOf: o.asOf,
      now,
      sink: folderSink(o.outDir),
      onProgress: o.onProgress,
    });
  } finally {
    await engine.close();
  }
}

/** The export service over the local warehouse (the local API's POST /exports, `npm run export --due`). */
export function localExportService(o: {
  dataDir: string;
  store: ObjectStore;
  clock: Clock;
  plan?: Plan;
}): ExportService {
  const plan = o.plan ?? PLAN;
  return new ExportService({
    store: o.store,
    clock: o.clock,
    plan,
    openEngine: (asOf) => openWarehouse({ dataDir: o.dataDir, asOf, plan, clock: o.clock }),
    build: buildMeetingPack,
  });
}
