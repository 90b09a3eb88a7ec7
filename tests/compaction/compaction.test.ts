// Compaction (functions/src/compaction): every view returns identical rows before and after, a crash before
// any step leaves the views unchanged (and a re-run finishes the job), and a submission that commits while
// compaction runs is neither lost nor touched. Real Parquet, real DuckDB through openWarehouse.
//
// The baseline is computed on the uncompacted folder with "plain" base relations (every file read, no read
// rule — one file per submission, so nothing can repeat); every other state is read with the repository's
// sql/tables/duckdb, which applies the compaction read rule.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { COMMUNES, PLAN } from '@scorecard/data-contracts';
import { FsObjectStore } from '@scorecard/functions/adapters/fs-store.ts';
import {
  COMPACTED_TABLES,
  compactYear,
  LEASE_MS,
  prefixOf,
} from '@scorecard/functions/compaction/compact.ts';
import { CompactionIndex } from '@scorecard/functions/compaction/coverage-index.ts';
import { demoSubmissions } from '@scorecard/functions/demo/generate.ts';
import { AuditLog } from '@scorecard/functions/ingest/audit.ts';
import { IngestService } from '@scorecard/functions/ingest/ingest-service.ts';
import { personKeyFromSecret } from '@scorecard/functions/ingest/person-key.ts';
import { SubmissionRegistry } from '@scorecard/functions/ingest/registry.ts';
import { ManualClock } from '@scorecard/functions/ports/clock.ts';
import { openWarehouse, SQL_DIR, viewFiles } from '@scorecard/functions/warehouse/duckdb-warehouse.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFiles, tempDir } from '../helpers/data-dir.ts';

const NOW = '2030-12-31T00:00:00Z';
const AS_OF = '2030-12-31T00:00:00Z';
const communes = COMMUNES.slice(0, 8);
const personKey = personKeyFromSecret('c'.repeat(64));
const VIEWS = viewFiles().map((v) => v.name);

let root: string;
let base: string; // the ingested folder, never compacted
let plainSql: string;
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
  return listFiles(dir).filter(
    (f) =>
      /year=\d{4}\/[0-9a-f-]{36}\.parquet$/.test(f) && f.includes(`year=${year}/`) && !f.startsWith('raw/'),
  );
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
  // Plain base relations (no read rule), beside the repository's views: the independent baseline.
  plainSql = join(root, 'sql-plain');
  mkdirSync(join(plainSql, 'tables', 'duckdb'), { recursive: true });
  symlinkSync(join(SQL_DIR, 'views'), join(plainSql, 'views'));
  writeFileSync(
    join(plainSql, 'tables', 'duckdb', 'base_relation.sql'),
    `create or replace table {{relation}} as select * from read_parquet('{{root}}/{{prefix}}/**/*.parquet', hive_partitioning = true, hive_types = {'year': INTEGER}, union_by_name = true)`,
  );
  baseline = await snapshot(base, plainSql);
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('compaction', () => {
  it('the read rule gives the same views as a plain read on uncompacted data', async () => {
    expectSame(await snapshot(base, SQL_DIR), baseline, 'read rule, uncompacted');
    // The fixture is not trivial: every view has rows, and a void and corrections exist.
    for (const v of ['submissions', 'cadres', 'kpi_commune_year', 'cadre_gaps', 'commune_reports'])
      expect(baseline.get(v)?.length, v).toBeGreaterThan(0);
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
    expectSame(await snapshot(dir, SQL_DIR), baseline, 'compacted');
    // The plain read agrees too once every small file is swept (one copy of each submission is left).
    expectSame(await snapshot(dir, plainSql), baseline, 'plain read, compacted');
    // A second run has nothing to do and changes nothing.
    const again = await compactYear({ store, clock, year: 2027, graceMs: 0 });
    expect(again.status).toBe('nothing_to_do');
    // The coverage index still says every version is committed, and the voided one voided.
    const index = new CompactionIndex(store);
    const sub =
      baseline.get('submissions')?.map((s) => JSON.parse(s) as { submission_id: string; year: number }) ?? [];
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
      await compactYear({
        store: new FsObjectStore(dir),
        clock: new ManualClock('2031-01-01T00:00:00Z'),
        year,
        graceMs: 0,
        runId: 'run-1',
        onStep: (s) => void steps.push(s),
      });
    }
    expect(steps[0]).toBe('lease');
    expect(steps).toContain('write:cadres');
    expect(steps).toContain('manifest');
    // Every step except the long run of sweep deletions, of which the first and last of each table.
    const chosen = steps.filter((s, i) => {
      if (!s.startsWith('sweep:') || s.startsWith('sweep:mark') || s.startsWith('sweep:manifest'))
        return true;
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
      expectSame(await snapshot(dir, SQL_DIR), baseline, `after a crash before ${crashAt}`);
      // Recovery: a later run (the crashed run's lease has expired) finishes; still identical, no small files.
      clock.advance(LEASE_MS + 1);
      await compactYear({ store, clock, year, graceMs: 0 });
      expect(smallFiles(dir, year), `after recovery from ${crashAt}`).toEqual([]);
      expectSame(await snapshot(dir, SQL_DIR), baseline, `after recovery from ${crashAt}`);
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
    expectSame(await snapshot(dir, SQL_DIR), baseline, 'duplicates pending the sweep');
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
    const wh = await openWarehouse({ dataDir: dir, asOf: AS_OF, communes, sqlDir: SQL_DIR });
    try {
      const s = await wh.query(
        `SELECT submission_id, is_latest FROM submissions WHERE commune_code = '${commune}' AND year = ${year} AND is_latest`,
      );
      expect(s.rows).toEqual([{ submission_id: committed, is_latest: true }]);
      const c = await wh.query(
        `SELECT count(*) AS n FROM cadres WHERE commune_code = '${commune}' AND year = ${year}`,
      );
      const active = correction.cadres.filter((x) =>
        ['can_bo', 'cong_chuc', 'vien_chuc'].includes(x.category),
      ).length;
      expect(c.rows[0]?.n).toBe(active);
      // Every other commune-year is as before.
      const others = await wh.query(
        `SELECT * FROM kpi_commune_year WHERE NOT (commune_code = '${commune}' AND year >= ${year})`,
        { maxRows: 1_000_000 },
      );
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

  it('after compaction, ingest and the register answer as before (committed, voided, duplicates, carry-over, void)', async () => {
    const baseStore = new FsObjectStore(base);
    const clock = new ManualClock('2031-01-01T00:00:00Z');
    const audit = new AuditLog(baseStore, clock);
    const before = new Map<number, unknown>();
    for (const y of PLAN.years)
      before.set(y, await new SubmissionRegistry(baseStore, clock, audit).history(y));

    const dir = copyOf('after');
    const store = new FsObjectStore(dir);
    for (const year of PLAN.years) await compactYear({ store, clock, year, graceMs: 0 });
    expect(smallFiles(dir, 2027)).toEqual([]);
    const registry = new SubmissionRegistry(store, clock, new AuditLog(store, clock));
    // The history (committed and voided flags, void reasons) is the same as before compaction.
    for (const y of PLAN.years) expect(await registry.history(y), `history ${y}`).toEqual(before.get(y));
    const voided = (before.get(2027) as { submission_id: string; voided: boolean }[]).find((h) => h.voided);
    if (!voided) throw new Error('fixture: the voided version');
    expect(await registry.locate(voided.submission_id)).toMatchObject({ year: 2027 });
    // Voiding a compacted void again is refused (no second void row could change voided_at) …
    expect((await registry.void(voided.submission_id, 'again', { sub: 'admin', role: 'admin' })).status).toBe(
      'already_voided',
    );

    // … and the ingest service treats compacted versions as committed: the latest content again is a duplicate …
    const ingestClock = new ManualClock('2030-12-20T00:00:00Z');
    const svc = new IngestService({ store, clock: ingestClock, personKey, communes });
    const commune = communes[1]?.commune_code as string;
    const latest = demoSubmissions(new Date(NOW), PLAN, communes)
      .filter((i) => i.submission.commune_code === commune && i.submission.year === 2030)
      .at(-1)?.submission;
    if (!latest) throw new Error('fixture: no submission for that commune-year');
    const dup = await svc.ingest(latest, { actor: { sub: 'test', role: 'admin' } });
    expect(dup.status).toBe('duplicate');
    expect(smallFiles(dir, 2030)).toEqual([]); // nothing rewritten, no pending version "completed" again
    // … and a correction without national IDs carries the person keys over from the compacted version.
    const correction = structuredClone(latest);
    for (const c of correction.cadres) delete c.national_id;
    correction.report.dialogues_held = (correction.report.dialogues_held ?? 0) + 1;
    const r = await svc.ingest(correction, { actor: { sub: 'test', role: 'admin' } });
    expect(r.errors).toEqual([]);
    expect(r.status).toBe('accepted');
    expect(r.version).toBe((dup.version ?? 0) + 1);
    // A compacted submission can still be voided by id.
    const other = (before.get(2029) as { submission_id: string; voided: boolean }[]).find((h) => !h.voided);
    expect(
      (await registry.void(other?.submission_id as string, 'test', { sub: 'admin', role: 'admin' })).status,
    ).toBe('voided');
  });

  it('npm run compact: compacts every plan year up to now in the data folder; bad arguments change nothing', async () => {
    const dir = copyOf('cli');
    const run = promisify(execFile);
    const env = {
      ...process.env,
      DATA_DIR: dir,
      SCORECARD_NOW: '2031-01-01T00:00:00Z',
      PERSON_KEY_FILE: join(root, 'cli-key'),
    };
    const cwd = join(import.meta.dirname, '..', '..');
    const bad = await run(
      process.execPath,
      ['--import', 'tsx', 'functions/src/entry/cli/compact.ts', '--year', '1999'],
      { cwd, env },
    ).catch((e) => e as { code: number; stderr: string });
    expect((bad as { code: number }).code).toBe(2);
    expect((bad as { stderr: string }).stderr).toContain('npm run compact');
    expect(smallFiles(dir, 2027).length).toBeGreaterThan(0);
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'functions/src/entry/cli/compact.ts', '--grace-minutes', '0'],
      { cwd, env },
    );
    for (const y of PLAN.years) {
      expect(stdout).toContain(`Year ${y}: compacted`);
      expect(smallFiles(dir, y)).toEqual([]);
    }
    expectSame(await snapshot(dir, SQL_DIR), baseline, 'after npm run compact');
  });
});
