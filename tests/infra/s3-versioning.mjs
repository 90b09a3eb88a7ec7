// S3 versioning and Object Lock retention for the S3 stand-in (s3-stand-in.mjs), in front of s3rver, which keeps
// only the current object. The rules modelled, each as AWS documents it:
//  - A bucket is versioned once PutBucketVersioning says Enabled, or when it is created with Object Lock (Object
//    Lock turns versioning on: https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html).
//  - In a versioned bucket a PUT adds a version (the previous one becomes noncurrent, its bytes kept) and answers
//    with `x-amz-version-id`; a DELETE without a version id adds a delete marker and removes nothing
//    (https://docs.aws.amazon.com/AmazonS3/latest/userguide/DeletingObjectVersions.html).
//  - DELETE with `versionId` removes that version for good. A version under retention cannot be removed:
//    COMPLIANCE never before its retain-until date, GOVERNANCE only with `x-amz-bypass-governance-retention:
//    true` — 403 AccessDenied otherwise (https://docs.aws.amazon.com/AmazonS3/latest/userguide/
//    object-lock-managing.html#object-lock-managing-bypass). Overwriting a locked object is allowed: it only adds a
//    version ("Retention periods and legal holds don't prevent new versions of the object from being created, or
//    delete markers to be added on top of the object": object-lock.html, "How S3 Object Lock works"). So the
//    double does not refuse an overwrite, although issue 15's wording says "refusing overwrite": S3 does not.
//    A delete marker is never locked.
//  - Each new version takes the bucket's default retention (PutObjectLockConfiguration: mode and days), or the
//    `x-amz-object-lock-mode` / `x-amz-object-lock-retain-until-date` headers of its PUT.
//  - ListObjectVersions (`GET /bucket?versions`) lists versions and delete markers, newest first per key, paged
//    by max-keys with key-marker / version-id-marker; GetObject with `versionId` returns that version.
// Not modelled: IAM. Whether a caller holds s3:BypassGovernanceRetention is the stacks' business, checked on the
// synthesized template (tests/infra/stacks.test.ts); here the header alone decides. Multi-object delete
// (POST ?delete) on a versioned bucket is refused as not implemented, so nothing can step around these rules.
import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { PassThrough } from 'node:stream';

const require = createRequire(import.meta.url);
const S3Object = require('s3rver/lib/models/object.js');

const versioned = new Set();
/** bucket → { mode, days } */
const lockDefaults = new Map();
/** `${bucket}\n${key}` → versions oldest first: { id, body (null: delete marker), contentType, at, mode?, until? } */
const histories = new Map();

const xml = (s) =>
  String(s).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c],
  );

function send(ctx, status, code, message) {
  ctx.status = status;
  ctx.type = 'application/xml';
  ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xml(message)}</Message></Error>`;
}

async function bodyOf(ctx) {
  const chunks = [];
  for await (const chunk of ctx.req) chunks.push(chunk);
  const body = Buffer.concat(chunks);
  const replay = new PassThrough();
  replay.headers = ctx.req.headers;
  replay.end(body);
  ctx.req = replay;
  return body;
}

const newVersionId = () => randomBytes(16).toString('base64url');
/** Order of writes (milliseconds tie under a fast test). */
let sequence = 0;

/** The stand-in's handling of a bucket created with `x-amz-bucket-object-lock-enabled: true`. */
export function markObjectLockBucket(bucket) {
  versioned.add(bucket);
}

function locked(version, now) {
  return version.body !== null && version.until !== undefined && version.until > now;
}

export async function versioning(ctx, next) {
  const [, bucket, ...rest] = ctx.path.replace(/^(\/[^/]+)\/$/, '$1').split('/');
  const key = rest.map((p) => decodeURIComponent(p)).join('/');
  const q = ctx.query;
  // --- bucket sub-resources ---
  if (rest.length === 0) {
    if (ctx.method === 'PUT' && 'versioning' in q) {
      const body = (await bodyOf(ctx)).toString('utf8');
      if (/<Status>\s*Enabled\s*<\/Status>/.test(body)) versioned.add(bucket);
      else if (versioned.has(bucket) && lockDefaults.has(bucket))
        return send(
          ctx,
          409,
          'InvalidBucketState',
          'Versioning cannot be suspended on an Object Lock bucket',
        );
      else versioned.delete(bucket);
      ctx.status = 200;
      return;
    }
    if (ctx.method === 'PUT' && 'object-lock' in q) {
      const body = (await bodyOf(ctx)).toString('utf8');
      const mode = /<Mode>\s*(GOVERNANCE|COMPLIANCE)\s*<\/Mode>/.exec(body)?.[1];
      const days = Number(/<Days>\s*(\d+)\s*<\/Days>/.exec(body)?.[1] ?? Number.NaN);
      if (!versioned.has(bucket))
        return send(
          ctx,
          409,
          'InvalidBucketState',
          'Object Lock configuration cannot be enabled on existing buckets',
        );
      if (mode && Number.isFinite(days)) lockDefaults.set(bucket, { mode, days });
      else lockDefaults.delete(bucket);
      ctx.status = 200;
      return;
    }
    if (ctx.method === 'GET' && 'versions' in q) return listVersions(ctx, bucket);
    if (ctx.method === 'POST' && 'delete' in q && versioned.has(bucket))
      return send(
        ctx,
        501,
        'NotImplemented',
        'The stand-in does not model multi-object delete on versioned buckets',
      );
    return next();
  }
  if (!versioned.has(bucket)) return next();
  const id = `${bucket}\n${key}`;
  const history = histories.get(id) ?? [];
  const now = Date.now();
  const subresource = Object.keys(q).filter((k) => k !== 'x-id' && k !== 'versionId');
  if (subresource.length > 0) return next();

  if (ctx.method === 'PUT') {
    const body = await bodyOf(ctx);
    await next();
    if (ctx.status !== 200) return;
    const lock = lockDefaults.get(bucket);
    const headerMode = ctx.get('x-amz-object-lock-mode');
    const headerUntil = ctx.get('x-amz-object-lock-retain-until-date');
    const version = {
      id: newVersionId(),
      seq: ++sequence,
      body,
      contentType: ctx.get('content-type'),
      at: now,
    };
    if (headerMode && headerUntil)
      Object.assign(version, { mode: headerMode, until: Date.parse(headerUntil) });
    else if (lock) Object.assign(version, { mode: lock.mode, until: now + lock.days * 86_400_000 });
    history.push(version);
    histories.set(id, history);
    ctx.set('x-amz-version-id', version.id);
    return;
  }
  if (ctx.method === 'GET' && q.versionId !== undefined) {
    const v = history.find((x) => x.id === q.versionId);
    if (!v) return send(ctx, 404, 'NoSuchVersion', 'The specified version does not exist.');
    if (v.body === null) {
      ctx.set('x-amz-delete-marker', 'true');
      return send(ctx, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
    }
    ctx.status = 200;
    ctx.type = v.contentType || 'binary/octet-stream';
    ctx.set('x-amz-version-id', v.id);
    ctx.set('ETag', `"${createHash('md5').update(v.body).digest('hex')}"`);
    ctx.body = v.body;
    return;
  }
  if (ctx.method === 'DELETE' && q.versionId === undefined) {
    await next();
    if (ctx.status >= 300) return;
    const marker = { id: newVersionId(), seq: ++sequence, body: null, at: now };
    history.push(marker);
    histories.set(id, history);
    ctx.set('x-amz-delete-marker', 'true');
    ctx.set('x-amz-version-id', marker.id);
    return;
  }
  if (ctx.method === 'DELETE') {
    const at = history.findIndex((x) => x.id === q.versionId);
    if (at < 0) {
      ctx.status = 204;
      return;
    }
    const v = history[at];
    if (locked(v, now)) {
      const bypass = ctx.get('x-amz-bypass-governance-retention').toLowerCase() === 'true';
      if (v.mode === 'COMPLIANCE' || !bypass)
        return send(ctx, 403, 'AccessDenied', 'Access Denied because object protected by object lock.');
    }
    history.splice(at, 1);
    if (history.length === 0) histories.delete(id);
    // The latest version went: the one before it (or nothing) becomes what a plain GET sees.
    if (at === history.length) {
      const latest = history.at(-1);
      if (!latest || latest.body === null) {
        if (await ctx.app.store.existsObject(bucket, key)) await ctx.app.store.deleteObject(bucket, key);
      } else {
        await ctx.app.store.putObject(
          new S3Object(bucket, key, latest.body, {
            'content-type': latest.contentType || 'binary/octet-stream',
            'content-length': String(latest.body.length),
          }),
        );
      }
    }
    ctx.status = 204;
    ctx.set('x-amz-version-id', v.id);
    if (v.body === null) ctx.set('x-amz-delete-marker', 'true');
    return;
  }
  return next();
}

function listVersions(ctx, bucket) {
  const q = ctx.query;
  const prefix = q.prefix ?? '';
  const maxKeys = Math.min(Number(q['max-keys'] ?? 1000) || 1000, 1000);
  const entries = [];
  for (const [id, history] of [...histories].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const [b, key] = id.split('\n');
    if (b !== bucket || !key.startsWith(prefix)) continue;
    for (const [i, v] of history.entries()) entries.push({ key, v, latest: i === history.length - 1 });
  }
  // Per key newest first, as S3 lists them.
  entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : b.v.seq - a.v.seq));
  let start = 0;
  if (q['key-marker'] !== undefined) {
    const km = q['key-marker'];
    const vm = q['version-id-marker'];
    start = entries.findIndex((e) => e.key > km);
    if (vm) {
      const i = entries.findIndex((e) => e.key === km && e.v.id === vm);
      if (i >= 0) start = i + 1;
    }
    if (start < 0) start = entries.length;
  }
  const page = entries.slice(start, start + maxKeys);
  const truncated = start + maxKeys < entries.length;
  const last = page.at(-1);
  const item = ({ key, v, latest }) =>
    v.body === null
      ? `<DeleteMarker><Key>${xml(key)}</Key><VersionId>${v.id}</VersionId><IsLatest>${latest}</IsLatest><LastModified>${new Date(v.at).toISOString()}</LastModified></DeleteMarker>`
      : `<Version><Key>${xml(key)}</Key><VersionId>${v.id}</VersionId><IsLatest>${latest}</IsLatest><LastModified>${new Date(v.at).toISOString()}</LastModified><ETag>"${createHash('md5').update(v.body).digest('hex')}"</ETag><Size>${v.body.length}</Size><StorageClass>STANDARD</StorageClass></Version>`;
  ctx.status = 200;
  ctx.type = 'application/xml';
  ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<ListVersionsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${xml(bucket)}</Name><Prefix>${xml(prefix)}</Prefix><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${
    truncated && last
      ? `<NextKeyMarker>${xml(last.key)}</NextKeyMarker><NextVersionIdMarker>${last.v.id}</NextVersionIdMarker>`
      : ''
  }${page.map(item).join('')}</ListVersionsResult>`;
}
