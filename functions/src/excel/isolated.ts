// Untrusted workbooks are read in worker threads (isolation/worker-pool.ts) with a time and a heap cap: the guard
// (zip-guard.ts) bounds what exceljs may expand, and the worker bounds what is left, so one hostile file costs
// one request (a 413 or 422 with a catalogue message), never the process or the event loop.
import type { FieldError } from '@scorecard/data-contracts';
import { excelMessage } from '@scorecard/data-contracts/i18n/excel.ts';
import { type WorkerLimits, WorkerPool } from '../isolation/worker-pool.ts';
import { locator, type WorkbookSubmission } from './parse.ts';
import type { WorkbookJob, WorkbookReply } from './workbook-worker.ts';

const WORKBOOK_WORKER_LIMITS: Readonly<WorkerLimits> = {
  timeoutMs: 20_000,
  maxHeapMb: 384,
  maxParallel: 2,
  maxQueued: 32,
};

const WORKER_URL = new URL('./workbook-worker-entry.mjs', import.meta.url);

let pool: WorkerPool<WorkbookJob, WorkbookReply> | undefined;
let limits: Readonly<WorkerLimits> = WORKBOOK_WORKER_LIMITS;

/** Replaces the pool's limits (tests make the time or heap cap tiny to exercise the kill paths for real). */
export function configureWorkbookWorkers(next: Partial<WorkerLimits>): void {
  limits = { ...WORKBOOK_WORKER_LIMITS, ...next };
  pool = undefined;
}

/** Reads an uploaded workbook off the event loop, within WORKBOOK_WORKER_LIMITS. */
export async function submissionFromWorkbook(
  bytes: Uint8Array,
): Promise<WorkbookSubmission & { status?: 413 | 503 }> {
  pool ??= new WorkerPool<WorkbookJob, WorkbookReply>(WORKER_URL, limits);
  // A copy we may transfer: the caller's bytes may be a view into a shared pool buffer.
  const copy = bytes.slice();
  const r = await pool.run({ bytes: copy }, [copy.buffer]);
  if (r === 'busy') return failure('excel_busy', 503);
  if (r === 'too_costly') return failure('excel_too_complex', 413);
  const { parsed } = r;
  const tooLarge = parsed.errors.some((e) => e.code === 'excel_too_large');
  return {
    raw: parsed.raw,
    errors: parsed.errors,
    locate: locator(parsed.layout),
    ...(tooLarge ? { status: 413 as const } : {}),
  };
}

function failure(code: 'excel_too_complex' | 'excel_busy', status: 413 | 503) {
  const params = { seconds: limits.timeoutMs / 1000, max_mb: limits.maxHeapMb };
  const error: FieldError = { path: '', ...excelMessage(code, params) };
  return { raw: null, errors: [error], locate: () => undefined, status };
}
