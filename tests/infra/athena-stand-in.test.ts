// The Athena stand-in used by the bundle tests refuses what Athena refuses (the double models the rules it
// stands in for): a query string over 262,144 bytes, an empty ExecutionParameters list; and it leaves the
// result file where GetQueryExecution says, in Athena's CSV format.
import { AthenaClient, GetQueryExecutionCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AthenaStandIn, startAthenaStandIn } from './athena-stand-in.ts';
import { type S3StandIn, startS3StandIn } from './s3-stand-in-process.ts';

let s3: S3StandIn;
let athena: AthenaStandIn;
let results = '';
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

beforeAll(async () => {
  s3 = await startS3StandIn();
  results = await s3.bucket('athena-results');
  athena = await startAthenaStandIn({ endpoint: s3.endpoint, resultsBucket: results });
}, 60_000);
afterAll(async () => {
  await athena?.stop();
  await s3?.stop();
});

const client = () => new AthenaClient({ endpoint: athena.endpoint, region: 'ap-southeast-1', credentials });
const start = (input: { QueryString: string; ExecutionParameters?: string[] }) =>
  client()
    .send(new StartQueryExecutionCommand({ WorkGroup: 'w', ...input }))
    .then(
      (r) => r.QueryExecutionId ?? 'none',
      (e: { name?: string }) => e.name,
    );

describe('the Athena stand-in', () => {
  it('refuses a query string over 262,144 bytes, and an empty ExecutionParameters list', async () => {
    expect(await start({ QueryString: `select 1 -- ${'x'.repeat(262_144)}` })).toBe(
      'InvalidRequestException',
    );
    expect(await start({ QueryString: 'select 1', ExecutionParameters: [] })).toBe('InvalidRequestException');
    expect(await start({ QueryString: 'select 1', ExecutionParameters: ["'a'"] })).toMatch(/^q-/);
  });

  it('answers SUCCEEDED with the result file, written as Athena writes it', async () => {
    const id = await start({
      QueryString: "select * from (values (TIMESTAMP '2026-11-06 02:00:00.000')) t(x)",
    });
    const exec = await client().send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
    expect(exec.QueryExecution?.Status?.State).toBe('SUCCEEDED');
    const location = exec.QueryExecution?.ResultConfiguration?.OutputLocation as string;
    expect(location).toBe(`s3://${results}/${id}.csv`);
    const s3c = new S3Client({
      endpoint: s3.endpoint,
      region: 'ap-southeast-1',
      credentials,
      forcePathStyle: true,
    });
    const body = await (
      await s3c.send(new GetObjectCommand({ Bucket: results, Key: `${id}.csv` }))
    ).Body?.transformToString();
    expect(body).toBe('"as_of"\n"2026-11-06 02:00:00.000"\n');
    s3c.destroy();
  });
});
