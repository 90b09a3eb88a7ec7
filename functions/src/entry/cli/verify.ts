// npm run verify   — local mode (DATA_DIR): checks every file of the data folder against what vouches for it
// (functions/src/integrity/verify.ts): raw versions against their content hash, commit markers against their raw
// claim, data files against their marker, compacted files against their manifest, marts against theirs. Prints
// each damaged file by name; exit 1 if any. Read-only: safe while the server runs.
import { say } from '@scorecard/data-contracts';
import { verifyFolder } from '../../integrity/verify.ts';
import { localRuntime } from '../local/runtime.ts';

const rt = localRuntime();
const report = await verifyFolder(rt.store, { raw: true, marts: true });
for (const d of report.damaged) {
  console.log(
    say(d.repairable ? 'verify_damaged_repairable' : 'verify_damaged_source', {
      file: d.key,
      problem: d.problem,
    }),
  );
}
console.log(
  say('verify_summary', {
    checked: report.checked,
    unverified: report.unverified,
    damaged: report.damaged.length,
  }),
);
process.exit(report.damaged.length > 0 ? 1 : 0);
