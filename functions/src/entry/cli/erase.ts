// npm run erase -- (--national-id ID | --commune CODE --cadre-code CODE)   — local mode, acts as admin.
// The erasure procedure of functions/src/ingest/erasure.ts: what is removed, what stays, Object Lock.
import { say } from '@scorecard/data-contracts';
import { AuditLog } from '../../ingest/audit.ts';
import { eraseCadre } from '../../ingest/erasure.ts';
import { loadLocalSecret, personKeyFromSecret } from '../../ingest/person-key.ts';
import { localRuntime } from '../local/runtime.ts';
import { commandArgs } from './args.ts';

const args = commandArgs(process.argv.slice(2), {
  'national-id': 'string',
  commune: 'string',
  'cadre-code': 'string',
});
const nationalId = args.flags.get('national-id');
const commune = args.flags.get('commune');
const cadreCode = args.flags.get('cadre-code');
const target =
  typeof nationalId === 'string' && /^[0-9]{12}$/.test(nationalId)
    ? { national_id: nationalId }
    : typeof commune === 'string' && typeof cadreCode === 'string'
      ? { commune_code: commune, cadre_code: cadreCode }
      : null;
if (!target) {
  console.error(say('erase_usage'));
  process.exit(2);
}
const rt = localRuntime();
const personKey = personKeyFromSecret(loadLocalSecret(rt.personKeyFile, rt.dataDir));
// Every copy is rewritten in place, compacted ones included, under the compaction leases (a running server's
// background compaction waits); the server sees the erasure record and refreshes its marts.
const r = await eraseCadre(
  { store: rt.store, clock: rt.clock, personKey, audit: new AuditLog(rt.store, rt.clock) },
  target,
  { sub: 'cli-admin', role: 'admin' },
);
console.log(
  say('erase_done', { rows: r.rows_erased, versions: r.versions_rewritten.length, erasure_id: r.erasure_id }),
);
if (r.years_recompacted.length > 0)
  console.log(say('erase_recompacted', { years: r.years_recompacted.join(', ') }));
