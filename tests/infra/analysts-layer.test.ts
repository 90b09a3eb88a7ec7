// The analysts' layer (issue 15, item 11; functions/src/marts/analysts-layer.ts): each refresh writes every
// analysts' view as Parquet under analysts/ and points a table of the analysts' own database at it, so the
// analysts' role needs — and has — nothing of the internal catalogue. Real components: demo submissions in a
// data folder, the DuckDB warehouse as the engine (the same view files Athena runs), the S3 stand-in (versioned,
// as the marts bucket), and DuckDB reading back the Parquet written. Glue cannot run here: its API is mocked
// (aws-sdk-client-mock) for the adapter's requests, and the stand-in catalogue below records what is published.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AccessDeniedException,
  CreateTableCommand,
  EntityNotFoundException,
  GetTableCommand,
  GlueClient,
  UpdateTableCommand,
} from '@aws-sdk/client-glue';
import { DuckDBInstance } from '@duckdb/node-api';
import { COMMUNES, PLAN } from '@scorecard/data-contracts';
import { FsObjectStore } from '@scorecard/functions/adapters/fs-store.ts';
import { GlueAnalystsCatalog } from '@scorecard/functions/adapters/glue-catalog.ts';
import { demoSubmissions } from '@scorecard/functions/demo/generate.ts';
import { createRefreshHandler } from '@scorecard/functions/entry/lambda/cloud-refresh.ts';
import { IngestService } from '@scorecard/functions/ingest/ingest-service.ts';
import { personKeyFromSecret } from '@scorecard/functions/ingest/person-key.ts';
import {
  type AnalystsCatalog,
  publishAnalystsLayer,
  viewToParquet,
} from '@scorecard/functions/marts/analysts-layer.ts';
import { ManualClock } from '@scorecard/functions/ports/clock.ts';
import type { SqlColumn } from '@scorecard/functions/ports/sql-engine.ts';
import { openWarehouse, type Warehouse } from '@scorecard/functions/warehouse/duckdb-warehouse.ts';
import { ANALYST_VIEWS } from '@scorecard/functions/warehouse/views.ts';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type S3StandIn, startS3StandIn } from './s3-stand-in-process.ts';

const AS_OF = '2027-12-01T00:00:00Z';
const communes = COMMUNES.slice(0, 5);
let s3: S3StandIn;
let wh: Warehouse;

beforeAll(async () => {
  s3 = await startS3StandIn();
  const dir = mkdtempSync(join(tmpdir(), 'analysts-layer-'));
  const store = new FsObjectStore(dir);
  const clock = new ManualClock('2027-11-20T00:00:00Z');
  const svc = new IngestService({ store, clock, personKey: personKeyFromSecret('c'.repeat(64)), communes });
  for (const item of demoSubmissions(new Date('2027-11-20T00:00:00Z'), PLAN, communes)) {
    clock.set(item.receivedAt);
    await svc.ingest(item.submission, { actor: { sub: 'test', role: 'admin' } });
  }
  wh = await openWarehouse({ dataDir: dir, asOf: AS_OF, communes });
}, 120_000);

afterAll(async () => {
  await wh?.close();
  await s3?.stop();
});

/** A catalogue that records each table's columns and folder, as Glue would hold them. */
function recordingCatalog() {
  const tables = new Map<string, { columns: readonly SqlColumn[]; folder: string }>();
  const catalog: AnalystsCatalog = {
    async publish(view, columns, folder) {
      tables.set(view, { columns, folder });
    },
  };
  return { catalog, tables };
}

/** Rows compared whatever their order. */
const canonical = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(r)).sort();

describe("the analysts' layer", () => {
  it('holds every analysts’ view, row for row and type for type, as DuckDB reads the Parquet back', async () => {
    const store = s3.store(await s3.bucket('marts', { versioned: true }));
    const { catalog, tables } = recordingCatalog();
    const r = await publishAnalystsLayer({
      store,
      catalog,
      engine: wh,
      views: ANALYST_VIEWS,
      generation: 'g1',
      byYear: { views: ['cadres'], years: PLAN.years },
    });
    expect(r.views).toBe(ANALYST_VIEWS.length);
    expect([...tables.keys()].sort()).toEqual([...ANALYST_VIEWS].sort());
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    const dir = mkdtempSync(join(tmpdir(), 'analysts-read-'));
    let rows = 0;
    for (const view of ANALYST_VIEWS) {
      const t = tables.get(view);
      expect(t?.folder).toBe(`analysts/${view}/generation=g1/`);
      // Every file of the generation (cadres: one per plan year), read as the table Glue describes.
      const keys = await store.list(t?.folder as string);
      expect(keys.length, view).toBe(view === 'cadres' ? PLAN.years.length : 1);
      mkdirSync(join(dir, view));
      for (const key of keys)
        writeFileSync(join(dir, view, key.split('/').pop() as string), (await store.get(key)) as Uint8Array);
      const file = join(dir, view, '*.parquet');
      const expected = await wh.query(`SELECT * FROM ${view}`, { maxRows: 1_000_000 });
      const back = await db.runAndReadAll(`SELECT * FROM read_parquet('${file}')`);
      // The same columns with the same types …
      expect(
        back.columnNames().map((n, i) => `${n}:${String(back.columnType(i))}`),
        view,
      ).toEqual(expected.columns.map((c) => `${c.name}:${c.type}`));
      // … and the same rows, read back in the engine's shape (instants as ISO strings, dates as YYYY-MM-DD).
      const select = expected.columns
        .map((c) =>
          c.type === 'TIMESTAMP'
            ? `strftime("${c.name}", '%Y-%m-%dT%H:%M:%S.%g') || 'Z' AS "${c.name}"`
            : c.type === 'DATE'
              ? `strftime("${c.name}", '%Y-%m-%d') AS "${c.name}"`
              : c.type === 'BIGINT'
                ? `CAST("${c.name}" AS DOUBLE) AS "${c.name}"`
                : `"${c.name}"`,
        )
        .join(', ');
      const readBack = await db.runAndReadAll(`SELECT ${select} FROM read_parquet('${file}')`);
      expect(canonical(readBack.getRowObjectsJson() as Record<string, unknown>[]), view).toEqual(
        canonical(expected.rows),
      );
      rows += expected.rows.length;
    }
    expect(rows).toBeGreaterThan(100);
    expect(r.rows).toBe(rows);
  });

  it('a new generation replaces the old one, which goes with its versions', async () => {
    const store = s3.store(await s3.bucket('marts', { versioned: true }));
    const { catalog, tables } = recordingCatalog();
    const views = ['cadres', 'communes'];
    await publishAnalystsLayer({ store, catalog, engine: wh, views, generation: 'g1' });
    await publishAnalystsLayer({ store, catalog, engine: wh, views, generation: 'g2' });
    expect(tables.get('cadres')?.folder).toBe('analysts/cadres/generation=g2/');
    const versions = await store.versions('analysts/');
    expect(versions.map((v) => v.key).sort()).toEqual([
      'analysts/cadres/generation=g2/data.parquet',
      'analysts/communes/generation=g2/data.parquet',
    ]);
  });

  it('writes any value of each column type and reads it back (generated rows, NULLs included)', async () => {
    const columns: SqlColumn[] = [
      { name: 's', type: 'VARCHAR' },
      { name: 'i', type: 'INTEGER' },
      { name: 'b', type: 'BIGINT' },
      { name: 'd', type: 'DOUBLE' },
      { name: 't', type: 'BOOLEAN' },
      { name: 'ts', type: 'TIMESTAMP' },
      { name: 'dt', type: 'DATE' },
    ];
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    const dir = mkdtempSync(join(tmpdir(), 'analysts-types-'));
    const instant = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) });
    const row = fc.record({
      s: fc.option(fc.string({ unit: 'grapheme', maxLength: 30 })),
      i: fc.option(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })),
      b: fc.option(fc.integer({ min: -(2 ** 40), max: 2 ** 40 })),
      d: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true })),
      t: fc.option(fc.boolean()),
      ts: fc.option(instant.map((ms) => new Date(ms).toISOString())),
      dt: fc.option(instant.map((ms) => new Date(ms).toISOString().slice(0, 10))),
    });
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 20 }), async (rows) => {
        const file = join(dir, `t${n++}.parquet`);
        writeFileSync(file, viewToParquet(columns, rows));
        const back = await db.runAndReadAll(
          `SELECT s, i, b, d, t, strftime(ts, '%Y-%m-%dT%H:%M:%S.%g') || 'Z' AS ts, strftime(dt, '%Y-%m-%d') AS dt FROM read_parquet('${file}')`,
        );
        expect(back.getRowObjectsJson().map((r) => ({ ...r, b: r.b === null ? null : Number(r.b) }))).toEqual(
          rows,
        );
      }),
      { numRuns: 40 },
    );
    expect(() => viewToParquet([{ name: 'x', type: 'HUGEINT' }], [])).toThrow(/no Parquet type/);
  });

  it('the refresh writes the layer after the marts, at the marts’ instant', async () => {
    const store = s3.store(await s3.bucket('marts', { versioned: true }));
    const { catalog, tables } = recordingCatalog();
    const asOfs: string[] = [];
    const handler = createRefreshHandler({
      store,
      clock: new ManualClock('2026-11-06T02:00:00Z'),
      engine: (asOf) => {
        asOfs.push(asOf.toISOString());
        return {
          async query() {
            return { columns: [{ name: 'v', type: 'INTEGER' }], rows: [{ v: 1 }], truncated: false };
          },
          async close() {},
        };
      },
      analysts: { catalog, views: ['cadres', 'kpi_commune_year'] },
    });
    await handler({ Records: [{}] });
    expect(new Set(asOfs)).toEqual(new Set(['2026-11-06T02:00:00.000Z']));
    expect(asOfs).toHaveLength(2); // one engine for the marts, one for the layer
    expect([...tables.keys()]).toEqual(['cadres', 'kpi_commune_year']);
    expect(await store.exists('marts/_manifest.json')).toBe(true);
  });
});

describe("the analysts' catalogue on Glue (Glue's API mocked: it cannot run here)", () => {
  const columns: SqlColumn[] = [
    { name: 'year', type: 'INTEGER' },
    { name: 'person_key', type: 'VARCHAR' },
    { name: 'received_date_vn', type: 'DATE' },
  ];
  const catalogWith = (glue: GlueClient) =>
    new GlueAnalystsCatalog({
      database: 'commune_scorecard_analysts',
      locationOf: (k) => `s3://marts-bucket/${k}`,
      glue,
    });

  it('creates the table on the first publish, then switches its location with UpdateTable', async () => {
    const glue = new GlueClient({ region: 'ap-southeast-1' });
    const mock = mockClient(glue);
    mock
      .on(GetTableCommand)
      .rejectsOnce(new EntityNotFoundException({ message: 'not found', $metadata: {} }))
      .resolves({});
    const catalog = catalogWith(glue);
    await catalog.publish('cadres', columns, 'analysts/cadres/generation=g1/');
    await catalog.publish('cadres', columns, 'analysts/cadres/generation=g2/');
    const created = mock.commandCalls(CreateTableCommand)[0]?.args[0].input;
    expect(created).toMatchObject({
      DatabaseName: 'commune_scorecard_analysts',
      TableInput: {
        Name: 'cadres',
        TableType: 'EXTERNAL_TABLE',
        StorageDescriptor: {
          Columns: [
            { Name: 'year', Type: 'int' },
            { Name: 'person_key', Type: 'string' },
            { Name: 'received_date_vn', Type: 'date' },
          ],
          Location: 's3://marts-bucket/analysts/cadres/generation=g1/',
          SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
        },
      },
    });
    const updated = mock.commandCalls(UpdateTableCommand);
    expect(updated).toHaveLength(1);
    expect(updated[0]?.args[0].input.TableInput?.StorageDescriptor?.Location).toBe(
      's3://marts-bucket/analysts/cadres/generation=g2/',
    );
  });

  it('a refusal is an error, never "missing" (no CreateTable over an AccessDenied)', async () => {
    const glue = new GlueClient({ region: 'ap-southeast-1' });
    const mock = mockClient(glue);
    mock.on(GetTableCommand).rejects(new AccessDeniedException({ message: 'denied', $metadata: {} }));
    await expect(
      catalogWith(glue).publish('cadres', columns, 'analysts/cadres/generation=g1/'),
    ).rejects.toThrow(/denied/);
    expect(mock.commandCalls(CreateTableCommand)).toHaveLength(0);
  });
});
