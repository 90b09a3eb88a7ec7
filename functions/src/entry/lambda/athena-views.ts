// Deploy-time custom resource (infra/lib/data-stack.ts): runs each view's `CREATE OR REPLACE VIEW` on Athena —
// the reference views, then the statements the stack passes (the base views that apply compaction's read rule
// over the `<relation>_files` tables, then sql/views in numbered order) — and answers CloudFormation through
// the pre-signed response URL. It always answers — a custom resource that never responds holds a deployment
// for an hour.
import { COMMUNES, PLAN } from '@scorecard/data-contracts';
import { AthenaEngine } from '../../adapters/athena-engine.ts';
import { referenceViewStatements } from '../../warehouse/athena-reference-views.ts';

interface ViewsProps {
  WorkGroup: string;
  Database: string;
  Statements: { Name: string; Ddl: string }[];
}

interface CfnEvent {
  RequestType: 'Create' | 'Update' | 'Delete';
  ResponseURL: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  PhysicalResourceId?: string;
  ResourceProperties: ViewsProps & { ServiceToken: string };
  OldResourceProperties?: ViewsProps;
}

async function applyViews(engine: AthenaEngine, event: CfnEvent): Promise<string[]> {
  // The reference and plan tables first: the sql/views files read them.
  const Statements = [
    ...referenceViewStatements(PLAN, COMMUNES).map((r) => ({ Name: r.name, Ddl: r.ddl })),
    ...event.ResourceProperties.Statements,
  ];
  const done: string[] = [];
  if (event.RequestType === 'Delete') {
    // Reverse order: a view is dropped before the views it reads.
    for (const s of [...Statements].reverse()) {
      await engine.query(`DROP VIEW IF EXISTS ${s.Name}`);
      done.push(s.Name);
    }
    return done;
  }
  for (const s of Statements) {
    await engine.query(s.Ddl);
    done.push(s.Name);
  }
  // Views dropped from sql/views since the last deploy.
  const now = new Set(Statements.map((s) => s.Name));
  for (const old of [...(event.OldResourceProperties?.Statements ?? [])].reverse()) {
    if (!now.has(old.Name)) await engine.query(`DROP VIEW IF EXISTS ${old.Name}`);
  }
  return done;
}

async function respond(
  event: CfnEvent,
  status: 'SUCCESS' | 'FAILED',
  reason: string,
  data: Record<string, string>,
) {
  const body = JSON.stringify({
    Status: status,
    Reason: reason.slice(0, 1000),
    PhysicalResourceId: event.PhysicalResourceId ?? `athena-views-${event.ResourceProperties.Database}`,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: data,
  });
  await fetch(event.ResponseURL, {
    method: 'PUT',
    body,
    headers: { 'content-type': '', 'content-length': String(Buffer.byteLength(body)) },
  });
}

/** @public — the Lambda runtime calls it. */
export const handler = async (event: CfnEvent) => {
  const p = event.ResourceProperties;
  const engine = new AthenaEngine({ workGroup: p.WorkGroup, database: p.Database, defaultTimeoutMs: 60_000 });
  try {
    const views = await applyViews(engine, event);
    console.log(JSON.stringify({ level: 'info', request: event.RequestType, views }));
    await respond(event, 'SUCCESS', `${event.RequestType}: ${views.length} views`, {
      Views: views.join(','),
    });
  } catch (e) {
    console.log(
      JSON.stringify({ level: 'error', request: event.RequestType, message: (e as Error).message }),
    );
    await respond(event, 'FAILED', (e as Error).message, {});
  } finally {
    await engine.close();
  }
};
