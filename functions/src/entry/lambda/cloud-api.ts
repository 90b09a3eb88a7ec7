// The API's cloud wiring: the same createApi as `npm start`, with the S3 store, Athena for analysts' SQL,
// Cognito tokens and the person key from Secrets Manager. Every API function (ingest, query, sql) runs this
// app; API Gateway sends each only its own routes, and each function's role holds only what those routes need
// — so a query or sql function has no person key, and its ingest path fails closed. Meeting packs: the query
// function (EXPORT_QUEUE_URL) records a POST /exports and hands it to the export function through SQS.

import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { Hono } from 'hono';
import { s3StoreFromEnv } from '../../adapters/s3-store.ts';
import type { SqlDeps } from '../../api/admin.ts';
import { createApi, type RouteGroup } from '../../api/app.ts';
import { cognitoVerifier, type TokenVerifier } from '../../api/auth.ts';
import { IngestService } from '../../ingest/ingest-service.ts';
import { type PersonKeyFn, personKeyFromSecret } from '../../ingest/person-key.ts';
import { StoreMartReader } from '../../marts/marts.ts';
import { CloudExportService, type Enqueue } from '../../packs/cloud-exports.ts';
import { clockFromEnv } from '../../ports/clock.ts';
import type { ObjectStore } from '../../ports/object-store.ts';
import { handOverLargeResponses } from './large-responses.ts';

export function required(env: NodeJS.ProcessEnv, name: string): string {
  const v = env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
}

/**
 * The person-key secret through the AWS Parameters and Secrets Lambda Extension (a layer the stack adds to the
 * ingest function): a local HTTP call authenticated by the function's own session, cached by the extension,
 * no SDK in the bundle. The secret is 64 hex characters, the same format as the local PERSON_KEY_FILE.
 */
export async function fetchPersonKeySecret(env: NodeJS.ProcessEnv = process.env): Promise<Buffer> {
  const port = env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT ?? '2773';
  const url = `http://localhost:${port}/secretsmanager/get?secretId=${encodeURIComponent(required(env, 'PERSON_KEY_SECRET_ARN'))}`;
  const res = await fetch(url, {
    headers: { 'X-Aws-Parameters-Secrets-Token': required(env, 'AWS_SESSION_TOKEN') },
  });
  if (!res.ok) throw new Error(`person key: the secrets extension answered ${res.status}`);
  const hex = ((await res.json()) as { SecretString?: string }).SecretString?.trim() ?? '';
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error('person key: the secret does not hold 64 hex characters');
  return Buffer.from(hex, 'hex');
}

/** A function without the secret (query, sql) must never hash an ID: fail closed. */
const noPersonKey: PersonKeyFn = () => {
  throw new Error('person key: not available in this function (ingest routes run in the ingest function)');
};

/** POST /exports → the export queue: one message per pack, its body the pack's id and request. */
function sqsEnqueue(sqs: SQSClient, queueUrl: string): Enqueue {
  return async (m) => {
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(m) }));
  };
}

/** Test seams: a store over an S3 stand-in, a token verifier instead of Cognito's, a mocked SQS client. */
export interface CloudApiOverrides {
  store?: ObjectStore;
  tokens?: TokenVerifier;
  sqs?: SQSClient;
}

/** What one API function answers: its route groups, and (the SQL function) the analysts' engine and guard. */
export interface CloudApiParts {
  routes: readonly RouteGroup[];
  sql?: (env: NodeJS.ProcessEnv) => Omit<SqlDeps, 'audit'> | undefined;
}

export async function createCloudApi(
  env: NodeJS.ProcessEnv,
  overrides: CloudApiOverrides,
  parts: CloudApiParts,
) {
  const store = overrides.store ?? s3StoreFromEnv(env);
  const clock = clockFromEnv(env);
  const exportQueue = env.EXPORT_QUEUE_URL;
  const personKey = env.PERSON_KEY_SECRET_ARN
    ? personKeyFromSecret(await fetchPersonKeySecret(env))
    : noPersonKey;
  const sql = parts.sql?.(env);
  const api = createApi({
    routes: parts.routes,
    mode: 'cloud',
    store,
    clock,
    ingest: new IngestService({ store, clock, personKey }),
    marts: new StoreMartReader(store),
    tokens:
      overrides.tokens ??
      cognitoVerifier({
        region: required(env, 'AWS_REGION'),
        userPoolId: required(env, 'COGNITO_USER_POOL_ID'),
        clientId: required(env, 'COGNITO_CLIENT_ID'),
        clock,
      }),
    ...(exportQueue
      ? {
          exports: new CloudExportService({
            store,
            clock,
            enqueue: sqsEnqueue(overrides.sqs ?? new SQSClient({}), exportQueue),
          }),
        }
      : {}),
    ...(sql ? { sql } : {}),
  });
  // Answers over Lambda's payload limit leave through S3 (large-responses.ts).
  const app = new Hono();
  const maxInline = env.RESPONSE_INLINE_MAX_BYTES ? Number(env.RESPONSE_INLINE_MAX_BYTES) : undefined;
  if ('presignGet' in store)
    app.use(
      '*',
      handOverLargeResponses({ store, clock, ...(maxInline ? { maxInlineBytes: maxInline } : {}) }),
    );
  app.route('/', api);
  return app;
}
