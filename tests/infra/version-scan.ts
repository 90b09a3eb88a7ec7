// Reads back what an S3 stand-in holds — every version of every object of the given buckets, decoded — so a
// test can say that something (a staff code, a person key) is nowhere, not only not in the current objects.
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { tableFromIPC } from 'apache-arrow';
import { parquetReadObjects } from 'hyparquet';
import type { S3StandIn } from './s3-stand-in-process.ts';

/** Every version of every object of every bucket, decoded to text: Parquet and Arrow as their rows. */
export async function everyVersion(
  s3: S3StandIn,
  buckets: readonly string[],
): Promise<{ where: string; text: string }[]> {
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: 'ap-southeast-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    forcePathStyle: true,
  });
  const out: { where: string; text: string }[] = [];
  try {
    for (const bucket of buckets) {
      const store = s3.store(bucket);
      const versions = await store.versions('');
      // An unversioned bucket lists no versions: its current objects are all there is.
      const entries = versions.length
        ? versions.filter((v) => !v.deleteMarker)
        : (await store.list('')).map((key) => ({ key, versionId: undefined }));
      for (const v of entries) {
        const got = await client.send(
          new GetObjectCommand({ Bucket: bucket, Key: v.key, VersionId: v.versionId }),
        );
        const bytes = (await got.Body?.transformToByteArray()) ?? new Uint8Array();
        out.push({ where: `${v.key}@${v.versionId ?? 'current'}`, text: await decode(v.key, bytes) });
      }
    }
  } finally {
    client.destroy();
  }
  return out;
}

async function decode(key: string, bytes: Uint8Array): Promise<string> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const replacer = (_: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);
  if (key.endsWith('.parquet')) return JSON.stringify(await parquetReadObjects({ file }), replacer);
  if (key.endsWith('.arrow')) return JSON.stringify(tableFromIPC(bytes).toArray(), replacer);
  return new TextDecoder().decode(bytes);
}

/** What an erased person leaves nowhere: [where, what] for each hit. */
export function hits(all: { where: string; text: string }[], needles: string[]): string[] {
  return all.flatMap(({ where, text }) =>
    needles.filter((n) => text.includes(n)).map((n) => `${n} in ${where}`),
  );
}
