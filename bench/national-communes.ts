// Makes the process's reference commune list national (BENCH_PRELOAD_COMMUNES=3321) for the child server the
// bench starts: startLocalServer takes `communes`, but main.ts has no setting for it yet, so it is preloaded:
// `node --import tsx --import ./bench/national-communes.ts functions/src/local/main.ts`.
import { COMMUNE_BY_CODE, COMMUNES, type Commune, LIMITS } from '@scorecard/data-contracts';
import { nationalCommunes } from './generate.ts';

export function useNationalCommunes(n: number): Commune[] {
  // Workaround, reported to the lead: MartRefresher reads each view with the analysts' row limit
  // (LIMITS.sqlMaxRows = 10,000), so at national scale kpi_commune_year (166 k rows), gap_warnings,
  // data_quality_findings and cadre_gaps were silently truncated. Lift the limit in bench processes only.
  (LIMITS as { sqlMaxRows: number }).sqlMaxRows = 10_000_000;
  const all = nationalCommunes(n);
  const have = new Set(COMMUNES.map((c) => c.commune_code));
  for (const c of all) {
    if (have.has(c.commune_code)) continue;
    COMMUNES.push(c);
    (COMMUNE_BY_CODE as Map<string, Commune>).set(c.commune_code, c);
  }
  return all;
}

const n = Number(process.env.BENCH_PRELOAD_COMMUNES ?? 0);
if (n > COMMUNES.length) useNationalCommunes(n);
