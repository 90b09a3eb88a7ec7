// Makes the process's reference commune list national (BENCH_PRELOAD_COMMUNES=3321) for the child server the
// bench starts: startLocalServer takes `communes`, but main.ts has no setting for it yet, so it is preloaded:
// `node --import tsx --import ./bench/national-communes.ts functions/src/entry/local/main.ts`.
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
