// The S3 stand-in for tests, run as its own process: s3rver on loopback.
//  - s3rver encrypts ListObjectsV2 continuation tokens with DES, which Node 20's OpenSSL 3 only offers with
//    --openssl-legacy-provider. That flag belongs to the stand-in, not to the code under test, so the stand-in
//    runs in a child process started with it; the adapter pages with ordinary continuation tokens.
//  - s3rver ignores If-None-Match. Real S3 answers a PUT with `If-None-Match: *` on an existing key with
//    412 PreconditionFailed, atomically. This stand-in adds exactly that rule (serialised per key) in front of
//    s3rver's routes, so the store conformance suite runs whole over HTTP. The adapter's handling of S3's own
//    responses (412, and 409 ConditionalRequestConflict under races) is also tested with aws-sdk-client-mock.
//  - s3rver knows nothing of Object Lock. The raw bucket is created with Object Lock and default retention, and
//    S3 then refuses every PutObject that carries neither Content-MD5 nor an x-amz-checksum-* value
//    (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html: "Content-MD5 OR x-amz-checksum-
//    HTTP header is required for Put Object requests with Object Lock parameters" — 400 InvalidRequest). This
//    stand-in records the buckets created with `x-amz-bucket-object-lock-enabled: true` and enforces that rule.
//  - S3 checks a checksum it is given against the bytes it received and refuses a mismatch (400 BadDigest for
//    Content-MD5, 400 InvalidRequest for x-amz-checksum-*: https://docs.aws.amazon.com/AmazonS3/latest/userguide/
//    checking-object-integrity.html). s3rver checks neither: the stand-in does, for MD5, SHA-256, SHA-1 and CRC32.
//  - s3rver keeps no versions and no retention: s3-versioning.mjs models versioned buckets, delete markers,
//    deleting a version, and Object Lock retention (governance bypass header, compliance) on them.
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { crc32 } from 'node:zlib';
import S3rver from 's3rver';
import { markObjectLockBucket, versioning } from './s3-versioning.mjs';

const directory = mkdtempSync(join(tmpdir(), 's3rver-'));
const server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true, resetOnClose: true });

const locks = new Map();
async function conditionalCreate(ctx, next) {
  const ifNoneMatch = ctx.get('if-none-match');
  // A whole-object PUT (the SDK tags it `?x-id=PutObject`), not a part upload or a sub-resource.
  const subresource = Object.keys(ctx.query).some((q) => q !== 'x-id');
  if (ctx.method !== 'PUT' || ifNoneMatch !== '*' || subresource) return next();
  const [, bucket, ...rest] = ctx.path.split('/');
  const key = rest.map((p) => decodeURIComponent(p)).join('/');
  const id = `${bucket}/${key}`;
  const previous = locks.get(id) ?? Promise.resolve();
  let release;
  const mine = new Promise((r) => (release = r));
  locks.set(
    id,
    previous.then(() => mine),
  );
  await previous;
  try {
    if (await ctx.app.store.existsObject(bucket, key)) {
      ctx.status = 412;
      ctx.type = 'application/xml';
      ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message><Condition>If-None-Match</Condition></Error>`;
      return;
    }
    await next();
  } finally {
    release();
  }
}
const lockEnabled = new Set();
const s3Error = (ctx, status, code, message) => {
  ctx.status = status;
  ctx.type = 'application/xml';
  ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
};
const digests = {
  'content-md5': (b) => createHash('md5').update(b).digest('base64'),
  'x-amz-checksum-sha256': (b) => createHash('sha256').update(b).digest('base64'),
  'x-amz-checksum-sha1': (b) => createHash('sha1').update(b).digest('base64'),
  'x-amz-checksum-crc32': (b) => {
    const out = Buffer.alloc(4);
    out.writeUInt32BE(crc32(b) >>> 0);
    return out.toString('base64');
  },
};
async function objectLockAndIntegrity(ctx, next) {
  // `/bucket` or `/bucket/` is the bucket itself; `/bucket/key…` an object.
  const [, bucket, ...rest] = ctx.path.replace(/^(\/[^/]+)\/$/, '$1').split('/');
  const subresource = Object.keys(ctx.query).some((q) => q !== 'x-id');
  if (ctx.method === 'PUT' && rest.length === 0 && !subresource) {
    if (ctx.get('x-amz-bucket-object-lock-enabled').toLowerCase() === 'true') {
      lockEnabled.add(bucket);
      markObjectLockBucket(bucket);
    }
    return next();
  }
  if (ctx.method !== 'PUT' || rest.length === 0 || subresource) return next();
  const given = Object.keys(digests).filter((h) => ctx.get(h) !== '');
  const trailer = ctx.get('x-amz-trailer');
  if (lockEnabled.has(bucket) && given.length === 0 && !trailer.startsWith('x-amz-checksum-')) {
    return s3Error(
      ctx,
      400,
      'InvalidRequest',
      'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters',
    );
  }
  if (given.length === 0) return next();
  const chunks = [];
  for await (const chunk of ctx.req) chunks.push(chunk);
  const body = Buffer.concat(chunks);
  for (const h of given) {
    if (digests[h](body) !== ctx.get(h)) {
      return h === 'content-md5'
        ? s3Error(ctx, 400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.')
        : s3Error(ctx, 400, 'InvalidRequest', `Value for ${h} header is invalid.`);
    }
  }
  // s3rver reads the body from ctx.req: hand it the bytes already read.
  const replay = new PassThrough();
  replay.headers = ctx.req.headers;
  replay.end(body);
  ctx.req = replay;
  return next();
}
// In order: integrity and Object Lock's checksum rule, create-only writes, versions and retention, s3rver.
server.middleware.unshift(versioning);
server.middleware.unshift(conditionalCreate);
server.middleware.unshift(objectLockAndIntegrity);

const { address, port } = await server.run();
process.stdout.write(`${JSON.stringify({ endpoint: `http://${address}:${port}` })}\n`);
process.on('SIGTERM', async () => {
  await server.close();
  process.exit(0);
});
