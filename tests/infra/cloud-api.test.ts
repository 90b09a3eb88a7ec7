// The API's cloud wiring (functions/src/entry/lambda/cloud-api.ts): the app the Lambdas run, built from the
// environment the stack passes, and the person key read from Secrets Manager — which cannot run here: its
// client is mocked (aws-sdk-client-mock), answering as GetSecretValue does.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { LIMITS } from '@scorecard/data-contracts';
import { FsObjectStore } from '@scorecard/functions/adapters/fs-store.ts';
import { ALL_ROUTES } from '@scorecard/functions/api/routes/index.ts';
import { sqlRoutes } from '@scorecard/functions/api/routes/sql.ts';
import { analystSqlFromEnv } from '@scorecard/functions/entry/lambda/analyst-sql.ts';
import { createCloudApi, fetchPersonKeySecret } from '@scorecard/functions/entry/lambda/cloud-api.ts';
import { loadLocalSecret, personKeyFromSecret } from '@scorecard/functions/ingest/person-key.ts';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';

/** Every route group, as the three API functions together answer them. */
const EVERY_ROUTE = { routes: ALL_ROUTES, sql: analystSqlFromEnv };

const HEX = 'a1'.repeat(32);

const ARN = 'arn:aws:secretsmanager:ap-southeast-1:111111111111:secret:commune-scorecard/person-key';

function secretsAnswering(secretString: string) {
  const client = new SecretsManagerClient({ region: 'ap-southeast-1' });
  const mock = mockClient(client);
  mock.on(GetSecretValueCommand).resolves({ ARN, SecretString: secretString });
  return { client, mock };
}

const baseEnv = {
  STORE_DEFAULT_BUCKET: 'commune-scorecard-curated-test',
  STORE_BUCKETS: JSON.stringify({ raw: 'commune-scorecard-raw-test' }),
  AWS_REGION: 'ap-southeast-1',
  COGNITO_USER_POOL_ID: 'ap-southeast-1_TEST',
  COGNITO_CLIENT_ID: 'client',
  SCORECARD_NOW: '2026-11-06T02:00:00Z',
};

describe('cloud API wiring', () => {
  it('reads the person key from Secrets Manager by the ARN the stack passes', async () => {
    const { client, mock } = secretsAnswering(HEX);
    const key = await fetchPersonKeySecret({ PERSON_KEY_SECRET_ARN: ARN }, client);
    expect(mock.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input)).toEqual([{ SecretId: ARN }]);
    // The same key material as a local PERSON_KEY_FILE with the same 64 hex characters: a local installation
    // moved to the cloud keeps every person_key.
    const dir = mkdtempSync(join(tmpdir(), 'pk-'));
    writeFileSync(join(dir, 'person-key'), HEX, { mode: 0o600 });
    const local = loadLocalSecret(join(dir, 'person-key'), join(dir, 'data'));
    expect(personKeyFromSecret(key)('087201001234')).toBe(personKeyFromSecret(local)('087201001234'));
  });

  it('refuses a secret that is not 64 hex characters, and a function without the ARN', async () => {
    await expect(
      fetchPersonKeySecret({ PERSON_KEY_SECRET_ARN: ARN }, secretsAnswering('not-hex').client),
    ).rejects.toThrow(/64 hex/);
    await expect(fetchPersonKeySecret({}, secretsAnswering(HEX).client)).rejects.toThrow(
      /PERSON_KEY_SECRET_ARN/,
    );
  });

  it('the ingest function reads the secret once, at cold start', async () => {
    const { client, mock } = secretsAnswering(HEX);
    await createCloudApi({ ...baseEnv, PERSON_KEY_SECRET_ARN: ARN }, { secrets: client }, EVERY_ROUTE);
    expect(mock.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it("builds the app from the stack's environment: public health, 401 elsewhere without a token", async () => {
    const app = await createCloudApi(baseEnv, {}, EVERY_ROUTE);
    const health = await app.request('/api/v1/health');
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', mode: 'cloud' });
    expect((await app.request('/api/v1/kpis?year=2026')).status).toBe(401);
    expect((await app.request('/api/v1/openapi.json')).status).toBe(200);
  });

  it('fails fast when the stack did not pass what it needs', async () => {
    await expect(createCloudApi({ ...baseEnv, COGNITO_USER_POOL_ID: '' }, {}, EVERY_ROUTE)).rejects.toThrow(
      /COGNITO_USER_POOL_ID/,
    );
    await expect(createCloudApi({ ...baseEnv, STORE_DEFAULT_BUCKET: '' }, {}, EVERY_ROUTE)).rejects.toThrow(
      /STORE_DEFAULT_BUCKET/,
    );
  });
});

describe('cloud marts refresh wiring', () => {
  it('an SQS batch gives one refresh: every mart view queried, marts and manifest written', async () => {
    const { FsObjectStore } = await import('@scorecard/functions/adapters/fs-store.ts');
    const { MART_VIEWS } = await import('@scorecard/functions/marts/marts.ts');
    const { ManualClock } = await import('@scorecard/functions/ports/clock.ts');
    const { createRefreshHandler } = await import('@scorecard/functions/entry/lambda/cloud-refresh.ts');
    const store = new FsObjectStore(mkdtempSync(join(tmpdir(), 'refresh-')));
    const queried: string[] = [];
    let closed = 0;
    const handler = createRefreshHandler({
      store,
      clock: new ManualClock('2026-11-06T02:00:00Z'),
      engine: () => ({
        async query(sql: string) {
          queried.push(sql);
          return { columns: [{ name: 'year', type: 'INTEGER' }], rows: [{ year: 2026 }], truncated: false };
        },
        async close() {
          closed++;
        },
      }),
    });
    expect(await handler({ Records: [{}, {}, {}] })).toEqual({ batchItemFailures: [] });
    expect(queried).toHaveLength(MART_VIEWS.length);
    expect(closed).toBe(1);
    const manifest = JSON.parse(
      new TextDecoder().decode((await store.get('marts/_manifest.json')) ?? new Uint8Array()),
    ) as { refreshed_at: string };
    expect(manifest.refreshed_at).toBe('2026-11-06T02:00:00.000Z');
  });

  it('a failing query fails the batch, so SQS retries it and then parks it in the DLQ', async () => {
    const { FsObjectStore } = await import('@scorecard/functions/adapters/fs-store.ts');
    const { ManualClock } = await import('@scorecard/functions/ports/clock.ts');
    const { createRefreshHandler } = await import('@scorecard/functions/entry/lambda/cloud-refresh.ts');
    const handler = createRefreshHandler({
      store: new FsObjectStore(mkdtempSync(join(tmpdir(), 'refresh-'))),
      clock: new ManualClock('2026-11-06T02:00:00Z'),
      engine: () => ({
        async query() {
          throw new Error('athena_failed');
        },
        async close() {},
      }),
    });
    await expect(handler({ Records: [{}] })).rejects.toThrow(/athena_failed/);
  });

  it('analysts’ SQL on Athena has its own deadline, 25 s (Athena queues first), inside the HTTP API’s 30 s', async () => {
    const sql = analystSqlFromEnv({
      ...baseEnv,
      ATHENA_WORKGROUP: 'scorecard-analysts',
      ANALYST_VIEWS: '["communes"]',
    });
    expect(sql?.timeoutMs).toBe(25_000);
    expect(sql?.timeoutMs).toBeGreaterThan(LIMITS.sqlTimeoutMs);
    // The route passes it to the engine, and a timeout says so in seconds.
    const seen: number[] = [];
    const env = { ...baseEnv, ATHENA_WORKGROUP: 'scorecard-analysts', ANALYST_VIEWS: '["communes"]' };
    const app = await createCloudApi(
      env,
      {
        store: new FsObjectStore(mkdtempSync(join(tmpdir(), 'sql-'))),
        tokens: { mode: 'cognito', verify: async () => ({ sub: 'a', role: 'analyst' }) },
      },
      {
        routes: [sqlRoutes],
        // The wiring of the SQL function, with Athena (which cannot run here) replaced by a recording engine.
        sql: (e) => ({
          ...(analystSqlFromEnv(e) as NonNullable<ReturnType<typeof analystSqlFromEnv>>),
          analystEngine: () => ({
            async query(_q: string, o?: { timeoutMs?: number }) {
              seen.push(o?.timeoutMs ?? 0);
              throw Object.assign(new Error('slow'), { code: 'sql_timeout' });
            },
            async close() {},
          }),
        }),
      },
    );
    const r = await app.request('/api/v1/sql', {
      method: 'POST',
      headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
      body: JSON.stringify({ sql: 'select * from communes' }),
    });
    expect(seen).toEqual([25_000]);
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: { message_en: string } }).error.message_en).toContain('25');
  });
});
