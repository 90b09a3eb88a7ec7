// Number formatting inside charts: the product's one formatter (data-contracts/src/format.ts). Charts take a
// locale string (they render in the browser and, for the packs, on the server).
import { formatNumber, formatPercent, type Lang } from '@scorecard/data-contracts';

const langOf = (locale: string): Lang => (locale.startsWith('vi') ? 'vi' : 'en');

export function chartPct(value: number, locale: string, decimals = 0): string {
  return formatPercent(value, langOf(locale), decimals);
}

export function chartNumber(value: number, locale: string, decimals = 1): string {
  return formatNumber(value, langOf(locale), decimals);
}
