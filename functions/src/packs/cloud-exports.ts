// Meeting packs in the cloud. Locally ExportService builds a pack in the background of the API process; on
// AWS the API function answers in seconds and has no Athena rights, so the work is split:
//   POST /exports (api-query) → CloudExportService.request: validates, writes the `queued` status record at
//     exports/<export_id>/status.json (the same record GET /exports/:id reads), sends {export_id, …} to the
//     export queue (SQS, DLQ after 3 receives) → 202;
//   the export function (functions/src/entry/lambda/cloud-export.ts) → runQueuedExport: reads that record, builds
//     the pack with the same buildMeetingPack as `npm run export` over an engine cut at the record's as-of,
//     writes exports/<export_id>/… and moves the record running → done | failed. A failure is recorded AND
//     rethrown, so SQS retries the message and finally parks it in the DLQ (a retry that succeeds turns the
//     record back to done);
//   EventBridge Scheduler (one schedule per due instant of the plan) → runScheduledExport: the same, under an
//     id derived from (plan, meeting, year, as-of), so a retried invocation resumes the same record instead
//     of producing a second pack.
// The status record, the file names and the pack are those of ExportService: GET /exports… need no change.
import { createHash } from 'node:crypto';
import { type Meeting, message, PLAN, type Plan } from '@scorecard/data-contracts';
import type { Actor, AuditLog } from '../ingest/audit.ts';
import type { Clock } from '../ports/clock.ts';
import { getJson, type ObjectStore } from '../ports/object-store.ts';
import type { SqlEngine } from '../ports/sql-engine.ts';
import {
  buildPackFor,
  type ExportRequest,
  ExportService,
  type ExportStatus,
  queuedStatus,
  saveStatus,
  statusKey,
} from './export-service.ts';
import type { BuildPack } from './pack-files.ts';
import { checkPackRequest } from './pack-request.ts';

/** What the export queue carries: the id is what counts (the status record is the source of truth). */
export interface ExportMessage {
  export_id: string;
  meeting: Meeting;
  year: number;
  as_of: string;
  requested_by: string;
}

export type Enqueue = (m: ExportMessage) => Promise<void>;

/**
 * The API side in the cloud: list, get and file are ExportService's own (they read the store); request queues
 * the pack for the export function instead of building it in this process.
 */
export class CloudExportService extends ExportService {
  constructor(private readonly cloud: { store: ObjectStore; clock: Clock; plan?: Plan; enqueue: Enqueue }) {
    super({
      store: cloud.store,
      clock: cloud.clock,
      ...(cloud.plan ? { plan: cloud.plan } : {}),
      openEngine: () =>
        Promise.reject(new Error('exports: packs are built by the export function in the cloud')),
    });
  }

  override async request(req: ExportRequest): Promise<{ export_id: string }> {
    // The same checks and record as locally (400 for a bad request), before anything is sent.
    const status = await this.recordQueued(req);
    try {
      await this.cloud.enqueue({
        export_id: status.export_id,
        meeting: status.meeting,
        year: status.year,
        as_of: status.as_of,
        requested_by: status.requested_by,
      });
    } catch (e) {
      // Not queued: say so in the record rather than leave it `queued` until it reads as stale.
      await saveStatus(this.cloud.store, {
        ...status,
        status: 'failed',
        error: message('internal'),
        updated_at: this.cloud.clock.now().toISOString(),
      });
      throw e;
    }
    return { export_id: status.export_id };
  }
}

export interface ExportRunDeps {
  store: ObjectStore;
  clock: Clock;
  plan?: Plan;
  /** A read-only engine over the views at `asOf` (AWS: Athena with the view chain inlined at that as-of). */
  openEngine(asOf: Date): Promise<SqlEngine>;
  /** The pack builder (meeting-pack.ts buildMeetingPack): the export function bundles it, the API does not. */
  build: BuildPack;
  audit?: AuditLog;
  log?: (event: Record<string, unknown>) => void;
}

const FUNCTION_ACTOR: Actor = { sub: 'export-function', role: 'admin' };

/**
 * Builds the pack of a queued (or failed, or interrupted) status record. A record already `done` is left as it
 * is (SQS delivers at least once). Throws after recording `failed`, so the caller's queue retries.
 */
export async function runQueuedExport(deps: ExportRunDeps, exportId: string): Promise<ExportStatus> {
  const { store, clock } = deps;
  const plan = deps.plan ?? PLAN;
  const initial = await getJson<ExportStatus>(store, statusKey(exportId));
  if (!initial) throw new Error(`export ${exportId}: no status record`);
  if (initial.status === 'done') {
    deps.log?.({ event: 'export_already_done', export_id: exportId });
    return initial;
  }
  const detail = {
    meeting: initial.meeting,
    year: initial.year,
    as_of: initial.as_of,
    requested_by: initial.requested_by,
  };
  const { status, error } = await buildPackFor(
    { store, clock, plan, openEngine: deps.openEngine, build: deps.build },
    initial,
  );
  if (error !== undefined) {
    // The record carries the catalogue's message (buildPackFor); the reason goes to the log.
    deps.log?.({ event: 'export_failed', export_id: exportId, ...detail, message: (error as Error).message });
    await deps.audit?.record(FUNCTION_ACTOR, 'export.run', 'failed', exportId, detail).catch(() => undefined);
    throw error;
  }
  deps.log?.({ event: 'export_done', export_id: exportId, ...detail, data_sha256: status.data_sha256 });
  await deps.audit?.record(FUNCTION_ACTOR, 'export.run', 'done', exportId, {
    ...detail,
    data_sha256: status.data_sha256,
  });
  return status;
}

/** A stable id in the API's id format for the scheduled pack of (plan, meeting, year, as-of). */
export function scheduledExportId(plan: Plan, meeting: Meeting, year: number, asOf: Date): string {
  const h = createHash('sha256')
    .update(`scheduled|${plan.plan_id}|${plan.version}|${meeting}|${year}|${asOf.toISOString()}`)
    .digest('hex');
  // UUID layout, version 8 (custom) and the RFC variant: it sorts apart from the uuidv7 ids of requests.
  const variant = ((Number.parseInt(h[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface ScheduledExport {
  meeting: Meeting;
  year: number;
  /** The due instant the schedule carries: the pack holds what was received up to it. */
  as_of: string;
}

/** A pack the plan's schedule made due: recorded under its stable id, then built like a queued one. */
export async function runScheduledExport(deps: ExportRunDeps, s: ScheduledExport): Promise<ExportStatus> {
  const plan = deps.plan ?? PLAN;
  const asOf = new Date(s.as_of);
  const now = deps.clock.now();
  const scope = checkPackRequest(plan, s.meeting, s.year, asOf, now);
  const id = scheduledExportId(plan, s.meeting, s.year, asOf);
  const existing = await getJson<ExportStatus>(deps.store, statusKey(id));
  if (!existing) {
    await saveStatus(
      deps.store,
      queuedStatus({
        export_id: id,
        meeting: s.meeting,
        year: s.year,
        years: scope.years,
        asOf,
        requestedBy: 'schedule',
        now,
      }),
    );
  }
  return runQueuedExport(deps, id);
}
