// The S3 adapter: the Foundation's store conformance suite over HTTP against s3rver on loopback (see
// s3-stand-in.mjs for what the stand-in adds and why), plus the behaviour a stand-in cannot show — S3's
// conditional-write answers, retries of listings, request options — with aws-sdk-client-mock.

import { createHash } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { S3ObjectStore, s3StoreFromEnv } from '@scorecard/functions/adapters/s3-store.ts';
import {
  deleteWithVersions,
  PreconditionFailed,
  purgeVersions,
} from '@scorecard/functions/ports/object-store.ts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeConformance } from '../helpers/store-conformance.ts';
import { type S3StandIn, startS3StandIn } from './s3-stand-in-process.ts';

let standIn: S3StandIn;
let endpoint = '';
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

beforeAll(async () => {
  standIn = await startS3StandIn();
  endpoint = standIn.endpoint;
}, 60_000);

afterAll(async () => {
  await standIn?.stop();
});

function s3rverStore(
  bucket: string,
  extra: Partial<ConstructorParameters<typeof S3ObjectStore>[0]> = {},
): S3ObjectStore {
  return new S3ObjectStore({
    bucket,
    client: { endpoint, region: 'ap-southeast-1', credentials },
    forcePathStyle: true,
    ...extra,
  });
}

function freshBucket(options: { objectLock?: boolean; versioned?: boolean } = {}): Promise<string> {
  return standIn.bucket('scorecard-test', options);
}

storeConformance('S3 adapter against s3rver on loopback', async () => s3rverStore(await freshBucket()));
// The raw bucket as deployed: Object Lock with default retention (issue 15, item 1).
storeConformance('S3 adapter against an Object Lock bucket (the raw bucket)', async () =>
  s3rverStore(await freshBucket({ objectLock: true })),
);
storeConformance('S3 adapter against a versioned bucket (curated, marts, exports)', async () =>
  s3rverStore(await freshBucket({ versioned: true })),
);

describe('the S3 stand-in refuses what S3 refuses (the double models the rule)', () => {
  // A client that sends checksums only where the SDK believes them required (PutObject: never), as the adapter
  // did before issue 15.
  const client = () =>
    new S3Client({
      endpoint,
      region: 'ap-southeast-1',
      credentials,
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
  const code = async (p: Promise<unknown>) =>
    p.then(
      () => 'ok',
      (e: { name?: string; $metadata?: { httpStatusCode?: number } }) =>
        `${e.$metadata?.httpStatusCode} ${e.name}`,
    );

  it('a PutObject without Content-MD5 or x-amz-checksum-* into an Object Lock bucket: 400 InvalidRequest', async () => {
    const bucket = await freshBucket({ objectLock: true });
    const s3 = client();
    expect(await code(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'raw/a.json', Body: '{}' })))).toBe(
      '400 InvalidRequest',
    );
    // With a checksum it lands; in a bucket without Object Lock none is needed.
    const body = new TextEncoder().encode('{}');
    const sha256 = createHash('sha256').update(body).digest('base64');
    expect(
      await code(
        s3.send(
          new PutObjectCommand({ Bucket: bucket, Key: 'raw/a.json', Body: body, ChecksumSHA256: sha256 }),
        ),
      ),
    ).toBe('ok');
    const plain = await freshBucket();
    expect(await code(s3.send(new PutObjectCommand({ Bucket: plain, Key: 'curated/a', Body: '{}' })))).toBe(
      'ok',
    );
    s3.destroy();
  });

  it('a checksum that does not match the bytes is refused, whatever the bucket', async () => {
    const s3 = client();
    for (const bucket of [await freshBucket(), await freshBucket({ objectLock: true })]) {
      const wrong = createHash('sha256').update('something else').digest('base64');
      expect(
        await code(
          s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'body', ChecksumSHA256: wrong })),
        ),
      ).toBe('400 InvalidRequest');
      expect(
        await code(
          s3.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key: 'k',
              Body: 'body',
              ContentMD5: createHash('md5').update('x').digest('base64'),
            }),
          ),
        ),
      ).toBe('400 BadDigest');
    }
    s3.destroy();
  });
});

describe('the S3 stand-in models versions and Object Lock retention as S3 does', () => {
  const client = () =>
    new S3Client({ endpoint, region: 'ap-southeast-1', credentials, forcePathStyle: true });
  const code = async (p: Promise<unknown>) =>
    p.then(
      () => 'ok',
      (e: { name?: string; $metadata?: { httpStatusCode?: number } }) =>
        `${e.$metadata?.httpStatusCode} ${e.name}`,
    );
  const text = async (store: S3ObjectStore, key: string) => {
    const b = await store.get(key);
    return b === null ? null : new TextDecoder().decode(b);
  };

  it('an overwrite of a locked object is allowed and keeps the old bytes as a version; a plain delete only hides it', async () => {
    const bucket = await freshBucket({ objectLock: true });
    const store = s3rverStore(bucket);
    await store.put('raw/a.json', 'first');
    await store.put('raw/a.json', 'second');
    expect(await text(store, 'raw/a.json')).toBe('second');
    let versions = await store.versions('raw/');
    expect(versions.map((v) => [v.latest, v.deleteMarker])).toEqual([
      [true, false],
      [false, false],
    ]);
    await store.delete('raw/a.json');
    expect(await store.exists('raw/a.json')).toBe(false);
    versions = await store.versions('raw/');
    expect(versions.filter((v) => v.deleteMarker && v.latest)).toHaveLength(1);
    expect(versions.filter((v) => !v.deleteMarker)).toHaveLength(2);
    // The old bytes are still there, by version id.
    const s3 = client();
    const bodies = await Promise.all(
      versions
        .filter((v) => !v.deleteMarker)
        .map(async (v) => {
          const out = await s3.send(
            new GetObjectCommand({ Bucket: bucket, Key: v.key, VersionId: v.versionId }),
          );
          return out.Body?.transformToString();
        }),
    );
    expect(bodies.sort()).toEqual(['first', 'second']);
    s3.destroy();
  });

  it('deleting a version under governance retention: 403 AccessDenied, unless the bypass header is sent', async () => {
    const bucket = await freshBucket({ objectLock: true });
    const plain = s3rverStore(bucket);
    await plain.put('raw/b.json', 'one');
    await plain.put('raw/b.json', 'two');
    const [latest, old] = await plain.versions('raw/b.json');
    if (!latest || !old) throw new Error('two versions expected');
    expect(await code(plain.deleteVersion('raw/b.json', old.versionId))).toBe('403 AccessDenied');
    // A store allowed to bypass for another segment sends no header for raw/: refused too.
    const other = s3rverStore(bucket, { bypassGovernanceFor: ['audit'] });
    expect(await code(other.deleteVersion('raw/b.json', old.versionId))).toBe('403 AccessDenied');
    const s3 = client();
    expect(
      await code(
        s3.send(
          new DeleteObjectCommand({
            Bucket: bucket,
            Key: 'raw/b.json',
            VersionId: old.versionId,
            BypassGovernanceRetention: true,
          }),
        ),
      ),
    ).toBe('ok');
    s3.destroy();
    expect((await plain.versions('raw/b.json')).map((v) => v.versionId)).toEqual([latest.versionId]);
    // Deleting the latest version brings back nothing (no older one): the key is gone, not hidden.
    const erasing = s3rverStore(bucket, { bypassGovernanceFor: ['raw'] });
    await erasing.deleteVersion('raw/b.json', latest.versionId);
    expect(await plain.exists('raw/b.json')).toBe(false);
    expect(await plain.versions('raw/')).toEqual([]);
  });

  it('deleting the latest version makes the one before it current again', async () => {
    const store = s3rverStore(await freshBucket({ versioned: true }));
    await store.put('marts/m.json', 'v1');
    await store.put('marts/m.json', 'v2');
    const [latest] = await store.versions('marts/m.json');
    await store.deleteVersion('marts/m.json', latest?.versionId ?? '');
    expect(await text(store, 'marts/m.json')).toBe('v1');
  });

  it('a version without retention (a versioned bucket without Object Lock) goes without the header', async () => {
    const store = s3rverStore(await freshBucket({ versioned: true }));
    await store.put('curated/c.parquet', 'x');
    await store.put('curated/c.parquet', 'y');
    await store.delete('curated/c.parquet');
    expect(await purgeVersions(store, 'curated/', (k) => k !== 'curated/c.parquet')).toBe(0);
    expect(await purgeVersions(store, 'curated/')).toBe(2);
    const left = await store.versions('curated/');
    expect(left.map((v) => [v.latest, v.deleteMarker])).toEqual([[true, true]]);
    await deleteWithVersions(store, 'curated/c.parquet');
    expect(await store.versions('curated/')).toEqual([]);
  });

  it('lists versions page by page (key and version-id markers)', async () => {
    const store = s3rverStore(await freshBucket({ versioned: true }), { pageSize: 2 });
    for (const k of ['a', 'b', 'c']) for (let i = 0; i < 3; i++) await store.put(`exports/${k}`, `${k}${i}`);
    const all = await store.versions('exports/');
    expect(all).toHaveLength(9);
    expect(new Set(all.map((v) => v.versionId)).size).toBe(9);
    expect(all.filter((v) => v.latest).map((v) => v.key)).toEqual(['exports/a', 'exports/b', 'exports/c']);
  });

  it('an unversioned bucket keeps nothing: an overwrite replaces, a delete removes', async () => {
    const store = s3rverStore(await freshBucket());
    await store.put('athena/refresh/q.csv', 'a');
    await store.put('athena/refresh/q.csv', 'b');
    expect(await store.versions('athena/')).toEqual([]);
    await store.delete('athena/refresh/q.csv');
    expect(await store.exists('athena/refresh/q.csv')).toBe(false);
  });
});

describe('S3 adapter against s3rver: beyond the suite', () => {
  it('pages through listings with continuation tokens', async () => {
    const store = s3rverStore(await freshBucket(), { pageSize: 2 });
    const keys = Array.from(
      { length: 7 },
      (_, i) => `curated/cadres/year=2026/${String(i).padStart(3, '0')}.parquet`,
    );
    for (const k of [...keys].reverse()) await store.put(k, 'x');
    expect(await store.list('curated/cadres/')).toEqual(keys);
  });

  it('routes keys to buckets by their first segment and keeps the full key', async () => {
    const raw = await freshBucket();
    const curated = await freshBucket();
    const store = s3rverStore(curated, { routes: { raw, audit: raw } });
    await store.put('raw/year=2026/commune=28249/v000001.json', '{}', { ifNoneMatch: true });
    await store.put('curated/submissions/year=2026/a.parquet', 'p');
    const rawOnly = s3rverStore(raw);
    expect(await rawOnly.list('')).toEqual(['raw/year=2026/commune=28249/v000001.json']);
    expect(await s3rverStore(curated).list('')).toEqual(['curated/submissions/year=2026/a.parquet']);
    expect(await store.exists('raw/year=2026/commune=28249/v000001.json')).toBe(true);
  });

  it('stores the bytes sent, not aws-chunked framing (checksums only when required)', async () => {
    const store = s3rverStore(await freshBucket());
    const body = new Uint8Array(70_000).map((_, i) => i % 251);
    await store.put('marts/kpi.arrow', body);
    expect(await store.get('marts/kpi.arrow')).toEqual(body);
    expect(await store.s3.config.requestChecksumCalculation()).toBe('WHEN_REQUIRED');
    expect(store.s3.config.forcePathStyle).toBe(true);
  });
});

describe('S3 adapter with aws-sdk-client-mock (conditional writes: s3rver ignores If-None-Match)', () => {
  const s3Error = (name: string, status: number) =>
    new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message: name });

  it('a create-only put sends If-None-Match: * and maps 412 to PreconditionFailed', async () => {
    const client = new S3Client({ region: 'ap-southeast-1' });
    const mock = mockClient(client);
    mock.on(PutObjectCommand).rejects(s3Error('PreconditionFailed', 412));
    const store = new S3ObjectStore({ bucket: 'b', s3: client });
    await expect(
      store.put('raw/year=2026/commune=28249/v000002.json', '{}', { ifNoneMatch: true }),
    ).rejects.toBeInstanceOf(PreconditionFailed);
    expect(mock.commandCalls(PutObjectCommand)[0]?.args[0].input).toMatchObject({
      Bucket: 'b',
      Key: 'raw/year=2026/commune=28249/v000002.json',
      IfNoneMatch: '*',
      ContentType: 'application/json',
    });
  });

  it('409 ConditionalRequestConflict (a racing conditional write) is also "not created"', async () => {
    const client = new S3Client({ region: 'ap-southeast-1' });
    mockClient(client).on(PutObjectCommand).rejects(s3Error('ConditionalRequestConflict', 409));
    const store = new S3ObjectStore({ bucket: 'b', s3: client });
    await expect(store.put('raw/k.json', '{}', { ifNoneMatch: true })).rejects.toBeInstanceOf(
      PreconditionFailed,
    );
  });

  it('a plain put sends no condition, and a 412 there is an error, not a lost race', async () => {
    const client = new S3Client({ region: 'ap-southeast-1' });
    const mock = mockClient(client);
    mock.on(PutObjectCommand).resolvesOnce({}).rejects(s3Error('PreconditionFailed', 412));
    const store = new S3ObjectStore({ bucket: 'b', s3: client });
    await store.put('marts/x.json', '{}');
    expect(mock.commandCalls(PutObjectCommand)[0]?.args[0].input.IfNoneMatch).toBeUndefined();
    await expect(store.put('marts/x.json', '{}')).rejects.not.toBeInstanceOf(PreconditionFailed);
  });

  it('other failures propagate (AccessDenied is never "missing")', async () => {
    const client = new S3Client({ region: 'ap-southeast-1' });
    const mock = mockClient(client);
    mock
      .on(GetObjectCommand, { Key: 'raw/missing.json' })
      .rejects(new NoSuchKey({ $metadata: { httpStatusCode: 404 }, message: 'missing' }));
    mock.on(GetObjectCommand, { Key: 'raw/denied.json' }).rejects(s3Error('AccessDenied', 403));
    mock.on(PutObjectCommand).rejects(s3Error('SlowDown', 503));
    const store = new S3ObjectStore({ bucket: 'b', s3: client });
    expect(await store.get('raw/missing.json')).toBeNull();
    await expect(store.get('raw/denied.json')).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(store.put('raw/x.json', '{}', { ifNoneMatch: true })).rejects.toMatchObject({
      name: 'SlowDown',
    });
  });

  it('lists every page, following NextContinuationToken, and sorts', async () => {
    const client = new S3Client({ region: 'ap-southeast-1' });
    const mock = mockClient(client);
    mock
      .on(ListObjectsV2Command, { ContinuationToken: undefined })
      .resolves({
        Contents: [{ Key: 'curated/b' }, { Key: 'curated/a' }],
        IsTruncated: true,
        NextContinuationToken: 't1',
      })
      .on(ListObjectsV2Command, { ContinuationToken: 't1' })
      .resolves({ Contents: [{ Key: 'curated/c' }], IsTruncated: false });
    const store = new S3ObjectStore({ bucket: 'b', s3: client });
    expect(await store.list('curated/')).toEqual(['curated/a', 'curated/b', 'curated/c']);
    expect(mock.commandCalls(ListObjectsV2Command)).toHaveLength(2);
  });

  it('builds from the environment the stack passes to the Lambdas', () => {
    const store = s3StoreFromEnv({
      STORE_DEFAULT_BUCKET: 'cur',
      STORE_BUCKETS: JSON.stringify({ raw: 'rawb', audit: 'rawb', marts: 'martb' }),
    });
    expect(store).toBeInstanceOf(S3ObjectStore);
    expect(() => s3StoreFromEnv({})).toThrow(/STORE_DEFAULT_BUCKET/);
  });
});
