// The API's cloud wiring (functions/src/entry/lambda/cloud-api.ts): the app the Lambdas run, built from the
// environment the stack passes, and the person key fetched through the Parameters and Secrets extension —
// here a loopback stand-in for the extension's local HTTP endpoint.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_ROUTES } from '@scorecard/functions/api/routes/index.ts';
import { analystSqlFromEnv } from '@scorecard/functions/entry/lambda/analyst-sql.ts';
import { createCloudApi, fetchPersonKeySecret } from '@scorecard/functions/entry/lambda/cloud-api.ts';
import { loadLocalSecret, personKeyFromSecret } from '@scorecard/functions/ingest/person-key.ts';
import { describe, expect, it } from 'vitest';

/** Every route group, as the three API functions together answer them. */
const EVERY_ROUTE = { routes: ALL_ROUTES, sql: analystSqlFromEnv };

const HEX = 'a1'.repeat(32);

async function withExtension<T>(
  secret: string,
  run: (port: number, seen: { token?: string; secretId?: string }) => Promise<T>,
) {
  const seen: { token?: string; secretId?: string } = {};
  const server = createServer((req, res) => {
    seen.token = req.headers['x-aws-parameters-secrets-token'] as string;
    seen.secretId = new URL(req.url ?? '/', 'http://x').searchParams.get('secretId') ?? undefined;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ SecretString: secret }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    return await run((server.address() as AddressInfo).port, seen);
  } finally {
    await new Promise((r) => server.close(r));
  }
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
  it("fetches the person key through the extension with the function's session token", async () => {
    await withExtension(HEX, async (port, seen) => {
      const key = await fetchPersonKeySecret({
        PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(port),
        PERSON_KEY_SECRET_ARN:
          'arn:aws:secretsmanager:ap-southeast-1:111111111111:secret:commune-scorecard/person-key',
        AWS_SESSION_TOKEN: 'session-token',
      });
      expect(seen).toEqual({
        token: 'session-token',
        secretId: 'arn:aws:secretsmanager:ap-southeast-1:111111111111:secret:commune-scorecard/person-key',
      });
      // The same key material as a local PERSON_KEY_FILE with the same 64 hex characters: a local installation
      // moved to the cloud keeps every person_key.
      const dir = mkdtempSync(join(tmpdir(), 'pk-'));
      writeFileSync(join(dir, 'person-key'), HEX, { mode: 0o600 });
      const local = loadLocalSecret(join(dir, 'person-key'), join(dir, 'data'));
      expect(personKeyFromSecret(key)('087201001234')).toBe(personKeyFromSecret(local)('087201001234'));
    });
  });

  it('refuses a secret that is not 64 hex characters', async () => {
    await withExtension('not-hex', async (port) => {
      await expect(
        fetchPersonKeySecret({
          PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(port),
          PERSON_KEY_SECRET_ARN: 'x',
          AWS_SESSION_TOKEN: 't',
        }),
      ).rejects.toThrow(/64 hex/);
    });
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
});
