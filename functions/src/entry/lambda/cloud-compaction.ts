// The compaction function: functions/src/compaction/compact.ts over the S3 store, invoked by EventBridge
// Scheduler nightly (infra/lib/schedules-stack.ts: 02:30 in the plan's zone, and again at 03:15 so that the
// inputs of the 02:30 run, past their grace period, are deleted the same night).
//
// Which years: every plan year up to the current one (in the plan's zone), newest first. A correction is a new
// version whenever it arrives — the current year gets most of them, the previous one until about May, but a
// late correction or an erasure (which rewrites a per-submission file) can touch any year. A year with nothing
// new costs a few dozen listings and one small read (compactYear's needsWork), so checking them all is cheaper
// than missing one. An operator can name years: {"source": "manual", "years": [2027]}.
//
// Inputs are deleted only DEFAULT_GRACE_MS (30 min, Athena's query timeout) after the manifest that covers
// them: an Athena query that listed the small files just before can still read them. A failure throws after
// every year was tried: Lambda retries the async invocation twice, then the function's DLQ holds the event.
import { PLAN, type Plan, yearInPlanZone } from '@scorecard/data-contracts';
import { s3StoreFromEnv } from '../../adapters/s3-store.ts';
import { type CompactResult, compactYear, DEFAULT_GRACE_MS } from '../../compaction/compact.ts';
import { type Clock, clockFromEnv } from '../../ports/clock.ts';
import type { ObjectStore } from '../../ports/object-store.ts';

export interface CompactionDeps {
  store: ObjectStore;
  clock: Clock;
  plan?: Plan;
  /** Default DEFAULT_GRACE_MS. */
  graceMs?: number;
  log?: (event: Record<string, unknown>) => void;
}

export interface CompactionEvent {
  source?: string;
  job?: string;
  /** Compact these plan years only (manual runs). */
  years?: number[];
}

/** Lambda's context, as far as it is used: a year is not started without this much time left. */
export interface LambdaContext {
  getRemainingTimeInMillis?: () => number;
}

/** Time a year may take at national scale (reading ~25 k small objects at 16 at a time, one rewrite per table). */
const YEAR_BUDGET_MS = 4 * 60_000;

/** The plan years the nightly run checks at `now`: every one up to the current year, newest first. */
export function compactionYears(plan: Plan, now: Date): number[] {
  const current = yearInPlanZone(plan, now);
  return [...plan.years].filter((y) => y <= current).sort((a, b) => b - a);
}

export function compactionDepsFromEnv(env: NodeJS.ProcessEnv = process.env): CompactionDeps {
  return {
    store: s3StoreFromEnv(env),
    clock: clockFromEnv(env),
    plan: PLAN,
    log: (e) => console.log(JSON.stringify(e)),
  };
}

export function createCompactionHandler(deps: CompactionDeps) {
  const plan = deps.plan ?? PLAN;
  const graceMs = deps.graceMs ?? DEFAULT_GRACE_MS;
  return async (event: CompactionEvent = {}, context: LambdaContext = {}) => {
    let years = compactionYears(plan, deps.clock.now());
    if (event.years !== undefined) {
      const unknown = event.years.filter((y) => !plan.years.includes(y));
      if (unknown.length > 0) throw new Error(`compaction: not plan years: ${unknown.join(', ')}`);
      years = [...new Set(event.years)].sort((a, b) => b - a);
    }
    const results: CompactResult[] = [];
    const failed: { year: number; message: string }[] = [];
    const deferred: number[] = [];
    for (const year of years) {
      const left = context.getRemainingTimeInMillis?.();
      if (left !== undefined && left < YEAR_BUDGET_MS) {
        // The protocol is crash-safe, but a year started now would likely be cut off: leave it to the next run.
        deferred.push(year);
        continue;
      }
      try {
        const r = await compactYear({ store: deps.store, clock: deps.clock, year, graceMs });
        results.push(r);
        deps.log?.({
          event: 'compaction',
          year,
          run_id: r.run_id,
          status: r.status,
          files_before: r.files_before,
          files_after: r.files_after,
          swept: r.swept.length,
          tables: Object.fromEntries(
            Object.entries(r.tables).map(([t, x]) => [t, { inputs: x?.inputs, rows: x?.rows }]),
          ),
        });
      } catch (e) {
        failed.push({ year, message: (e as Error).message });
        deps.log?.({ level: 'error', event: 'compaction_failed', year, message: (e as Error).message });
      }
    }
    if (deferred.length > 0) deps.log?.({ level: 'warn', event: 'compaction_deferred', years: deferred });
    if (failed.length > 0) {
      throw new Error(`compaction failed for ${failed.map((f) => `${f.year} (${f.message})`).join('; ')}`);
    }
    return {
      years: results.map((r) => ({
        year: r.year,
        status: r.status,
        files_before: r.files_before,
        files_after: r.files_after,
        swept: r.swept.length,
      })),
      deferred,
    };
  };
}
