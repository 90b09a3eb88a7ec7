// The benchmark's national folder is built by BatchIngestService (bench/generate.ts): the real ingest pipeline
// up to the version claim, then each year's rows written at once as compacted files with a manifest. This checks
// that such a folder is what the product itself would hold after ingesting the same submissions one by one and
// compacting: every view returns the same rows (submission ids aside — they are fresh UUIDs in each run), and
// the register and the coverage index agree.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_NOW, benchPlan, ingestItems, nationalCommunes } from '@scorecard/bench/generate.ts';
import { PLAN } from '@scorecard/data-contracts';
import { FsObjectStore } from '@scorecard/functions/adapters/fs-store.ts';
import { compactYear } from '@scorecard/functions/compaction/compact.ts';
import { AuditLog } from '@scorecard/functions/ingest/audit.ts';
import { SubmissionRegistry } from '@scorecard/functions/ingest/registry.ts';
import { ManualClock } from '@scorecard/functions/ports/clock.ts';
import { openWarehouse, viewFiles } from '@scorecard/functions/warehouse/duckdb-warehouse.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { listFiles, tempDir } from '../helpers/data-dir.ts';

const root = tempDir('bench-gen-');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const withoutIds = (row: object) =>
  JSON.stringify(Object.fromEntries(Object.entries(row).filter(([k]) => !k.endsWith('submission_id'))));

async function views(dir: string, communes: ReturnType<typeof nationalCommunes>) {
  const wh = await openWarehouse({ dataDir: dir, asOf: BENCH_NOW, communes });
  try {
    const out = new Map<string, string[]>();
    for (const v of viewFiles())
      out.set(
        v.name,
        (await wh.query(`select * from ${v.name}`, { maxRows: 1_000_000 })).rows.map(withoutIds).sort(),
      );
    return out;
  } finally {
    await wh.close();
  }
}

describe('bench generator (batch commit)', () => {
  it('gives the same views, register and coverage as one-by-one ingest followed by compaction', async () => {
    const communes = nationalCommunes(12);
    const items = benchPlan(communes);
    expect(items.some((i) => i.correction)).toBe(true);
    const real = join(root, 'real');
    const batch = join(root, 'batch');
    await ingestItems(real, items, communes, undefined, 'real', 4);
    const clock = new ManualClock('2031-01-01T00:00:00Z');
    for (const year of PLAN.years)
      await compactYear({ store: new FsObjectStore(real), clock, year, graceMs: 0 });
    const m = await ingestItems(batch, items, communes, undefined, 'batch', 8);
    expect(m.accepted).toBe(items.length);
    // One compacted file per table-year, no small files.
    expect(listFiles(batch).filter((f) => /\/[0-9a-f-]{36}\.parquet$/.test(f))).toEqual([]);

    const a = await views(real, communes);
    const b = await views(batch, communes);
    for (const [name, rows] of a) expect(b.get(name), name).toEqual(rows);
    expect(a.get('kpi_commune_year')?.length).toBeGreaterThan(0);

    for (const year of PLAN.years) {
      const h = async (dir: string) => {
        const store = new FsObjectStore(dir);
        return (await new SubmissionRegistry(store, clock, new AuditLog(store, clock)).history(year)).map(
          withoutIds,
        );
      };
      const ha = await h(real);
      expect(ha.length).toBeGreaterThan(communes.length - 1);
      expect(await h(batch), `history ${year}`).toEqual(ha);
    }
  }, 120_000);
});
