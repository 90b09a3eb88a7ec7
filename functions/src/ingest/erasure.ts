// Erasure of a cadre (Personal Data Protection Law 91/2025/QH15): the person's identifying data is removed
// from every stored version; what remains is anonymous statistics, so the province's figures — and the
// meeting packs already shown — stay reproducible.
//
// Removed, in every version of every commune-year that lists the person (found by staff code in a commune, or
// by national ID across communes through the person key):
//   * cadre_code  → a random placeholder `XOA-xxxxxxxx` (the restricted table loses the staff code);
//   * position    → "Đã xóa" (the restricted table loses the title);
//   * person_key  → a random key that matches no one (Sạch can no longer link the person across communes);
//   * birth_year, gender → dropped (the analysts' age band and gender become NULL).
// Stays: category, leader flag, unit, education, the competency/digital/training flags and evaluation scores —
// no longer linkable to a person. The audit trail never held personal data and is untouched; an erasure
// record under erasures/ lists which submission versions were rewritten (ids only).
//
// Object Lock: raw/ is in governance mode on AWS. The erasure job runs under a dedicated role allowed
// s3:BypassGovernanceRetention on raw/ (and nothing else), so it can overwrite those objects; no other role
// can. Locally the data folder has no lock. content_sha256 keeps the hash of what was received (evidence of
// the original submission); the erasure record says the stored content differs from it from then on.
import { randomBytes } from 'node:crypto';
import { type Plan, PLAN, SUBMISSION_TABLES_IN_WRITE_ORDER, TABLES } from '@scorecard/data-contracts';
import { uuidv7 } from 'uuidv7';
import { compactYear, DEFAULT_GRACE_MS, listManifests } from '../compaction/compact.ts';
import { toParquet } from '../lib/parquet.ts';
import type { Clock } from '../ports/clock.ts';
import { getJson, type ObjectStore } from '../ports/object-store.ts';
import type { Actor, AuditLog } from './audit.ts';
import type { PersonKeyFn } from './person-key.ts';
import { type StoredVersion, tableKey, tableRows } from './stored.ts';

export type ErasureTarget = { commune_code: string; cadre_code: string } | { national_id: string };

export interface ErasureResult {
  erasure_id: string;
  versions_rewritten: string[];
  rows_erased: number;
  /**
   * Years whose compacted files held the person: compaction re-ran there, so the compacted copy is rewritten
   * from the erased per-submission files. The superseded copy is deleted by the sweep once the grace period
   * (`compactGraceMs`) has passed — at once when it is 0, else by the next compaction run.
   */
  years_recompacted: number[];
  /** Years whose compaction lease another run held: that run, or the next, finishes the job. */
  years_busy: number[];
}

export const ERASED_POSITION = 'Đã xóa';

export async function eraseCadre(
  deps: { store: ObjectStore; clock: Clock; personKey: PersonKeyFn; audit: AuditLog; plan?: Plan; compactGraceMs?: number },
  target: ErasureTarget,
  actor: Actor,
): Promise<ErasureResult> {
  const plan = deps.plan ?? PLAN;
  const byKey = 'national_id' in target ? deps.personKey(target.national_id) : null;
  const prefix = 'commune_code' in target ? null : 'raw/';
  const keys =
    prefix === null && 'commune_code' in target
      ? (await Promise.all(plan.years.map((y) => deps.store.list(`raw/year=${y}/commune=${target.commune_code}/`)))).flat()
      : await deps.store.list('raw/');
  // Staff code → the person keys it carried, so that the same person is erased in every year of the commune.
  const keysOfCode = new Set<string>();
  const versions: { key: string; v: StoredVersion }[] = [];
  for (const key of keys.filter((k) => k.endsWith('.json'))) {
    const v = await getJson<StoredVersion>(deps.store, key);
    if (!v) continue;
    versions.push({ key, v });
    if ('cadre_code' in target) for (const c of v.submission.cadres) if (c.cadre_code === target.cadre_code) keysOfCode.add(c.person_key);
  }
  const matches = (c: StoredVersion['submission']['cadres'][number]) =>
    byKey !== null ? c.person_key === byKey : 'cadre_code' in target && (c.cadre_code === target.cadre_code || keysOfCode.has(c.person_key));

  const rewritten: string[] = [];
  const years = new Set<number>();
  let rows = 0;
  for (const { key, v } of versions) {
    let changed = false;
    const cadres = v.submission.cadres.map((c) => {
      if (!matches(c)) return c;
      changed = true;
      rows++;
      const { birth_year: _b, gender: _g, ...rest } = c;
      return { ...rest, cadre_code: `XOA-${randomBytes(4).toString('hex')}`, position: ERASED_POSITION, person_key: randomBytes(32).toString('hex') };
    });
    if (!changed) continue;
    const erased: StoredVersion = { ...v, submission: { ...v.submission, cadres } };
    await deps.store.put(key, JSON.stringify(erased), { contentType: 'application/json' });
    // Rewrite the tables that carry cadre rows; the commit marker already exists, so the version stays visible.
    const rowsByTable = tableRows(erased, plan);
    for (const table of SUBMISSION_TABLES_IN_WRITE_ORDER) {
      if (table !== 'cadres' && table !== 'cadre_identity') continue;
      await deps.store.put(tableKey(table, v.year, v.submission_id), toParquet(TABLES[table], rowsByTable[table]));
    }
    rewritten.push(v.submission_id);
    years.add(v.year);
  }
  // The rewritten per-submission files win over compacted copies at once (the read rule); compaction then
  // rewrites the compacted files of those years so that no copy of the person's data is left behind.
  const years_recompacted: number[] = [];
  const years_busy: number[] = [];
  for (const year of [...years].sort()) {
    if ((await listManifests(deps.store, year)).length === 0) continue; // never compacted: nothing else holds it
    const r = await compactYear({ store: deps.store, clock: deps.clock, year, graceMs: deps.compactGraceMs ?? DEFAULT_GRACE_MS });
    (r.status === 'busy' ? years_busy : years_recompacted).push(year);
  }
  const erasure_id = uuidv7();
  await deps.store.put(
    `erasures/${erasure_id}.json`,
    JSON.stringify({ erasure_id, at: deps.clock.now().toISOString(), by: actor.sub, versions_rewritten: rewritten, rows_erased: rows, years_recompacted, years_busy }),
    { ifNoneMatch: true },
  );
  await deps.audit.record(actor, 'cadre.erase', 'ok', erasure_id, { versions_rewritten: rewritten.length, rows_erased: rows });
  return { erasure_id, versions_rewritten: rewritten, rows_erased: rows, years_recompacted, years_busy };
}
