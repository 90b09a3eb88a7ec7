// npm run erase -- (--national-id ID | --commune CODE --cadre-code CODE)   — local mode, acts as admin.
// The erasure procedure of functions/src/ingest/erasure.ts: what is removed, what stays, Object Lock.
import { say } from '@scorecard/data-contracts';
import { AuditLog } from '../ingest/audit.ts';
import { eraseCadre } from '../ingest/erasure.ts';
import { loadLocalSecret, personKeyFromSecret } from '../ingest/person-key.ts';
import { localRuntime } from '../local/runtime.ts';
import { parseArgs } from './args.ts';

const args = parseArgs(process.argv.slice(2));
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
// Locally nothing sweeps later on its own, so the superseded compacted copies go at once (a server reloading at
// that very moment fails that one refresh and retries). The cloud erasure job keeps Athena's 30-min grace.
const r = await eraseCadre(
  { store: rt.store, clock: rt.clock, personKey, audit: new AuditLog(rt.store, rt.clock), compactGraceMs: 0 },
  target,
  { sub: 'cli-admin', role: 'admin' },
);
console.log(say('erase_done', { rows: r.rows_erased, versions: r.versions_rewritten.length, erasure_id: r.erasure_id }));
if (r.years_recompacted.length > 0) console.log(say('erase_recompacted', { years: r.years_recompacted.join(', ') }));
if (r.years_busy.length > 0) console.log(say('erase_busy', { years: r.years_busy.join(', ') }));
