// Starts the S3 stand-in (s3-stand-in.mjs: s3rver on loopback, in its own process with the legacy OpenSSL
// provider it needs) and builds S3ObjectStores over it, routed like the stack routes the store's prefixes.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  CreateBucketCommand,
  PutBucketVersioningCommand,
  PutObjectLockConfigurationCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { S3ObjectStore, type S3ObjectStoreOptions } from '@scorecard/functions/adapters/s3-store.ts';
import { afterAll, beforeAll } from 'vitest';

const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface S3StandIn {
  endpoint: string;
  /**
   * A new empty bucket. With `objectLock`, created as the stack creates the raw bucket: Object Lock on (so
   * versioned) with the stack's default retention, governance mode, 3653 days. With `versioned`, versioning
   * on (as every SecureBucket of the stack but the Athena results and access logs).
   */
  bucket(prefix?: string, options?: { objectLock?: boolean; versioned?: boolean }): Promise<string>;
  /** A store whose first key segment picks the bucket (as STORE_BUCKETS does in the Lambdas). */
  store(
    defaultBucket: string,
    routes?: Record<string, string>,
    options?: Pick<S3ObjectStoreOptions, 'bypassGovernanceFor'>,
  ): S3ObjectStore;
  stop(): Promise<void>;
}

let buckets = 0;
/** The stack's default retention of the raw bucket (infra/lib/data-stack.ts). */
const RAW_RETENTION_DAYS = 3653;

export async function startS3StandIn(): Promise<S3StandIn> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--openssl-legacy-provider', join(import.meta.dirname, 's3-stand-in.mjs')],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [line] = (await once(createInterface({ input: child.stdout as NodeJS.ReadableStream }), 'line')) as [
    string,
  ];
  const endpoint = (JSON.parse(line) as { endpoint: string }).endpoint;
  const client = { endpoint, region: 'ap-southeast-1', credentials };
  return {
    endpoint,
    async bucket(prefix = 'scorecard', options = {}) {
      const name = `${prefix}-${process.pid}-${++buckets}`;
      const s3 = new S3Client({ ...client, forcePathStyle: true });
      await s3.send(
        new CreateBucketCommand({
          Bucket: name,
          ...(options.objectLock ? { ObjectLockEnabledForBucket: true } : {}),
        }),
      );
      if (options.objectLock)
        await s3.send(
          new PutObjectLockConfigurationCommand({
            Bucket: name,
            ObjectLockConfiguration: {
              ObjectLockEnabled: 'Enabled',
              Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: RAW_RETENTION_DAYS } },
            },
          }),
        );
      if (options.versioned)
        await s3.send(
          new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: 'Enabled' } }),
        );
      s3.destroy();
      return name;
    },
    store(defaultBucket, routes = {}, options = {}) {
      return new S3ObjectStore({ bucket: defaultBucket, routes, client, forcePathStyle: true, ...options });
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    },
  };
}

/**
 * One stand-in for a test file: started before its tests, stopped after them. The object returned stands for
 * it (its endpoint, buckets and stores) from the first test on.
 */
export function useS3StandIn(): S3StandIn {
  let started: S3StandIn | undefined;
  beforeAll(async () => {
    started = await startS3StandIn();
  }, 60_000);
  afterAll(async () => {
    await started?.stop();
  });
  const it = (): S3StandIn => {
    if (!started) throw new Error('the S3 stand-in is used before its beforeAll ran');
    return started;
  };
  return {
    get endpoint() {
      return it().endpoint;
    },
    bucket: (prefix, options) => it().bucket(prefix, options),
    store: (defaultBucket, routes, options) => it().store(defaultBucket, routes, options),
    stop: () => it().stop(),
  };
}
