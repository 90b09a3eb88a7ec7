// The S3 stand-in for tests, run as its own process: s3rver on loopback.
//  - s3rver encrypts ListObjectsV2 continuation tokens with DES, which Node 20's OpenSSL 3 only offers with
//    --openssl-legacy-provider. That flag belongs to the stand-in, not to the code under test, so the stand-in
//    runs in a child process started with it; the adapter pages with ordinary continuation tokens.
//  - s3rver ignores If-None-Match. Real S3 answers a PUT with `If-None-Match: *` on an existing key with
//    412 PreconditionFailed, atomically. This stand-in adds exactly that rule (serialised per key) in front of
//    s3rver's routes, so the store conformance suite runs whole over HTTP. The adapter's handling of S3's own
//    responses (412, and 409 ConditionalRequestConflict under races) is also tested with aws-sdk-client-mock.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

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
server.middleware.unshift(conditionalCreate);

const { address, port } = await server.run();
process.stdout.write(`${JSON.stringify({ endpoint: `http://${address}:${port}` })}\n`);
process.on('SIGTERM', async () => {
  await server.close();
  process.exit(0);
});
