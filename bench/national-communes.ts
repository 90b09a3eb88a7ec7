// Makes the process's reference commune list national (BENCH_PRELOAD_COMMUNES=3321), for servers started by the bench:
// startLocalServer / main.ts take the reference list from data-contracts' COMMUNES and have no option for it
// yet (a change requested from the lead). Imported by bench/run.ts, and preloaded into the child server with
// `node --import tsx --import ./bench/national-communes.ts functions/src/local/main.ts`.
import { COMMUNE_BY_CODE, COMMUNES, type Commune } from '@scorecard/data-contracts';
import { nationalCommunes } from './generate.ts';

export function useNationalCommunes(n: number): Commune[] {
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
