// Untrusted workbooks are read in worker threads with a time and a heap cap: the guard (zip-guard.ts) bounds
// what exceljs may expand, and the worker bounds what is left, so one hostile file costs one request (a 413 or
// 422 with a catalogue message), never the process or the event loop.
//
// A small pool: at most `maxParallel` workers parse at once (each may use `maxHeapMb`); others wait in a bounded
// queue, beyond which a request is told to retry (excel_busy). A worker that runs out of time or heap is
// terminated and replaced; an idle one is kept warm and unref'd (it never holds the process open).
import { Worker } from 'node:worker_threads';
import type { FieldError } from '@scorecard/data-contracts';
import { excelMessage } from '@scorecard/data-contracts/i18n/excel.ts';
import { locator, type ParsedWorkbook, type WorkbookSubmission } from './parse.ts';
import type { WorkbookJob, WorkbookReply } from './workbook-worker.ts';

export interface WorkbookWorkerLimits {
  /** Wall time a worker may spend on one file. */
  timeoutMs: number;
  /** Old-generation heap a worker may use. */
  maxHeapMb: number;
  /** Workers parsing at once. */
  maxParallel: number;
  /** Requests waiting for a worker before we answer "busy". */
  maxQueued: number;
}

export const WORKBOOK_WORKER_LIMITS: Readonly<WorkbookWorkerLimits> = {
  timeoutMs: 20_000,
  maxHeapMb: 384,
  maxParallel: 2,
  maxQueued: 32,
};

export type WorkbookFailure = 'too_complex' | 'busy';

const WORKER_URL = new URL('./workbook-worker-entry.mjs', import.meta.url);

class WorkbookPool {
  private idle: Worker[] = [];
  private running = 0;
  private queue: (() => void)[] = [];
  private nextId = 1;

  constructor(private readonly limits: Readonly<WorkbookWorkerLimits>) {}

  async parse(bytes: Uint8Array): Promise<ParsedWorkbook | WorkbookFailure> {
    if (this.running >= this.limits.maxParallel) {
      if (this.queue.length >= this.limits.maxQueued) return 'busy';
      await new Promise<void>((resolve) => this.queue.push(resolve));
    }
    this.running++;
    try {
      return await this.run(bytes);
    } finally {
      this.running--;
      this.queue.shift()?.();
    }
  }

  private spawn(): Worker {
    return new Worker(WORKER_URL, {
      resourceLimits: { maxOldGenerationSizeMb: this.limits.maxHeapMb, maxYoungGenerationSizeMb: 32 },
      stdout: false,
      stderr: false,
    });
  }

  private run(bytes: Uint8Array): Promise<ParsedWorkbook | WorkbookFailure> {
    const worker = this.idle.pop() ?? this.spawn();
    worker.ref();
    const id = this.nextId++;
    // A copy we may transfer: the caller's bytes may be a view into a shared pool buffer.
    const copy = bytes.slice();
    return new Promise<ParsedWorkbook | WorkbookFailure>((resolve) => {
      let settled = false;
      const finish = (r: ParsedWorkbook | WorkbookFailure, keep: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onFail);
        worker.off('exit', onFail);
        if (keep && this.idle.length === 0) {
          worker.unref();
          this.idle.push(worker);
        } else void worker.terminate();
        resolve(r);
      };
      const onMessage = (m: WorkbookReply) => {
        if (m.id !== id) return;
        finish(m.ok ? m.parsed : 'too_complex', m.ok);
      };
      // ERR_WORKER_OUT_OF_MEMORY, a crash, or an exit: the file cost too much to read.
      const onFail = () => finish('too_complex', false);
      const timer = setTimeout(() => finish('too_complex', false), this.limits.timeoutMs);
      worker.on('message', onMessage);
      worker.once('error', onFail);
      worker.once('exit', onFail);
      const job: WorkbookJob = { id, bytes: copy };
      worker.postMessage(job, [copy.buffer]);
    });
  }
}

let pool: WorkbookPool | undefined;
let limits: Readonly<WorkbookWorkerLimits> = WORKBOOK_WORKER_LIMITS;

/** Replaces the pool's limits (tests make the time or heap cap tiny to exercise the kill paths for real). */
export function configureWorkbookWorkers(next: Partial<WorkbookWorkerLimits>): void {
  limits = { ...WORKBOOK_WORKER_LIMITS, ...next };
  pool = undefined;
}

/** Reads an uploaded workbook off the event loop, within WORKBOOK_WORKER_LIMITS. */
export async function submissionFromWorkbook(bytes: Uint8Array): Promise<WorkbookSubmission & { status?: 413 | 503 }> {
  pool ??= new WorkbookPool(limits);
  const r = await pool.parse(bytes);
  if (r === 'busy') return failure('excel_busy', 503);
  if (r === 'too_complex') return failure('excel_too_complex', 413);
  const tooLarge = r.errors.some((e) => e.code === 'excel_too_large');
  return { raw: r.raw, errors: r.errors, locate: locator(r.layout), ...(tooLarge ? { status: 413 as const } : {}) };
}

function failure(code: 'excel_too_complex' | 'excel_busy', status: 413 | 503) {
  const params = { seconds: limits.timeoutMs / 1000, max_mb: limits.maxHeapMb };
  const error: FieldError = { path: '', ...excelMessage(code, params) };
  return { raw: null, errors: [error], locate: () => undefined, status };
}
