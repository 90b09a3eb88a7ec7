// npm run repair   — local mode (DATA_DIR): rebuilds every damaged derived file from raw/ (commit markers, data
// files, compacted files; damaged marts are dropped and written anew by the next refresh), under the
// compaction leases, then verifies again (functions/src/integrity/repair.ts). What cannot be rebuilt — raw/
// itself, a void, a compaction manifest — is named; exit 1 if anything is left damaged. A running server picks
// the repair up by itself (it retries its refresh while damaged).
import { say } from '@scorecard/data-contracts';
import { repairFolder } from '../../integrity/repair.ts';
import { localRuntime } from '../local/runtime.ts';

const rt = localRuntime();
const report = await repairFolder({ store: rt.store, clock: rt.clock });
for (const key of report.repaired) console.log(say('repair_rebuilt', { file: key }));
for (const d of report.unrepairable) console.log(say('repair_cannot', { file: d.key, problem: d.problem }));
console.log(say('repair_summary', { repaired: report.repaired.length, remaining: report.remaining.length }));
process.exit(report.remaining.length > 0 ? 1 : 0);
