// Meeting packs behind the API (POST /exports → 202 {export_id}, GET /exports, GET /exports/:id,
// GET /exports/:id/:file — the lead's routes call this service). A pack runs in the background into
// exports/<export_id>/ through the ObjectStore port, with a status record (queued → running → done | failed,
// progress, files) at exports/<export_id>/status.json that every step rewrites.
import {
  type DueExport,
  type LocalisedMessage,
  type Meeting,
  message,
  PLAN,
  type Plan,
} from '@scorecard/data-contracts';
import { uuidv7 } from 'uuidv7';
import { sha256Hex } from '../codec/canonical.ts';
import type { Clock } from '../ports/clock.ts';
import { getJson, type ObjectStore } from '../ports/object-store.ts';
import type { SqlEngine } from '../ports/sql-engine.ts';
import {
  type BuildPack,
  CONTENT_TYPES,
  MANIFEST_FILE,
  type ManifestFile,
  PACK_STEPS,
  type PackStep,
  type ProgressFn,
} from './pack-files.ts';
import { checkPackRequest } from './pack-request.ts';
import { dueExports } from './schedule.ts';

type ExportState = 'queued' | 'running' | 'done' | 'failed';

export interface ExportStatus {
  export_id: string;
  meeting: Meeting;
  year: number;
  years: number[];
  as_of: string;
  status: ExportState;
  progress: { step: PackStep | null; done: number; total: number };
  /** The pack's files, manifest.json last, once done. */
  files: ManifestFile[];
  requested_by: string;
  created_at: string;
  updated_at: string;
  /** Data hash of the pack (manifest data_sha256), once done. */
  data_sha256?: string;
  error?: LocalisedMessage;
}

export interface ExportRequest {
  meeting: Meeting;
  year: number;
  /** Default: now. Never in the future (a future cut-off could not be reproduced). */
  asOf?: Date;
  requestedBy: string;
  /** Also told of every step (the CLI prints it); the status record has it either way. */
  onProgress?: ProgressFn;
}

export interface ExportServiceDeps {
  store: ObjectStore;
  clock: Clock;
  plan?: Plan;
  /** A read-only engine over the views, cut at `asOf` (local: the DuckDB warehouse; AWS: Athena). */
  openEngine(asOf: Date): Promise<SqlEngine>;
  /**
   * The pack builder (meeting-pack.ts buildMeetingPack), given by whoever builds packs in this process: the
   * local server and CLI, the cloud export function. The cloud API only queues packs and has none.
   */
  build?: BuildPack;
}

const PREFIX = 'exports/';
const STATUS_FILE = 'status.json';
/** Longer than any step of a pack takes (the slowest, the PDF, takes seconds). */
const STALE_MS = 15 * 60 * 1000;
const ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Where a pack's status record lives (the API lists and reads it; local and cloud runners write it). */
export const statusKey = (id: string) => `${PREFIX}${id}/${STATUS_FILE}`;

export async function saveStatus(store: ObjectStore, s: ExportStatus): Promise<void> {
  await store.put(statusKey(s.export_id), JSON.stringify(s, null, 2), { contentType: 'application/json' });
}

/** A new pack's record, `queued`. */
export function queuedStatus(o: {
  export_id: string;
  meeting: Meeting;
  year: number;
  years: number[];
  asOf: Date;
  requestedBy: string;
  now: Date;
}): ExportStatus {
  return {
    export_id: o.export_id,
    meeting: o.meeting,
    year: o.year,
    years: o.years,
    as_of: o.asOf.toISOString(),
    status: 'queued',
    progress: { step: null, done: 0, total: PACK_STEPS.length },
    files: [],
    requested_by: o.requestedBy,
    created_at: o.now.toISOString(),
    updated_at: o.now.toISOString(),
  };
}

/**
 * Builds the pack of a status record into exports/<id>/, writing each step's progress and then `done` (or
 * `failed`, with the catalogue's message — never a stack trace) to the record. Never throws: the error, if
 * any, is returned for the caller to log (locally) or rethrow (the cloud function, so its queue retries).
 */
export async function buildPackFor(
  deps: ExportServiceDeps,
  initial: ExportStatus,
  onProgress?: ProgressFn,
): Promise<{ status: ExportStatus; error?: unknown }> {
  const { store, clock } = deps;
  const plan = deps.plan ?? PLAN;
  const { error: _error, data_sha256: _hash, ...rest } = initial;
  let status: ExportStatus = {
    ...rest,
    status: 'running',
    progress: { step: null, done: 0, total: PACK_STEPS.length },
    files: [],
  };
  // Status writes are chained so that a later step never lands before an earlier one.
  let writes: Promise<void> = Promise.resolve();
  const update = (patch: Partial<ExportStatus>) => {
    status = { ...status, ...patch, updated_at: clock.now().toISOString() };
    const snapshot = status;
    writes = writes.then(() => saveStatus(store, snapshot));
  };
  update({});
  const id = status.export_id;
  const asOf = new Date(status.as_of);
  let engine: SqlEngine | null = null;
  let error: unknown;
  try {
    if (!deps.build) throw new Error('exports: this process does not build packs');
    engine = await deps.openEngine(asOf);
    const manifest = await deps.build({
      engine,
      plan,
      year: status.year,
      meeting: status.meeting,
      asOf,
      now: clock.now(),
      sink: {
        write: (name, bytes, contentType) => store.put(`${PREFIX}${id}/${name}`, bytes, { contentType }),
      },
      onProgress: (p) => {
        update({ progress: { step: p.step, done: p.done, total: p.total } });
        onProgress?.(p);
      },
    });
    const manifestFile = await manifestFileEntry(store, `${PREFIX}${id}/${MANIFEST_FILE}`);
    update({
      status: 'done',
      files: [...manifest.files, ...manifestFile],
      data_sha256: manifest.data_sha256,
    });
  } catch (e) {
    error = e;
    update({ status: 'failed', error: message('internal') });
  } finally {
    await engine?.close().catch(() => undefined);
  }
  try {
    await writes;
  } catch (e) {
    error ??= e;
  }
  return error === undefined ? { status } : { status, error };
}

export class ExportService {
  readonly plan: Plan;
  private readonly running = new Map<string, Promise<ExportStatus>>();

  constructor(private readonly deps: ExportServiceDeps) {
    this.plan = deps.plan ?? PLAN;
  }

  private key(id: string, name: string): string {
    return `${PREFIX}${id}/${name}`;
  }

  /** Validates and queues a pack; returns at once (202). Throws ExportRequestError for a bad request (400). */
  async request(req: ExportRequest): Promise<{ export_id: string }> {
    const status = await this.recordQueued(req);
    this.running.set(status.export_id, this.run(status, req.onProgress));
    return { export_id: status.export_id };
  }

  /**
   * Checks a request against the plan (ExportRequestError, 400, before anything is written) and writes its
   * `queued` status record — the first step of a pack, locally and in the cloud alike.
   */
  protected async recordQueued(req: ExportRequest): Promise<ExportStatus> {
    const now = this.deps.clock.now();
    const asOf = req.asOf ?? now;
    const scope = checkPackRequest(this.plan, req.meeting, req.year, asOf, now);
    const status = queuedStatus({
      export_id: uuidv7(),
      meeting: req.meeting,
      year: req.year,
      years: scope.years,
      asOf,
      requestedBy: req.requestedBy,
      now,
    });
    await saveStatus(this.deps.store, status);
    return status;
  }

  private async run(initial: ExportStatus, onProgress?: ProgressFn): Promise<ExportStatus> {
    const { status, error } = await buildPackFor({ ...this.deps, plan: this.plan }, initial, onProgress);
    // The reason goes to the server log; the record carries the catalogue's message.
    if (error !== undefined) console.error(`export ${status.export_id} failed:`, error);
    this.running.delete(status.export_id);
    return status;
  }

  /**
   * A queued or running record that no step has touched for STALE_MS belongs to a process that died (a
   * restart, a crash): it reads as failed, so it neither spins forever in the dashboard nor blocks `--due`.
   */
  private present(s: ExportStatus | null): ExportStatus | null {
    if (!s || (s.status !== 'queued' && s.status !== 'running') || this.running.has(s.export_id)) return s;
    const idle = this.deps.clock.now().getTime() - Date.parse(s.updated_at);
    return idle > STALE_MS ? { ...s, status: 'failed', error: message('internal') } : s;
  }

  async get(id: string): Promise<ExportStatus | null> {
    if (!ID_PATTERN.test(id)) return null;
    return this.present(await getJson<ExportStatus>(this.deps.store, statusKey(id)));
  }

  /** Every export, newest first. */
  async list(): Promise<ExportStatus[]> {
    const keys = (await this.deps.store.list(PREFIX)).filter((k) => k.endsWith(`/${STATUS_FILE}`));
    const all = await Promise.all(
      keys.map(async (k) => this.present(await getJson<ExportStatus>(this.deps.store, k))),
    );
    return all
      .filter((s): s is ExportStatus => s !== null)
      .sort((a, b) =>
        a.created_at === b.created_at
          ? a.export_id < b.export_id
            ? 1
            : -1
          : a.created_at < b.created_at
            ? 1
            : -1,
      );
  }

  /** A file of a finished pack; only names the status lists (no path tricks reach the store). */
  async file(id: string, name: string): Promise<{ bytes: Uint8Array; contentType: string } | null> {
    const status = await this.get(id);
    const entry = status?.status === 'done' ? status.files.find((f) => f.name === name) : undefined;
    if (!entry) return null;
    const bytes = await this.deps.store.get(this.key(id, entry.name));
    return bytes ? { bytes, contentType: entry.content_type } : null;
  }

  /** Resolves when a pack started by this process has finished (tests, the CLI). */
  async wait(id: string): Promise<ExportStatus | null> {
    return (await this.running.get(id)) ?? this.get(id);
  }

  /** Packs the plan says are due at `now` and that no queued, running or finished export already covers. */
  async dueNotWritten(now = this.deps.clock.now()): Promise<DueExport[]> {
    const existing = (await this.list()).filter((s) => s.status !== 'failed');
    return dueExports(this.plan, now).filter(
      (d) => !existing.some((s) => s.meeting === d.meeting && s.year === d.year),
    );
  }
}

/** The embedded default: packs computed by the DuckDB warehouse over the local data folder. */
/** The pack's manifest.json as a file of its own listing (none when it was not written). */
async function manifestFileEntry(store: ObjectStore, key: string): Promise<ManifestFile[]> {
  const bytes = await store.get(key);
  return bytes
    ? [
        {
          name: MANIFEST_FILE,
          bytes: bytes.byteLength,
          sha256: sha256Hex(bytes),
          content_type: CONTENT_TYPES.json,
        },
      ]
    : [];
}
