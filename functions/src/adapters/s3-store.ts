// S3 object store: the cloud implementation of ObjectStore with the same key layout as the local folder.
// Keys keep their full path; the first path segment picks the bucket (raw/ and audit/ in the Object-Locked
// raw bucket, curated/ in the curated bucket, …), so least-privilege grants follow the layout.
import { createHash } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import {
  type ObjectStore,
  type ObjectVersion,
  PreconditionFailed,
  type PutOptions,
} from '../ports/object-store.ts';

export interface S3ObjectStoreOptions {
  /** Bucket for keys whose first segment has no route. */
  bucket: string;
  /** First key segment → bucket, e.g. { raw: 'scorecard-raw-…', audit: 'scorecard-raw-…' }. */
  routes?: Record<string, string>;
  /** An existing client (tests pass a mocked one); otherwise one is built from `client` options. */
  s3?: S3Client;
  client?: Pick<S3ClientConfig, 'endpoint' | 'region' | 'credentials'>;
  /** Path-style URLs (needed by S3 stand-ins on loopback). */
  forcePathStyle?: boolean;
  /** Keys per ListObjectsV2 page (S3's maximum is 1000). */
  pageSize?: number;
  /**
   * First key segments whose versions this store may remove through Object Lock's governance retention
   * (x-amz-bypass-governance-retention): the erasure function's raw/, nobody else's. S3 honours the header only
   * for a caller holding s3:BypassGovernanceRetention on the object (infra: the erasure role alone).
   */
  bypassGovernanceFor?: readonly string[];
}

export class S3ObjectStore implements ObjectStore {
  readonly s3: S3Client;
  private readonly bucket: string;
  private readonly routes: Record<string, string>;
  private readonly pageSize: number;
  private readonly bypassGovernanceFor: ReadonlySet<string>;

  constructor(options: S3ObjectStoreOptions) {
    this.bucket = options.bucket;
    this.bypassGovernanceFor = new Set(options.bypassGovernanceFor ?? []);
    this.routes = options.routes ?? {};
    this.pageSize = options.pageSize ?? 1000;
    this.s3 =
      options.s3 ??
      new S3Client({
        ...options.client,
        forcePathStyle: options.forcePathStyle ?? false,
        // The SDK computes no checksum itself (it would stream aws-chunked bodies with trailing checksums, which
        // stand-ins store verbatim): put() sends its own SHA-256 as a header, which S3 checks.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      });
  }

  private bucketOf(key: string): string {
    const top = key.split('/', 1)[0] ?? '';
    return this.routes[top] ?? this.bucket;
  }

  private checkKey(key: string): void {
    if (key === '' || key.startsWith('/') || key.split('/').some((p) => p === '..' || p === '.')) {
      throw new Error(`invalid object key: ${key}`);
    }
  }

  /** The `s3://bucket/key` URL of a key, as this store routes it (Glue locations, Athena). */
  urlOf(key: string): string {
    this.checkKey(key);
    return `s3://${this.bucketOf(key)}/${key}`;
  }

  /** A pre-signed GET URL for one object, valid `expiresInSeconds` (signed with this function's own rights). */
  async presignGet(key: string, expiresInSeconds: number): Promise<string> {
    this.checkKey(key);
    return getSignedUrl(this.s3, new GetObjectCommand({ Bucket: this.bucketOf(key), Key: key }), {
      expiresIn: expiresInSeconds,
    });
  }

  async get(key: string): Promise<Uint8Array | null> {
    this.checkKey(key);
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucketOf(key), Key: key }));
      if (!out.Body) return new Uint8Array();
      return await out.Body.transformToByteArray();
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  async exists(key: string): Promise<boolean> {
    this.checkKey(key);
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: this.bucketOf(key), Key: key }));
      return true;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  }

  async put(key: string, body: Uint8Array | string, options: PutOptions = {}): Promise<void> {
    this.checkKey(key);
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
    try {
      await this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucketOf(key),
          Key: key,
          Body: bytes,
          ContentLength: bytes.byteLength,
          // Every put carries the SHA-256 of its bytes: the Object Lock bucket (raw/, audit/) refuses a put
          // without a checksum (400 InvalidRequest), and S3 refuses bytes that do not match it anywhere.
          ChecksumSHA256: createHash('sha256').update(bytes).digest('base64'),
          ContentType: options.contentType ?? contentTypeOf(key),
          ...(options.contentEncoding ? { ContentEncoding: options.contentEncoding } : {}),
          // S3 conditional write: the PUT fails with 412 if any object exists at the key, atomically on S3's
          // side, so exactly one of racing writers claims a version.
          ...(options.ifNoneMatch ? { IfNoneMatch: '*' } : {}),
        }),
      );
    } catch (e) {
      // 409 ConditionalRequestConflict: a concurrent conditional write to the same key is in flight; the other
      // writer wins or fails on its own, either way this one did not create the object.
      if (options.ifNoneMatch && (httpStatus(e) === 412 || httpStatus(e) === 409))
        throw new PreconditionFailed(key);
      throw e;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const out = await this.s3.send(
        new ListObjectsV2Command({
          Bucket: this.bucketOf(prefix),
          Prefix: prefix,
          ContinuationToken: token,
          MaxKeys: this.pageSize,
        }),
      );
      for (const o of out.Contents ?? []) if (o.Key !== undefined) keys.push(o.Key);
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token !== undefined);
    // S3 lists in UTF-8 binary order already; sort anyway so the port's promise holds for every backend.
    return keys.sort();
  }

  async delete(key: string): Promise<void> {
    this.checkKey(key);
    // S3 DELETE is idempotent: deleting a missing key succeeds. In a versioned bucket it adds a delete marker.
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucketOf(key), Key: key }));
  }

  async versions(prefix: string): Promise<ObjectVersion[]> {
    const out: ObjectVersion[] = [];
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectVersionsCommand({
          Bucket: this.bucketOf(prefix),
          Prefix: prefix,
          MaxKeys: this.pageSize,
          KeyMarker: keyMarker,
          VersionIdMarker: versionIdMarker,
        }),
      );
      for (const v of page.Versions ?? [])
        if (v.Key !== undefined && v.VersionId !== undefined)
          out.push({ key: v.Key, versionId: v.VersionId, latest: v.IsLatest === true, deleteMarker: false });
      for (const m of page.DeleteMarkers ?? [])
        if (m.Key !== undefined && m.VersionId !== undefined)
          out.push({ key: m.Key, versionId: m.VersionId, latest: m.IsLatest === true, deleteMarker: true });
      const more = page.IsTruncated === true;
      keyMarker = more ? page.NextKeyMarker : undefined;
      versionIdMarker = more ? page.NextVersionIdMarker : undefined;
    } while (keyMarker !== undefined);
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async deleteVersion(key: string, versionId: string): Promise<void> {
    this.checkKey(key);
    const top = key.split('/', 1)[0] ?? '';
    await this.s3.send(
      new DeleteObjectCommand({
        Bucket: this.bucketOf(key),
        Key: key,
        VersionId: versionId,
        ...(this.bypassGovernanceFor.has(top) ? { BypassGovernanceRetention: true } : {}),
      }),
    );
  }
}

function httpStatus(e: unknown): number | undefined {
  if (e instanceof S3ServiceException) return e.$metadata.httpStatusCode;
  return (e as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

function isNotFound(e: unknown): boolean {
  const name = (e as { name?: string })?.name;
  return name === 'NoSuchKey' || name === 'NotFound' || httpStatus(e) === 404;
}

function contentTypeOf(key: string): string {
  if (key.endsWith('.json')) return 'application/json';
  if (key.endsWith('.parquet')) return 'application/vnd.apache.parquet';
  if (key.endsWith('.arrow')) return 'application/vnd.apache.arrow.file';
  if (key.endsWith('.csv')) return 'text/csv; charset=utf-8';
  if (key.endsWith('.xlsx')) return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  if (key.endsWith('.pdf')) return 'application/pdf';
  return 'application/octet-stream';
}

/**
 * The store the Lambdas use: STORE_BUCKETS is the stack's JSON map of first key segment → bucket
 * (infra/lib/store-layout.ts), STORE_DEFAULT_BUCKET the bucket for anything else.
 */
/**
 * Reads an `s3://bucket/key` object with this client: Athena's result files (adapters/athena-engine.ts). With
 * `discard`, the result file and Athena's `.metadata` beside it are deleted once read: a refresh's or a pack's
 * results (cadre_gaps holds staff codes and titles) then live only while their query is read, instead of the
 * results bucket's 30 days — and an erasure meeting a refresh in flight leaves nothing of the person there.
 */
export function s3UrlReader(
  s3: S3Client,
  options: { discard?: boolean } = {},
): (url: string) => Promise<Uint8Array> {
  return async (url) => {
    const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(url);
    if (!m) throw new Error(`not an s3:// location: ${url}`);
    const [, bucket, key] = m as unknown as [string, string, string];
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const bytes = out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
    if (options.discard)
      for (const k of [key, `${key}.metadata`])
        await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: k }));
    return bytes;
  };
}

export function s3StoreFromEnv(env: NodeJS.ProcessEnv = process.env): S3ObjectStore {
  const bucket = env.STORE_DEFAULT_BUCKET;
  if (!bucket) throw new Error('STORE_DEFAULT_BUCKET is not set');
  const routes = env.STORE_BUCKETS ? (JSON.parse(env.STORE_BUCKETS) as Record<string, string>) : {};
  const bypassGovernanceFor = env.STORE_BYPASS_GOVERNANCE
    ? (JSON.parse(env.STORE_BYPASS_GOVERNANCE) as string[])
    : [];
  return new S3ObjectStore({ bucket, routes, bypassGovernanceFor });
}
