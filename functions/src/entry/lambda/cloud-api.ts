// The API's cloud wiring: the same createApi as `npm start`, with the S3 store, Athena for analysts' SQL,
// Cognito tokens and the person key from Secrets Manager. Every API function (ingest, query, sql) runs this
// app; API Gateway sends each only its own routes, and each function's role holds only what those routes need
// — so a query or sql function has no person key, and its ingest path fails closed. Meeting packs: the query
// function (EXPORT_QUEUE_URL) records a POST /exports and hands it to the export function through SQS.

import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
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
 * The person-key secret, read once per container from Secrets Manager with the function's own rights (the SDK:
 * it works in every region, where the Parameters and Secrets extension's layer is published in some only —
 * Bangkok, one of the two regions infra/README.md proposes, was missing: issue 15, item 5). The secret is 64 hex
 * characters, the same format as the local PERSON_KEY_FILE.
 */
export async function fetchPersonKeySecret(
  env: NodeJS.ProcessEnv = process.env,
  client: SecretsManagerClient = new SecretsManagerClient({}),
): Promise<Buffer> {
  const out = await client.send(
    new GetSecretValueCommand({ SecretId: required(env, 'PERSON_KEY_SECRET_ARN') }),
  );
  const hex = out.SecretString?.trim() ?? '';
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

/** Test seams: a store over an S3 stand-in, a token verifier instead of Cognito's, mocked SQS and Secrets Manager. */
export interface CloudApiOverrides {
  store?: ObjectStore;
  tokens?: TokenVerifier;
  sqs?: SQSClient;
  secrets?: SecretsManagerClient;
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
    ? personKeyFromSecret(await fetchPersonKeySecret(env, overrides.secrets))
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
        ...(env.COGNITO_JWKS_URL ? { jwksUrl: env.COGNITO_JWKS_URL } : {}),
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
