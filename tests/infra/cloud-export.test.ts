// Meeting packs on AWS, end to end on this machine: POST /exports on the cloud API (S3 store on the s3rver
// stand-in, SQS mocked) records the request and queues it; the export function takes the queue message (or a
// Scheduler event), builds the pack over "Athena" and writes it where GET /exports/:id finds it.
//
// Athena cannot run here. Its stand-in is aws-sdk-client-mock answering StartQueryExecution /
// GetQueryExecution / GetQueryResults the way Athena does (strings, header row on the first page, pages of
// 1000), with the rows DuckDB computes for the very query text received — over a warehouse loaded at a LATER
// instant than the pack's as-of. So the pack can only come out right if each query carries its own as-of
// (as-of-views.ts): the test compares it with the pack `npm run export` writes locally for that as-of.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AthenaClient,
  type ColumnInfo,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type Row,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { exportSchedule, PLAN } from '@scorecard/data-contracts';
import { AthenaEngine } from '@scorecard/functions/adapters/athena-engine.ts';
import type { S3ObjectStore } from '@scorecard/functions/adapters/s3-store.ts';
import { ALL_ROUTES } from '@scorecard/functions/api/routes/index.ts';
import { analystSqlFromEnv } from '@scorecard/functions/entry/lambda/analyst-sql.ts';
import { createCloudApi } from '@scorecard/functions/entry/lambda/cloud-api.ts';
import { createExportHandler } from '@scorecard/functions/entry/lambda/cloud-export.ts';
import { createMeetingPack } from '@scorecard/functions/entry/local/packs.ts';
import { type Actor, AuditLog } from '@scorecard/functions/ingest/audit.ts';
import { type ExportRunDeps, scheduledExportId } from '@scorecard/functions/packs/cloud-exports.ts';
import type { ExportStatus } from '@scorecard/functions/packs/export-service.ts';
import { buildMeetingPack, type Manifest } from '@scorecard/functions/packs/meeting-pack.ts';
import { ManualClock } from '@scorecard/functions/ports/clock.ts';
import type { SqlRow } from '@scorecard/functions/ports/sql-engine.ts';
import { AsOfEngine, AsOfViews, sqlViewsDir } from '@scorecard/functions/warehouse/as-of-views.ts';
import { openWarehouse, type Warehouse } from '@scorecard/functions/warehouse/duckdb-warehouse.ts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildFixture, type Fixture, NOW } from '../sql/fixture.ts';
import { type S3StandIn, startS3StandIn } from './s3-stand-in-process.ts';

/** Every route group, as the three API functions together answer them. */
const EVERY_ROUTE = { routes: ALL_ROUTES, sql: analystSqlFromEnv };
const QUEUE_URL = 'https://sqs.ap-southeast-1.amazonaws.com/111111111111/export-queue';
const due = (meeting: string, year: number) =>
  exportSchedule(PLAN).find((d) => d.meeting === meeting && d.year === year)?.due as Date;

let fx: Fixture;
let later: Warehouse;
let s3: S3StandIn;
let store: S3ObjectStore;
let curatedBucket = '';
let rawBucket = '';
const views = AsOfViews.fromDir(sqlViewsDir({}), PLAN);

// ---- the Athena stand-in: DuckDB behind Athena's API shapes ----------------------------------------------
const athena = new AthenaClient({ region: 'ap-southeast-1' });
const athenaMock = mockClient(athena);
const sent: { QueryString: string; WorkGroup?: string; ExecutionParameters?: string[] }[] = [];
const results = new Map<string, { columns: ColumnInfo[]; rows: Row[] } | { error: string }>();
let failQueries = false;

function athenaType(duckType: string): string {
  const t = duckType.toLowerCase();
  if (t === 'hugeint') return 'bigint';
  if (t.startsWith('decimal')) return 'decimal';
  return t;
}

function athenaText(v: SqlRow[string], type: string): string | undefined {
  if (v === null) return undefined;
  if (type === 'timestamp' && typeof v === 'string') return v.replace('T', ' ').replace('Z', '');
  return String(v);
}

function installAthena() {
  athenaMock.reset();
  athenaMock.on(StartQueryExecutionCommand).callsFake(async (input) => {
    sent.push(input);
    const id = `q-${sent.length}`;
    if (failQueries) {
      results.set(id, { error: 'HIVE_CANNOT_OPEN_SPLIT (simulated)' });
      return { QueryExecutionId: id };
    }
    try {
      if (input.ExecutionParameters?.length) throw new Error('the stand-in runs literal queries only');
      const r = await later.query(input.QueryString, { maxRows: 1_000_000 });
      const columns = r.columns.map((c) => ({ Name: c.name, Label: c.name, Type: athenaType(c.type) }));
      const rows = r.rows.map((row) => ({
        Data: columns.map((c) => {
          const text = athenaText(row[c.Name] ?? null, c.Type);
          return text === undefined ? {} : { VarCharValue: text };
        }),
      }));
      results.set(id, { columns, rows });
    } catch (e) {
      results.set(id, { error: (e as Error).message });
    }
    return { QueryExecutionId: id };
  });
  athenaMock.on(GetQueryExecutionCommand).callsFake(async (input) => {
    const r = results.get(input.QueryExecutionId);
    return r && 'error' in r
      ? { QueryExecution: { Status: { State: 'FAILED', StateChangeReason: r.error }, StatementType: 'DML' } }
      : { QueryExecution: { Status: { State: 'SUCCEEDED' }, StatementType: 'DML' } };
  });
  athenaMock.on(GetQueryResultsCommand).callsFake(async (input) => {
    const r = results.get(input.QueryExecutionId);
    if (!r || 'error' in r) throw new Error('no results');
    const start = input.NextToken ? Number(input.NextToken) : 0;
    // Athena's first page starts with the header row and holds MaxResults rows in all.
    const header = start === 0 ? [{ Data: r.columns.map((c) => ({ VarCharValue: c.Name })) }] : [];
    const take = (input.MaxResults ?? 1000) - header.length;
    const page = r.rows.slice(start, start + take);
    const next = start + take < r.rows.length ? String(start + take) : undefined;
    return {
      ResultSet: { ResultSetMetadata: { ColumnInfo: r.columns }, Rows: [...header, ...page] },
      ...(next ? { NextToken: next } : {}),
    };
  });
}

// ---- the export function's dependencies, as exportDepsFromEnv builds them (store and engine swapped) -------
const clock = new ManualClock(NOW);
function deps(): ExportRunDeps & { logs: Record<string, unknown>[] } {
  const logs: Record<string, unknown>[] = [];
  return {
    store,
    clock,
    plan: PLAN,
    build: buildMeetingPack,
    openEngine: async (asOf) =>
      new AsOfEngine(
        new AthenaEngine({
          athena,
          workGroup: 'scorecard-exports',
          database: 'commune_scorecard',
          sleep: async () => {},
        }),
        views,
        asOf,
      ),
    audit: new AuditLog(store, clock),
    log: (e) => logs.push(e),
    logs,
  };
}

const text = (b: Uint8Array | null) => new TextDecoder().decode(b ?? new Uint8Array());
const getStatus = async (id: string) =>
  JSON.parse(text(await store.get(`exports/${id}/status.json`))) as ExportStatus;

async function localPack(meeting: 'annual' | 'review' | 'final', year: number, asOf: Date) {
  const outDir = mkdtempSync(join(tmpdir(), 'local-pack-'));
  const manifest = await createMeetingPack({
    dataDir: fx.dir,
    year,
    meeting,
    asOf,
    outDir,
    now: new Date(NOW),
  });
  return { manifest, outDir };
}

beforeAll(async () => {
  [fx, s3] = await Promise.all([buildFixture(), startS3StandIn()]);
  // The later state: every submission, the void and the corrections are in; the packs ask for earlier instants.
  // Nothing materialised: the inlined queries read the base relations, as Athena's do.
  later = await openWarehouse({ dataDir: fx.dir, asOf: NOW, materialise: 'none' });
  // The raw bucket as deployed: Object Lock on (every put must carry a checksum).
  [curatedBucket, rawBucket] = await Promise.all([
    s3.bucket('curated'),
    s3.bucket('raw', { objectLock: true }),
  ]);
  const exportsBucket = await s3.bucket('exports');
  store = s3.store(curatedBucket, { raw: rawBucket, audit: rawBucket, exports: exportsBucket });
}, 300_000);

afterAll(async () => {
  await later?.close();
  await s3?.stop();
});

beforeEach(() => {
  sent.length = 0;
  failQueries = false;
  installAthena();
});

describe('cloud exports: POST /exports → SQS → export function', () => {
  const leader: Actor = { sub: 'leader-1', role: 'leader' };
  const sqs = new SQSClient({ region: 'ap-southeast-1' });
  const sqsMock = mockClient(sqs);
  /** The cloud API as deployed (S3 stand-in, SQS mocked), with `extra` environment (e.g. the inline limit). */
  const api = (extra: Record<string, string> = {}) =>
    createCloudApi(
      {
        STORE_DEFAULT_BUCKET: curatedBucket,
        AWS_REGION: 'ap-southeast-1',
        COGNITO_USER_POOL_ID: 'ap-southeast-1_TEST',
        COGNITO_CLIENT_ID: 'client',
        EXPORT_QUEUE_URL: QUEUE_URL,
        SCORECARD_NOW: NOW,
        ...extra,
      },
      {
        store,
        sqs,
        tokens: { mode: 'cognito', verify: async (t) => (t === 'leader-token' ? leader : null) },
      },
      EVERY_ROUTE,
    );
  const post = async (body: unknown) =>
    (await api()).request('/api/v1/exports', {
      method: 'POST',
      headers: { authorization: 'Bearer leader-token', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('records the request, queues it, and the export function writes the same pack as `npm run export`', async () => {
    sqsMock.reset();
    sqsMock.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    const asOf = due('annual', 2027);
    const res = await post({ year: 2027, meeting: 'annual', as_of: asOf.toISOString() });
    expect(res.status).toBe(202);
    const { export_id } = (await res.json()) as { export_id: string };

    // Queued: the record GET /exports/:id reads, and one message carrying its id.
    const app = await api();
    const auth = { headers: { authorization: 'Bearer leader-token' } };
    expect(await (await app.request(`/api/v1/exports/${export_id}`, auth)).json()).toMatchObject({
      export_id,
      status: 'queued',
      as_of: asOf.toISOString(),
      requested_by: 'leader-1',
    });
    const calls = sqsMock.commandCalls(SendMessageCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input.QueueUrl).toBe(QUEUE_URL);
    const body = calls[0]?.args[0].input.MessageBody as string;
    expect(JSON.parse(body)).toEqual({
      export_id,
      meeting: 'annual',
      year: 2027,
      as_of: asOf.toISOString(),
      requested_by: 'leader-1',
    });
    expect(sent).toHaveLength(0); // nothing ran in the API function

    // The export function, as the SQS event source invokes it.
    const d = deps();
    const handler = createExportHandler(d);
    expect(await handler({ Records: [{ messageId: 'm-1', body }] })).toEqual({ batchItemFailures: [] });

    // Every query went to the exports workgroup carrying the pack's as-of; none carried the clock.
    expect(sent.length).toBeGreaterThan(3);
    const literal = `TIMESTAMP '${asOf.toISOString().replace('T', ' ').replace('Z', '')}'`;
    for (const q of sent) {
      expect(q.WorkGroup).toBe('scorecard-exports');
      expect(q.QueryString).toContain(literal);
      expect(q.QueryString).not.toMatch(/current_timestamp|\bcreate\b/i);
    }

    const status = (await (await app.request(`/api/v1/exports/${export_id}`, auth)).json()) as ExportStatus;
    expect(status).toMatchObject({ status: 'done', progress: { done: 6, total: 6 } });
    expect(status.files.map((f) => f.name)).toEqual(
      expect.arrayContaining(['manifest.json', 'kpi_province.csv', 'submissions.csv']),
    );
    // Reproducible: the data of `npm run export --as-of` for the same instant, table by table.
    const local = await localPack('annual', 2027, asOf);
    const manifest = JSON.parse(text(await store.get(`exports/${export_id}/manifest.json`))) as Manifest;
    expect(manifest.as_of).toBe(asOf.toISOString());
    expect(manifest.tables).toEqual(local.manifest.tables);
    expect(manifest.submissions).toEqual(local.manifest.submissions);
    expect(manifest.data_sha256).toBe(local.manifest.data_sha256);
    expect(status.data_sha256).toBe(local.manifest.data_sha256);
    // …and the API serves the same bytes.
    const csv = await app.request(`/api/v1/exports/${export_id}/kpi_communes.csv`, auth);
    expect(csv.status).toBe(200);
    expect(Buffer.from(await csv.arrayBuffer())).toEqual(
      readFileSync(join(local.outDir, 'kpi_communes.csv')),
    );
    // An answer over the Lambda payload limit (here set to 1 kB) leaves through S3: 303 to a pre-signed URL
    // (s3rver stands in for S3), which serves the very same bytes without the API's token.
    const small = await api({ RESPONSE_INLINE_MAX_BYTES: '1024' });
    const big = await small.request(`/api/v1/exports/${export_id}/kpi_communes.csv`, auth);
    expect(big.status).toBe(303);
    expect(big.headers.get('cache-control')).toBe('no-store');
    const location = big.headers.get('location') as string;
    expect(location).toContain('X-Amz-Signature=');
    expect(location).toContain('/exports/downloads/');
    const handed = await fetch(location);
    expect(handed.status).toBe(200);
    expect(Buffer.from(await handed.arrayBuffer())).toEqual(
      readFileSync(join(local.outDir, 'kpi_communes.csv')),
    );
    // A client that takes gzip gets the compressed answer handed over with its encoding: fetch (as a browser)
    // decompresses what S3 sends back to the very same bytes.
    // (The pack's CSV gzips to a few hundred bytes: a limit below that.)
    const tiny = await api({ RESPONSE_INLINE_MAX_BYTES: '64' });
    const bigGzip = await tiny.request(`/api/v1/exports/${export_id}/kpi_communes.csv`, {
      headers: { ...auth.headers, 'accept-encoding': 'gzip' },
    });
    const plainAnswer = await tiny.request(`/api/v1/exports/${export_id}/kpi_communes.csv`, {
      headers: { ...auth.headers, 'accept-encoding': 'identity' },
    });
    expect(bigGzip.status).toBe(303);
    expect(plainAnswer.status).toBe(303);
    const viaGzip = await fetch(bigGzip.headers.get('location') as string);
    expect(viaGzip.headers.get('content-encoding')).toBe('gzip');
    const viaPlain = await fetch(plainAnswer.headers.get('location') as string);
    expect(Buffer.from(await viaGzip.arrayBuffer())).toEqual(Buffer.from(await viaPlain.arrayBuffer()));
    expect(Buffer.from(await (await fetch(bigGzip.headers.get('location') as string)).arrayBuffer())).toEqual(
      readFileSync(join(local.outDir, 'kpi_communes.csv')),
    );
    // Small answers still come inline.
    expect((await small.request('/api/v1/health')).status).toBe(200);
    expect(d.logs.some((l) => l.event === 'export_done' && l.export_id === export_id)).toBe(true);
    // The pack is audited (append-only, raw bucket).
    const audit = await new AuditLog(store, clock).query({
      from: new Date(NOW),
      to: new Date(NOW),
      action: 'export.run',
    });
    expect(audit.some((e) => e.target === export_id && e.outcome === 'done')).toBe(true);

    // SQS delivers at least once: a second delivery of a finished pack changes nothing.
    sent.length = 0;
    await handler({ Records: [{ messageId: 'm-1', body }] });
    expect(sent).toHaveLength(0);
    expect((await getStatus(export_id)).status).toBe('done');
  });

  it('refuses a bad request before writing or sending anything (400)', async () => {
    sqsMock.reset();
    sqsMock.on(SendMessageCommand).resolves({ MessageId: 'm-2' });
    const before = (await store.list('exports/')).length;
    expect((await post({ year: 2027, meeting: 'annual', as_of: '2031-01-01T00:00:00Z' })).status).toBe(400);
    expect((await post({ year: 2040, meeting: 'annual' })).status).toBe(400);
    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(0);
    expect((await store.list('exports/')).length).toBe(before);
  });

  it('a queue that refuses the message gives 500 and a failed record, not a pack that never comes', async () => {
    sqsMock.reset();
    sqsMock.on(SendMessageCommand).rejects(new Error('AccessDenied'));
    const res = await post({ year: 2027, meeting: 'annual' });
    expect(res.status).toBe(500);
    const ids = (await store.list('exports/')).filter((k) => k.endsWith('/status.json'));
    const statuses = await Promise.all(ids.map((k) => getStatus(k.split('/')[1] as string)));
    expect(
      statuses.filter((s) => s.status === 'failed' && s.as_of === new Date(NOW).toISOString()).length,
    ).toBe(1);
  });
});

describe('cloud exports: the export function', () => {
  it('a Scheduler event at a due instant builds that pack under a stable id, once', async () => {
    const asOf = due('annual', 2026);
    const handler = createExportHandler(deps());
    const event = {
      source: 'schedule' as const,
      meeting: 'annual' as const,
      year: 2026,
      as_of: asOf.toISOString(),
      plan_id: PLAN.plan_id,
    };
    const out = await handler(event);
    const id = scheduledExportId(PLAN, 'annual', 2026, asOf);
    const local = await localPack('annual', 2026, asOf);
    expect(out).toEqual({ export_id: id, status: 'done', data_sha256: local.manifest.data_sha256 });
    expect(await getStatus(id)).toMatchObject({
      requested_by: 'schedule',
      status: 'done',
      as_of: asOf.toISOString(),
    });
    // A retried invocation finds the pack done: no second pack, no query.
    sent.length = 0;
    expect(await handler(event)).toEqual(out);
    expect(sent).toHaveLength(0);
  });

  it('a failing query marks the record failed and throws (SQS retries); the retry finishes it', async () => {
    const asOf = due('review', 2028);
    const d = deps();
    const handler = createExportHandler(d);
    failQueries = true;
    const event = {
      source: 'schedule' as const,
      meeting: 'review' as const,
      year: 2028,
      as_of: asOf.toISOString(),
    };
    await expect(handler(event)).rejects.toThrow(/HIVE_CANNOT_OPEN_SPLIT/);
    const id = scheduledExportId(PLAN, 'review', 2028, asOf);
    const failed = await getStatus(id);
    expect(failed.status).toBe('failed');
    expect(failed.error?.message_en).toBeTruthy();
    expect(JSON.stringify(failed)).not.toContain('HIVE_CANNOT_OPEN_SPLIT'); // the reason is logged, not shown
    expect(d.logs.some((l) => l.event === 'export_failed' && String(l.message).includes('HIVE'))).toBe(true);
    failQueries = false;
    installAthena();
    expect(await handler(event)).toMatchObject({ export_id: id, status: 'done' });
    const done = await getStatus(id);
    expect(done.error).toBeUndefined();
    expect(done.data_sha256).toBe((await localPack('review', 2028, asOf)).manifest.data_sha256);
  });

  it('refuses what it cannot act on (the message then ends in the DLQ)', async () => {
    const handler = createExportHandler(deps());
    await expect(handler({ Records: [{ messageId: 'x', body: 'not json' }] })).rejects.toThrow(/not JSON/);
    await expect(handler({ Records: [{ messageId: 'x', body: '{"export_id":"../x"}' }] })).rejects.toThrow(
      /export_id/,
    );
    await expect(
      handler({
        Records: [
          { messageId: 'x', body: JSON.stringify({ export_id: '01900000-0000-7000-8000-000000000000' }) },
        ],
      }),
    ).rejects.toThrow(/no status record/);
    await expect(
      handler({
        source: 'schedule',
        meeting: 'annual',
        year: 2026,
        as_of: '2026-11-05T17:00:00.000Z',
        plan_id: 'other',
      }),
    ).rejects.toThrow(/plan other/);
    await expect(handler({} as never)).rejects.toThrow(/neither/);
  });
});
