// A stand-in for Athena's API on loopback (AWS JSON 1.1, `X-Amz-Target: AmazonAthena.<Operation>`), for bundle
// tests that run a Lambda from its asset with AWS_ENDPOINT_URL_ATHENA pointing here. Athena cannot run on this
// machine; this models what the functions rely on, each rule from Athena's API reference:
// - StartQueryExecution: the query string is at most 262,144 bytes, and ExecutionParameters, when sent, holds at
//   least one value (InvalidRequestException otherwise); the query runs in the given work group;
// - GetQueryExecution: SUCCEEDED with the result file's OutputLocation (s3://<results bucket>/<id>.csv) and
//   StatementType DML for a SELECT;
// - the result file is written as Athena writes it (every value quoted, NULL unquoted and empty), to the S3
//   stand-in, and GetQueryResults answers the column metadata (and the header row) on its first page.
// Without `answer`, every query answers one row, `as_of` — the instant the query's text carries, or NULL — so a
// test sees what each query was evaluated at. With `answer` (e.g. DuckDB running the very text received over the
// same files), each query answers those rows, typed as Athena types them; an answer that throws is a FAILED query.
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { fail, ok, serveAwsJson } from './aws-json-stand-in.ts';

export interface AthenaStandIn {
  endpoint: string;
  queries: { workGroup: string; text: string }[];
  stop(): Promise<void>;
}

const MAX_QUERY_BYTES = 262_144;

export interface StandInAnswer {
  columns: { name: string; type: string }[];
  rows: Record<string, string | number | boolean | null>[];
}

/** An engine type (VARCHAR, BIGINT, TIMESTAMP …) as Athena's ColumnInfo names it. */
function athenaType(engineType: string): string {
  const t = engineType.toLowerCase();
  if (t === 'hugeint') return 'bigint';
  if (t.startsWith('decimal')) return 'decimal';
  return t;
}

/** A value as Athena writes it in a result file: every value quoted, instants without 'T' and 'Z', NULL empty. */
function csvField(v: string | number | boolean | null, type: string): string {
  if (v === null) return '';
  const text =
    type === 'timestamp' && typeof v === 'string' ? v.replace('T', ' ').replace('Z', '') : String(v);
  return `"${text.replace(/"/g, '""')}"`;
}

export async function startAthenaStandIn(s3: {
  endpoint: string;
  resultsBucket: string;
  answer?: (queryText: string) => Promise<StandInAnswer>;
}): Promise<AthenaStandIn> {
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: 'ap-southeast-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  const queries: { workGroup: string; text: string }[] = [];
  const outcomes = new Map<
    string,
    { columns: { Name: string; Label: string; Type: string }[] } | { error: string }
  >();
  const server = await serveAwsJson('AmazonAthena', async (op, body) => {
    const invalid = (message: string) => fail('InvalidRequestException', message);
    if (op === 'StartQueryExecution') {
      const text = String(body.QueryString ?? '');
      if (Buffer.byteLength(text) > MAX_QUERY_BYTES) return invalid('Query string exceeds 262144 bytes');
      if (Array.isArray(body.ExecutionParameters) && body.ExecutionParameters.length === 0)
        return invalid('ExecutionParameters must contain at least one value');
      queries.push({ workGroup: String(body.WorkGroup), text });
      const id = `q-${queries.length}`;
      if (s3.answer) {
        try {
          const r = await s3.answer(text);
          const columns = r.columns.map((c) => ({ Name: c.name, Label: c.name, Type: athenaType(c.type) }));
          const lines = [
            columns.map((c) => `"${c.Name}"`).join(','),
            ...r.rows.map((row) => columns.map((c) => csvField(row[c.Name] ?? null, c.Type)).join(',')),
          ];
          await client.send(
            new PutObjectCommand({
              Bucket: s3.resultsBucket,
              Key: `${id}.csv`,
              Body: `${lines.join('\n')}\n`,
            }),
          );
          outcomes.set(id, { columns });
        } catch (e) {
          outcomes.set(id, { error: (e as Error).message });
        }
        return ok({ QueryExecutionId: id });
      }
      const asOf = /TIMESTAMP '([^']+)'/.exec(text)?.[1] ?? null;
      const csv = `"as_of"\n${asOf === null ? '' : `"${asOf}"`}\n`;
      await client.send(new PutObjectCommand({ Bucket: s3.resultsBucket, Key: `${id}.csv`, Body: csv }));
      outcomes.set(id, { columns: [{ Name: 'as_of', Label: 'as_of', Type: 'varchar' }] });
      return ok({ QueryExecutionId: id });
    }
    if (op === 'GetQueryExecution') {
      const outcome = outcomes.get(String(body.QueryExecutionId));
      if (outcome && 'error' in outcome)
        return ok({
          QueryExecution: {
            QueryExecutionId: body.QueryExecutionId,
            StatementType: 'DML',
            Status: { State: 'FAILED', StateChangeReason: outcome.error },
          },
        });
      return ok({
        QueryExecution: {
          QueryExecutionId: body.QueryExecutionId,
          StatementType: 'DML',
          Status: { State: 'SUCCEEDED' },
          ResultConfiguration: { OutputLocation: `s3://${s3.resultsBucket}/${body.QueryExecutionId}.csv` },
        },
      });
    }
    if (op === 'GetQueryResults') {
      // Column metadata and the header row only: the functions read the rows from the result file.
      const outcome = outcomes.get(String(body.QueryExecutionId));
      if (!outcome || 'error' in outcome) return invalid('Query has not yet finished or has failed');
      return ok({
        ResultSet: {
          ResultSetMetadata: { ColumnInfo: outcome.columns },
          Rows: [{ Data: outcome.columns.map((c) => ({ VarCharValue: c.Name })) }],
        },
      });
    }
    if (op === 'StopQueryExecution') return ok({});
    return invalid(`operation not modelled: ${op}`);
  });
  return {
    endpoint: server.endpoint,
    queries,
    async stop() {
      client.destroy();
      await server.close();
    },
  };
}
