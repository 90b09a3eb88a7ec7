// The analysts' SQL guard off the event loop (issue 13, item 6): the text is capped before parsing
// (LIMITS.sqlMaxTextChars, checked here too, so an oversized text never even crosses to the worker), and the
// parse runs in a worker with a time and heap cap — a pathological statement costs its own request only.
// The local server uses it; a Lambda serves one request per instance and guards in its own thread.
import { LIMITS } from '@scorecard/data-contracts';
import { type WorkerLimits, WorkerPool } from '../isolation/worker-pool.ts';
import type { GuardResult } from './sql-guard.ts';
import type { GuardJob, GuardReply } from './sql-guard-worker.ts';

const GUARD_WORKER_LIMITS: Readonly<WorkerLimits> = {
  timeoutMs: 5_000,
  maxHeapMb: 128,
  maxParallel: 2,
  maxQueued: 64,
};

const WORKER_URL = new URL('./sql-guard-worker-entry.mjs', import.meta.url);
let pool: WorkerPool<GuardJob, GuardReply> | undefined;

export async function guardAnalystSqlIsolated(
  sql: string,
  allowedViews: readonly string[],
): Promise<GuardResult> {
  if (sql.length > LIMITS.sqlMaxTextChars)
    return {
      ok: false,
      code: 'sql_rejected',
      detail: `the statement is longer than ${LIMITS.sqlMaxTextChars} characters`,
    };
  pool ??= new WorkerPool<GuardJob, GuardReply>(WORKER_URL, GUARD_WORKER_LIMITS);
  const r = await pool.run({ sql, allowed: [...allowedViews] });
  if (r === 'busy')
    return {
      ok: false,
      code: 'sql_rejected',
      detail: 'the server is checking many statements: retry in a moment',
    };
  if (r === 'too_costly')
    return { ok: false, code: 'sql_rejected', detail: 'the statement is too complex to check' };
  return r.verdict;
}
