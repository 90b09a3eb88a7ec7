// The export function: meeting packs on AWS (functions/src/packs/cloud-exports.ts says how the work is
// split). Two triggers:
//   - SQS (the export queue, fed by POST /exports): each record's body is {export_id, …}; the status record
//     at exports/<export_id>/status.json is the request. A failure throws: SQS retries the message and parks
//     it in the queue's DLQ after three receives.
//   - EventBridge Scheduler at each due instant of the plan: {source: 'schedule', meeting, year, as_of,
//     plan_id} (infra/lib/schedules-stack.ts). A failure throws: Lambda retries the async invocation twice,
//     then the function's DLQ holds it.
// The engine is Athena in the exports workgroup, every query rewritten to evaluate the views at the pack's
// as-of (as-of-views.ts) from the view files bundled beside this code.
import { MEETINGS, type Meeting, PLAN, type Plan } from '@scorecard/data-contracts';
import { AthenaEngine } from '../../adapters/athena-engine.ts';
import { s3StoreFromEnv, s3UrlReader } from '../../adapters/s3-store.ts';
import { AuditLog } from '../../ingest/audit.ts';
import {
  type ExportMessage,
  type ExportRunDeps,
  runQueuedExport,
  runScheduledExport,
} from '../../packs/cloud-exports.ts';
import { buildMeetingPack } from '../../packs/meeting-pack.ts';
import { fontCheckPdf } from '../../packs/pdf.ts';
import { clockFromEnv } from '../../ports/clock.ts';
import { AsOfEngine, AsOfViews, sqlViewsDir } from '../../warehouse/as-of-views.ts';

interface SqsRecord {
  messageId: string;
  body: string;
}

interface ScheduleEvent {
  source: 'schedule';
  meeting: Meeting;
  year: number;
  as_of: string;
  plan_id?: string;
}

/** An operator's check after a deploy: render a Vietnamese PDF with the bundled font, touch nothing else. */
interface SelfCheckEvent {
  source: 'self-check';
}

export type ExportEvent = { Records: SqsRecord[] } | ScheduleEvent | SelfCheckEvent;

export function exportDepsFromEnv(env: NodeJS.ProcessEnv = process.env): ExportRunDeps {
  const workGroup = env.ATHENA_WORKGROUP;
  if (!workGroup) throw new Error('ATHENA_WORKGROUP is not set');
  const database = env.ATHENA_DATABASE ?? 'commune_scorecard';
  const store = s3StoreFromEnv(env);
  const clock = clockFromEnv(env);
  const views = AsOfViews.fromDir(sqlViewsDir(env), PLAN);
  return {
    store,
    clock,
    plan: PLAN,
    openEngine: async (asOf) =>
      new AsOfEngine(
        new AthenaEngine({ workGroup, database, resultFile: s3UrlReader(store.s3, { discard: true }) }),
        views,
        asOf,
      ),
    build: buildMeetingPack,
    audit: new AuditLog(store, clock),
    log: (e) => console.log(JSON.stringify(e)),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function parseMessage(body: string): ExportMessage {
  let m: Partial<ExportMessage>;
  try {
    m = JSON.parse(body) as Partial<ExportMessage>;
  } catch {
    throw new Error('export: the queue message is not JSON');
  }
  if (typeof m.export_id !== 'string' || !UUID.test(m.export_id))
    throw new Error('export: the queue message has no export_id');
  return m as ExportMessage;
}

function checkSchedule(e: ScheduleEvent, plan: Plan): void {
  if (e.plan_id !== undefined && e.plan_id !== plan.plan_id)
    throw new Error(`export: the schedule is for plan ${e.plan_id}, this function carries ${plan.plan_id}`);
  if (!MEETINGS.includes(e.meeting)) throw new Error(`export: unknown meeting ${String(e.meeting)}`);
  if (!Number.isSafeInteger(e.year)) throw new Error('export: the schedule has no year');
  if (typeof e.as_of !== 'string' || Number.isNaN(Date.parse(e.as_of)))
    throw new Error('export: the schedule has no as_of instant');
}

export function createExportHandler(deps: ExportRunDeps) {
  const plan = deps.plan ?? PLAN;
  return async (event: ExportEvent) => {
    if ('Records' in event && Array.isArray(event.Records)) {
      // One message per invocation (batch size 1); several are handled in order, the first failure throws.
      for (const record of event.Records) {
        const m = parseMessage(record.body);
        deps.log?.({
          event: 'export_requested',
          via: 'sqs',
          message_id: record.messageId,
          export_id: m.export_id,
        });
        await runQueuedExport(deps, m.export_id);
      }
      return { batchItemFailures: [] };
    }
    if ((event as ScheduleEvent).source === 'schedule') {
      const e = event as ScheduleEvent;
      checkSchedule(e, plan);
      deps.log?.({
        event: 'export_requested',
        via: 'schedule',
        meeting: e.meeting,
        year: e.year,
        as_of: e.as_of,
      });
      const status = await runScheduledExport(deps, { meeting: e.meeting, year: e.year, as_of: e.as_of });
      return { export_id: status.export_id, status: status.status, data_sha256: status.data_sha256 ?? null };
    }
    if ((event as SelfCheckEvent).source === 'self-check') {
      const pdf = await fontCheckPdf();
      const head = new TextDecoder().decode(pdf.subarray(0, 5));
      deps.log?.({ event: 'export_self_check', pdf_bytes: pdf.byteLength });
      return { pdf_bytes: pdf.byteLength, pdf: head === '%PDF-' };
    }
    throw new Error('export: neither an SQS batch, a schedule event nor a self-check');
  };
}
