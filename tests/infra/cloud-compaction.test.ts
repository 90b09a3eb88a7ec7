// The compaction function (functions/src/entry/lambda/cloud-compaction.ts) over the S3 adapter against the s3rver
// stand-in: a store of small per-submission files is compacted by the nightly run, its inputs survive until
// the 30-minute grace has passed and are deleted by the next run, and at every stage DuckDB over a copy of the
// bucket returns exactly the rows the uncompacted data gave, for every view.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { COMMUNES, PLAN, TABLE_PREFIX, TABLES, type TableName } from '@scorecard/data-contracts';
import { FsObjectStore } from '@scorecard/functions/adapters/fs-store.ts';
import type { S3ObjectStore } from '@scorecard/functions/adapters/s3-store.ts';
import { COMPACTED_TABLES, DEFAULT_GRACE_MS, prefixOf } from '@scorecard/functions/compaction/compact.ts';
import { demoSubmissions } from '@scorecard/functions/demo/generate.ts';
import {
  compactionYears,
  createCompactionHandler,
} from '@scorecard/functions/entry/lambda/cloud-compaction.ts';
import { AuditLog } from '@scorecard/functions/ingest/audit.ts';
import { IngestService } from '@scorecard/functions/ingest/ingest-service.ts';
import { personKeyFromSecret } from '@scorecard/functions/ingest/person-key.ts';
import { SubmissionRegistry } from '@scorecard/functions/ingest/registry.ts';
import { ManualClock } from '@scorecard/functions/ports/clock.ts';
import type { ObjectStore } from '@scorecard/functions/ports/object-store.ts';
import {
  openWarehouse,
  relationName,
  SQL_DIR,
  viewFiles,
} from '@scorecard/functions/warehouse/duckdb-warehouse.ts';
import { baseViewStatements } from '@scorecard/infra/lib/athena-views.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadTables, listFiles } from '../helpers/data-dir.ts';
import { type S3StandIn, startS3StandIn } from './s3-stand-in-process.ts';

const DATA_NOW = '2027-12-20T00:00:00Z';
const AS_OF = '2027-12-31T00:00:00Z';
const communes = COMMUNES.slice(0, 6);
const VIEWS = viewFiles().map((v) => v.name);
const YEARS = [2027, 2026];

let s3: S3StandIn;
let source: string; // the ingested folder, never compacted
let baseline: Map<string, string[]>;

async function views(dataDir: string): Promise<Map<string, string[]>> {
  const wh = await openWarehouse({ dataDir, asOf: AS_OF, communes });
  try {
    const out = new Map<string, string[]>();
    for (const v of VIEWS) {
      const r = await wh.query(`SELECT * FROM ${v}`, { maxRows: 1_000_000 });
      out.set(v, r.rows.map((row) => JSON.stringify(row)).sort());
    }
    return out;
  } finally {
    await wh.close();
  }
}

async function newStore(): Promise<S3ObjectStore> {
  const curated = await s3.bucket('curated');
  const store = s3.store(curated, { raw: await s3.bucket('raw', { objectLock: true }) });
  for (const key of listFiles(source).filter(
    (k) => k.startsWith('curated/') || k.startsWith('restricted/'),
  )) {
    await store.put(key, (await new FsObjectStore(source).get(key)) as Uint8Array);
  }
  return store;
}

const small = async (store: ObjectStore, year: number) =>
  (await Promise.all(COMPACTED_TABLES.map((t) => store.list(prefixOf(t, year)))))
    .flat()
    .filter((k) => /\/[0-9a-f-]{36}\.parquet$/.test(k));
/** Tables of a year that hold at least one file (2027 has no void: its voids table is empty). */
const tablesWithFiles = async (store: ObjectStore, year: number) =>
  (
    await Promise.all(
      COMPACTED_TABLES.map(async (t) => ((await store.list(prefixOf(t, year))).length > 0 ? 1 : 0)),
    )
  ).reduce((a: number, b: number) => a + b, 0);
const parts = async (store: ObjectStore, year: number) =>
  (await Promise.all(COMPACTED_TABLES.map((t) => store.list(prefixOf(t, year)))))
    .flat()
    .filter((k) => /\/part-/.test(k));

/**
 * The Athena base views (infra: CREATE VIEW <relation> over <relation>_files, picking per submission the file
 * whose "$path" sorts first) run on DuckDB over the files of `dir`, with "$path" a real column holding each
 * row's file; compared with DuckDB's own base relations (sql/tables/duckdb) over the same files.
 */
async function athenaBaseViewsAgreeWithDuckDb(dir: string): Promise<number> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  let rows = 0;
  try {
    const quoted = (p: string) => `'${p.replace(/'/g, "''")}'`;
    const views = new Map(baseViewStatements().map((b) => [b.name, b.ddl]));
    for (const t of Object.keys(TABLES) as TableName[]) {
      const rel = relationName(t);
      const glob = `${dir}/${TABLE_PREFIX[t]}/**/*.parquet`;
      if (
        Number((await conn.runAndReadAll(`select count(*) from glob(${quoted(glob)})`)).getRows()[0]?.[0]) ===
        0
      )
        continue;
      await conn.run(
        `create table ${rel}_files as select * exclude (filename), filename as "$path" from read_parquet(${quoted(glob)}, hive_partitioning = true, hive_types = {'year': INTEGER}, union_by_name = true, filename = true)`,
      );
      await conn.run(views.get(rel) as string);
      const duck = readFileSync(join(SQL_DIR, 'tables', 'duckdb', 'base_relation.sql'), 'utf8')
        .replace(/\{\{relation\}\}/g, rel)
        .replace(/\{\{prefix\}\}/g, TABLE_PREFIX[t])
        .replace(/\{\{root\}\}/g, dir.replace(/'/g, "''"))
        .replace(/create\s+or\s+replace\s+table\s+[a-z_]+\s+as/i, `create table duck_${rel} as`);
      await conn.run(duck);
      const cols = [...TABLES[t].map((c) => c.name), 'year'].join(', ');
      const diff = await conn.runAndReadAll(
        `select count(*) from ((select ${cols} from ${rel} except all select ${cols} from duck_${rel}) union all (select ${cols} from duck_${rel} except all select ${cols} from ${rel}))`,
      );
      expect(Number(diff.getRows()[0]?.[0]), rel).toBe(0);
      const n = Number((await conn.runAndReadAll(`select count(*) from ${rel}`)).getRows()[0]?.[0]);
      const files = Number((await conn.runAndReadAll(`select count(*) from ${rel}_files`)).getRows()[0]?.[0]);
      expect(n, rel).toBe(
        Number((await conn.runAndReadAll(`select count(*) from duck_${rel}`)).getRows()[0]?.[0]),
      );
      rows += files - n; // rows present twice in the files (small + compacted copy) and read once
    }
  } finally {
    conn.closeSync();
    db.closeSync();
  }
  return rows;
}

beforeAll(async () => {
  s3 = await startS3StandIn();
  source = mkdtempSync(join(tmpdir(), 'compaction-source-'));
  const store = new FsObjectStore(source);
  const clock = new ManualClock(DATA_NOW);
  const svc = new IngestService({ store, clock, personKey: personKeyFromSecret('c'.repeat(64)), communes });
  for (const item of demoSubmissions(new Date(DATA_NOW), PLAN, communes)) {
    clock.set(item.receivedAt);
    const r = await svc.ingest(item.submission, { actor: { sub: 'test', role: 'admin' } });
    expect(['accepted', 'duplicate']).toContain(r.status);
  }
  // A void, so that the voids table has a file to compact too.
  const [first] = await store.list(prefixOf('submissions', 2026));
  clock.set('2027-01-10T00:00:00Z');
  const registry = new SubmissionRegistry(store, clock, new AuditLog(store, clock));
  const id = /([0-9a-f-]{36})\.parquet$/.exec(first as string)?.[1] as string;
  expect((await registry.void(id, 'nộp nhầm', { sub: 'admin', role: 'admin' })).status).toBe('voided');
  baseline = await views(source);
}, 300_000);

afterAll(async () => {
  await s3?.stop();
});

describe('compaction function', () => {
  it('checks every plan year up to the current one (plan zone), newest first', () => {
    expect(compactionYears(PLAN, new Date('2026-03-01T00:00:00Z'))).toEqual([2026]);
    // 31 Dec 2027 17:00 UTC is already 1 January 2028 in Asia/Ho_Chi_Minh.
    expect(compactionYears(PLAN, new Date('2027-12-31T16:59:59Z'))).toEqual([2027, 2026]);
    expect(compactionYears(PLAN, new Date('2027-12-31T17:00:00Z'))).toEqual([2028, 2027, 2026]);
    expect(compactionYears(PLAN, new Date('2033-05-01T00:00:00Z'))).toEqual([2030, 2029, 2028, 2027, 2026]);
    expect(compactionYears(PLAN, new Date('2025-06-01T00:00:00Z'))).toEqual([]);
  });

  it('compacts on S3, deletes the inputs only after the grace period, and every view keeps its rows', async () => {
    expect(baseline.get('submissions')?.length).toBeGreaterThan(5);
    const store = await newStore();
    const before = await small(store, 2027);
    expect(before.length).toBeGreaterThan(20);
    const tables = new Map(
      await Promise.all(YEARS.map(async (y) => [y, await tablesWithFiles(store, y)] as const)),
    );
    expect(tables.get(2026)).toBe(COMPACTED_TABLES.length);
    // 02:30 in Asia/Ho_Chi_Minh (19:30 UTC), the nightly schedule.
    const clock = new ManualClock('2028-01-04T19:30:00Z');
    const logs: Record<string, unknown>[] = [];
    const handler = createCompactionHandler({ store, clock, plan: PLAN, log: (e) => logs.push(e) });

    const first = await handler({ source: 'schedule', job: 'compaction' });
    expect(first.years.map((y) => [y.year, y.status])).toEqual([
      [2028, 'nothing_to_do'],
      [2027, 'compacted'],
      [2026, 'compacted'],
    ]);
    for (const year of YEARS) {
      // One new file per table, and the inputs still there: a query that listed them may still read them.
      expect((await parts(store, year)).length).toBe(tables.get(year));
      expect((await small(store, year)).length).toBeGreaterThan(0);
      expect((await store.list(`compaction/manifests/year=${year}/`)).length).toBe(1);
    }
    expect(await small(store, 2027)).toEqual(before);
    expect(await store.list('compaction/lock/')).toEqual([]);
    // Small and compacted copies side by side: the read rule still yields each row once — on DuckDB, and in
    // the Athena base views' SQL (run here on DuckDB with "$path" as a column).
    const mixedDir = await downloadTables(store);
    const mixed = await views(mixedDir);
    for (const v of VIEWS) expect(mixed.get(v), `mixed: ${v}`).toEqual(baseline.get(v));
    expect(await athenaBaseViewsAgreeWithDuckDb(mixedDir)).toBeGreaterThan(100);

    // Not yet past the grace period: nothing is deleted.
    clock.advance(DEFAULT_GRACE_MS - 60_000);
    const early = await handler({ source: 'schedule', job: 'compaction' });
    expect(early.years.every((y) => y.swept === 0 && y.status === 'nothing_to_do')).toBe(true);
    expect(await small(store, 2027)).toEqual(before);

    // The 03:15 run: past the grace period, the inputs go.
    clock.set('2028-01-04T20:15:00Z');
    const sweep = await handler({ source: 'schedule', job: 'compaction' });
    expect(sweep.years.find((y) => y.year === 2027)?.swept).toBe(before.length);
    for (const year of YEARS) {
      expect(await small(store, year)).toEqual([]);
      expect((await parts(store, year)).length).toBe(tables.get(year));
    }
    const compacted = await views(await downloadTables(store));
    for (const v of VIEWS) expect(compacted.get(v), `compacted: ${v}`).toEqual(baseline.get(v));
    expect(logs.filter((l) => l.event === 'compaction').length).toBe(9);
  });

  it('tries every year, then throws if one failed (the async retry, then the DLQ)', async () => {
    const store = await newStore();
    const failing: ObjectStore = {
      get: (k) => store.get(k),
      exists: (k) => store.exists(k),
      delete: (k) => store.delete(k),
      list: (p) => (p.includes('year=2027') ? Promise.reject(new Error('SlowDown')) : store.list(p)),
      put: (k, b, o) => store.put(k, b, o),
    };
    const handler = createCompactionHandler({
      store: failing,
      clock: new ManualClock('2028-01-04T19:30:00Z'),
      plan: PLAN,
    });
    await expect(handler({ years: [2026, 2027] })).rejects.toThrow(/2027 \(SlowDown\)/);
    // 2026 was compacted all the same.
    expect((await parts(store, 2026)).length).toBe(COMPACTED_TABLES.length);
    await expect(handler({ years: [2019] })).rejects.toThrow(/not plan years: 2019/);
  });

  it('leaves a year it has no time for to the next run', async () => {
    const store = await newStore();
    const handler = createCompactionHandler({
      store,
      clock: new ManualClock('2028-01-04T19:30:00Z'),
      plan: PLAN,
    });
    const out = await handler({}, { getRemainingTimeInMillis: () => 60_000 });
    expect(out).toEqual({ years: [], deferred: [2028, 2027, 2026] });
    expect(await parts(store, 2027)).toEqual([]);
  });
});
