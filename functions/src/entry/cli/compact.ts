// npm run compact -- [--year Y] [--grace-minutes N]   — local mode (DATA_DIR).
// Rewrites each year's per-submission Parquet files into one file per table (functions/src/compaction/), so the
// warehouse opens a few large files instead of one per submission and table. Safe while the server runs: the
// read rule (sql/tables/duckdb) sees every row once in any mixture of small and compacted files, and inputs are
// deleted only after the grace period (default 30 min) so a reload that listed them can still open them.
// Without --year: every plan year up to the current one. In the cloud the compaction Lambda runs it nightly.
import { PLAN, say, yearInPlanZone } from '@scorecard/data-contracts';
import { compactYear, DEFAULT_GRACE_MS } from '../../compaction/compact.ts';
import { localRuntime } from '../local/runtime.ts';
import { commandArgs } from './args.ts';

const args = commandArgs(process.argv.slice(2), { year: 'string', 'grace-minutes': 'string' });
const yearFlag = args.flags.get('year');
const graceFlag = args.flags.get('grace-minutes');
const rt = localRuntime();
const current = yearInPlanZone(PLAN, rt.clock.now());
const years = yearFlag === undefined ? PLAN.years.filter((y) => y <= current) : [Number(yearFlag)];
const graceMs = graceFlag === undefined ? DEFAULT_GRACE_MS : Number(graceFlag) * 60_000;
if (
  args.positional.length > 0 ||
  years.some((y) => !PLAN.years.includes(y)) ||
  !Number.isFinite(graceMs) ||
  graceMs < 0
) {
  console.error(say('compact_usage'));
  process.exit(2);
}
for (const year of years) {
  const r = await compactYear({ store: rt.store, clock: rt.clock, year, graceMs });
  console.log(
    say('compact_year', {
      year,
      status: r.status,
      before: r.files_before,
      after: r.files_after,
      swept: r.swept.length,
    }),
  );
}
