// Compaction (functions/src/compaction): every view returns identical rows before and after, a crash before
// any step leaves the views unchanged (and a re-run finishes the job), and a submission that commits while
// compaction runs is neither lost nor touched. Real Parquet, real DuckDB through openWarehouse.
//
// "proposed" = the base relations of functions/src/compaction/reader-sql.ts (the read rule), loaded through
// openWarehouse's sqlDir option; "repo" = sql/ as it is. Mid-compaction states need the read rule; the
// final state must be identical under both.
import { cpSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMUNES, PLAN, TABLE_PREFIX, type TableName, TABLES } from '@scorecard/data-contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/src/adapters/fs-store.ts';
import { COMPACTED_TABLES, compactYear, LEASE_MS, prefixOf } from '../../functions/src/compaction/compact.ts';
import { CompactionIndex } from '../../functions/src/compaction/index.ts';
import { duckdbBaseTableSql } from '../../functions/src/compaction/reader-sql.ts';
import { demoSubmissions } from '../../functions/src/demo/generate.ts';
import { AuditLog } from '../../functions/src/ingest/audit.ts';
import { IngestService } from '../../functions/src/ingest/ingest-service.ts';
import { personKeyFromSecret } from '../../functions/src/ingest/person-key.ts';
import { SubmissionRegistry } from '../../functions/src/ingest/registry.ts';
import { ManualClock } from '../../functions/src/ports/clock.ts';
import { openWarehouse, SQL_DIR, viewFiles } from '../../functions/src/warehouse/duckdb-warehouse.ts';
import { listFiles, tempDir } from '../helpers/data-dir.ts';

const NOW = '2030-12-31T00:00:00Z';
const AS_OF = '2030-12-31T00:00:00Z';
const communes = COMMUNES.slice(0, 8);
const personKey = personKeyFromSecret('c'.repeat(64));
const VIEWS = viewFiles().map((v) => v.name);

let root: string;
let base: string; // the ingested folder, never compacted
let proposedSql: string;
let baseline: Map<string, string[]>;

type Snapshot = Map<string, string[]>;

async function snapshot(dataDir: string, sqlDir: string): Promise<Snapshot> {
  const wh = await openWarehouse({ dataDir, asOf: AS_OF, communes, sqlDir });
  try {
    const out: Snapshot = new Map();
    for (const v of VIEWS) {
      const r = await wh.query(`SELECT * FROM ${v}`, { maxRows: 1_000_000 });
      out.set(v, r.rows.map((row) => JSON.stringify(row)).sort());
    }
    return out;
  } finally {
    await wh.close();
  }
}

function expectSame(actual: Snapshot, expected: Snapshot, label: string) {
  for (const v of VIEWS) expect(actual.get(v), `${label}: view ${v}`).toEqual(expected.get(v));
}

function copyOf(name: string): string {
  const dir = join(root, name);
  rmSync(dir, { recursive: true, force: true });
  cpSync(base, dir, { recursive: true });
  return dir;
}

function smallFiles(dir: string, year: number): string[] {
  return listFiles(dir).filter((f) => /year=\d{4}\/[0-9a-f-]{36}\.parquet$/.test(f) && f.includes(`year=${year}/`) && !f.startsWith('raw/'));
}

async function ingestAll(dir: string) {
  const clock = new ManualClock(NOW);
  const store = new FsObjectStore(dir);
  const svc = new IngestService({ store, clock, personKey, communes });
  for (const item of demoSubmissions(new Date(NOW), PLAN, communes)) {
    clock.set(item.receivedAt);
    const r = await svc.ingest(item.submission, { actor: { sub: 'test', role: 'admin' } });
    expect(['accepted', 'duplicate']).toContain(r.status);
  }
  // One admin void, so the voids table has something to compact.
  const registry = new SubmissionRegistry(store, clock, new AuditLog(store, clock));
  const [first] = await store.list(prefixOf('submissions', 2027));
  const id = /([0-9a-f-]{36})\.parquet$/.exec(first as string)?.[1] as string;
  clock.set('2028-01-10T00:00:00Z');
  expect((await registry.void(id, 'filed in error', { sub: 'admin', role: 'admin' })).status).toBe('voided');
}

beforeAll(async () => {
  root = tempDir('compaction-');
  base = join(root, 'base');
  mkdirSync(base, { recursive: true });
  await ingestAll(base);
  // The proposed base relations, beside the repository's views.
  proposedSql = join(root, 'sql-proposed');
  mkdirSync(join(proposedSql, 'tables', 'duckdb'), { recursive: true });
  symlinkSync(join(SQL_DIR, 'views'), join(proposedSql, 'views'));
  for (const t of Object.keys(TABLES) as TableName[]) {
    writeFileSync(join(proposedSql, 'tables', 'duckdb', `${TABLE_PREFIX[t].replace(/\//g, '_')}.sql`), duckdbBaseTableSql(t));
  }
  baseline = await snapshot(base, SQL_DIR);
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('compaction', () => {
  it('the proposed base relations give the same views as the repository ones on uncompacted data', async () => {
    expectSame(await snapshot(base, proposedSql), baseline, 'proposed, uncompacted');
    // The fixture is not trivial: every view has rows, and a void and corrections exist.
    for (const v of ['submissions', 'cadres', 'kpi_commune_year', 'cadre_gaps', 'commune_reports']) expect(baseline.get(v)?.length, v).toBeGreaterThan(0);
  });

  it('rewrites every year into one file per table, and every view returns identical rows', async () => {
    const dir = copyOf('full');
    const store = new FsObjectStore(dir);
    const clock = new ManualClock('2031-01-01T00:00:00Z');
    for (const year of PLAN.years) {
      const before = smallFiles(dir, year).length;
      const r = await compactYear({ store, clock, year, graceMs: 0 });
      expect(r.status).toBe('compacted');
      expect(smallFiles(dir, year)).toEqual([]);
      expect(r.files_after).toBeLessThanOrEqual(COMPACTED_TABLES.length);
      expect(r.files_before).toBeGreaterThanOrEqual(before);
    }
    expectSame(await snapshot(dir, SQL_DIR), baseline, 'repo sql, compacted');
    expectSame(await snapshot(dir, proposedSql), baseline, 'proposed sql, compacted');
    // A second run has nothing to do and changes nothing.
    const again = await compactYear({ store, clock, year: 2027, graceMs: 0 });
    expect(again.status).toBe('nothing_to_do');
    // The coverage index still says every version is committed, and the voided one voided.
    const index = new CompactionIndex(store);
    const sub = baseline.get('submissions')?.map((s) => JSON.parse(s) as { submission_id: string; year: number }) ?? [];
    for (const s of sub) expect(await index.isCommitted(s.year, s.submission_id)).toBe(true);
    const voided = (await index.coveredIds('voids', 2027)).size;
    expect(voided).toBe(1);
  });

  it('a crash before any step leaves every view unchanged, and the next run completes the job', async () => {
    const year = 2027;
    // The steps of one run.
    const steps: string[] = [];
    {
      const dir = copyOf('steps');
      await compactYear({ store: new FsObjectStore(dir), clock: new ManualClock('2031-01-01T00:00:00Z'), year, graceMs: 0, runId: 'run-1', onStep: (s) => void steps.push(s) });
    }
    expect(steps[0]).toBe('lease');
    expect(steps).toContain('write:cadres');
    expect(steps).toContain('manifest');
    // Every step except the long run of sweep deletions, of which the first and last of each table.
    const chosen = steps.filter((s, i) => {
      if (!s.startsWith('sweep:') || s.startsWith('sweep:mark') || s.startsWith('sweep:manifest')) return true;
      const kind = s.split(':')[1];
      return steps[i - 1]?.split(':')[1] !== kind;
    });
    expect(chosen.length).toBeGreaterThan(12);
    for (const crashAt of chosen) {
      const dir = copyOf('crash');
      const store = new FsObjectStore(dir);
      const clock = new ManualClock('2031-01-01T00:00:00Z');
      await expect(
        compactYear({
          store,
          clock,
          year,
          graceMs: 0,
          runId: 'run-1',
          onStep: (s) => {
            if (s === crashAt) throw new Error(`crash before ${s}`);
          },
        }),
      ).rejects.toThrow('crash before');
      expectSame(await snapshot(dir, proposedSql), baseline, `after a crash before ${crashAt}`);
      // Recovery: a later run (the crashed run's lease has expired) finishes; still identical, no small files.
      clock.advance(LEASE_MS + 1);
      await compactYear({ store, clock, year, graceMs: 0 });
      expect(smallFiles(dir, year), `after recovery from ${crashAt}`).toEqual([]);
      expectSame(await snapshot(dir, proposedSql), baseline, `after recovery from ${crashAt}`);
    }
  }, 600_000);

  it('before the grace period has passed, small and compacted files coexist and the views are unchanged', async () => {
    const dir = copyOf('grace');
    const store = new FsObjectStore(dir);
    const clock = new ManualClock('2031-01-01T00:00:00Z');
    const r = await compactYear({ store, clock, year: 2026, graceMs: 60_000 });
    expect(r.status).toBe('compacted');
    expect(r.swept).toEqual([]);
    expect(smallFiles(dir, 2026).length).toBeGreaterThan(0);
    expectSame(await snapshot(dir, proposedSql), baseline, 'duplicates pending the sweep');
    clock.advance(60_000);
    const later = await compactYear({ store, clock, year: 2026, graceMs: 60_000 });
    expect(later.status).toBe('nothing_to_do');
    expect(later.swept.length).toBeGreaterThan(0);
    expect(smallFiles(dir, 2026)).toEqual([]);
    expectSame(await snapshot(dir, SQL_DIR), baseline, 'swept');
  });

  it('a submission that commits while compaction runs is neither lost nor touched', async () => {
    const dir = copyOf('concurrent');
    const store = new FsObjectStore(dir);
    const clock = new ManualClock('2031-01-01T00:00:00Z');
    const year = 2028;
    const commune = communes[0]?.commune_code as string;
    const latest = demoSubmissions(new Date(NOW), PLAN, communes)
      .filter((i) => i.submission.commune_code === commune && i.submission.year === year)
      .at(-1)?.submission;
    if (!latest) throw new Error('fixture: no submission for that commune-year');
    const correction = structuredClone(latest);
    correction.cadres = correction.cadres.slice(0, correction.cadres.length - 4);
    const ingestClock = new ManualClock('2030-12-01T00:00:00Z');
    const svc = new IngestService({ store, clock: ingestClock, personKey, communes });
    let committed: string | undefined;
    // The correction lands after compaction has listed the committed set, while it writes the data tables.
    await compactYear({
      store,
      clock,
      year,
      graceMs: 0,
      onStep: async (s) => {
        if (s === 'write:staffing') {
          const r = await svc.ingest(correction, { actor: { sub: 'test', role: 'admin' } });
          expect(r.status).toBe('accepted');
          committed = r.submission_id;
        }
      },
    });
    expect(committed).toBeDefined();
    // Its own files are all still there (not compacted, not deleted) …
    for (const t of ['reports', 'staffing', 'cadres', 'cadre_identity', 'submissions'] as const) {
      expect(await store.exists(`${prefixOf(t, year)}${committed}.parquet`), t).toBe(true);
    }
    // … and the views see it as the latest version of its commune-year, with its rows exactly once.
    const wh = await openWarehouse({ dataDir: dir, asOf: AS_OF, communes, sqlDir: proposedSql });
    try {
      const s = await wh.query(`SELECT submission_id, is_latest FROM submissions WHERE commune_code = '${commune}' AND year = ${year} AND is_latest`);
      expect(s.rows).toEqual([{ submission_id: committed, is_latest: true }]);
      const c = await wh.query(`SELECT count(*) AS n FROM cadres WHERE commune_code = '${commune}' AND year = ${year}`);
      const active = correction.cadres.filter((x) => ['can_bo', 'cong_chuc', 'vien_chuc'].includes(x.category)).length;
      expect(c.rows[0]?.n).toBe(active);
      // Every other commune-year is as before.
      const others = await wh.query(`SELECT * FROM kpi_commune_year WHERE NOT (commune_code = '${commune}' AND year >= ${year})`, { maxRows: 1_000_000 });
      const expected = (baseline.get('kpi_commune_year') ?? []).filter((r) => {
        const row = JSON.parse(r) as { commune_code: string; year: number };
        return !(row.commune_code === commune && row.year >= year);
      });
      expect(others.rows.map((r) => JSON.stringify(r)).sort()).toEqual(expected);
    } finally {
      await wh.close();
    }
    // The next run picks it up.
    clock.advance(1000);
    await compactYear({ store, clock, year, graceMs: 0 });
    expect(smallFiles(dir, year)).toEqual([]);
  });
});
