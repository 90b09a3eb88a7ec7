// The one formatter of the product (issue 18): vi-VN numbers ("90,5 %", "1.234"), dates and instants in the
// plan's time zone ("05/11/2026 09:30"), search folding and name collation — used by the dashboard, its charts
// and the meeting packs alike. Pure functions taking the language, so the same rules are testable without a UI
// and apply in both languages. No dependencies but the plan (zod-free): the browser imports it.
import { PLAN } from './plan.ts';

export type Lang = 'vi' | 'en';

const LOCALE: Record<Lang, string> = { vi: 'vi-VN', en: 'en-GB' };
/** Dates are shown in the plan's zone (Asia/Ho_Chi_Minh), whatever the browser's or the server's zone is. */
const DISPLAY_TIME_ZONE: string = PLAN.timezone;
const NBSP = '\u00a0';
/** Shown for a NULL value: "no value" is never 0 % (docs/kpis.md). */
const NO_VALUE = '—';

const pctFormats = new Map<Lang, Intl.NumberFormat>();
function pctFormat(lang: Lang): Intl.NumberFormat {
  let f = pctFormats.get(lang);
  if (!f) {
    // Round only for display, one decimal (docs/kpis.md "Comparators").
    f = new Intl.NumberFormat(LOCALE[lang], { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    pctFormats.set(lang, f);
  }
  return f;
}

/** 90.5 → "90,5 %" (vi, non-breaking space) or "90.5%" (en); null → "—". */
export function formatPct(value: number | null | undefined, lang: Lang): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NO_VALUE;
  const n = pctFormat(lang).format(value);
  return lang === 'vi' ? `${n}${NBSP}%` : `${n}%`;
}

/**
 * A value beside its target, rounded for display only but never so that it contradicts `met` (docs/kpis.md "Display
 * near a strict target"): when one decimal would show the target itself for a value that is not exactly it,
 * as many decimals as separate them, cut away from the target — 8 997 / 9 997 (89,99699…) under "trên 90 %" is
 * "89,996 %", not "90,0 %"; 9 001 / 10 001 (90,00099…) is "90,001 %".
 */
export function formatPctNear(
  value: number | null | undefined,
  target: number | null | undefined,
  lang: Lang,
): string {
  if (
    value === null ||
    value === undefined ||
    !Number.isFinite(value) ||
    target === null ||
    target === undefined ||
    value === target
  )
    return formatPct(value, lang);
  let digits = 1;
  while (digits < 6 && Number(value.toFixed(digits)) === target) digits++;
  if (digits === 1) return formatPct(value, lang);
  // Cut away from the target, never toward it: below it rounds down, above it rounds up.
  const scale = 10 ** digits;
  const shown = value < target ? Math.floor(value * scale) / scale : Math.ceil(value * scale) / scale;
  const n = new Intl.NumberFormat(LOCALE[lang], {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(shown);
  return lang === 'vi' ? `${n}${NBSP}%` : `${n}%`;
}

/** A whole-number target as the plan writes it: 90 → "90 %". */
export function formatTargetPct(value: number, lang: Lang): string {
  const n = new Intl.NumberFormat(LOCALE[lang], { maximumFractionDigits: 1 }).format(value);
  return lang === 'vi' ? `${n}${NBSP}%` : `${n}%`;
}

/** A score 0–100 with one decimal, no unit. */
export function formatScore(value: number | null | undefined, lang: Lang): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NO_VALUE;
  return pctFormat(lang).format(value);
}

/** A number with exactly `decimals` decimals: 3.14159 → "3,1" (vi); null → "—". */
export function formatNumber(value: number | null | undefined, lang: Lang, decimals = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NO_VALUE;
  return new Intl.NumberFormat(LOCALE[lang], {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  }).format(value);
}

/** A percentage with exactly `decimals` decimals (charts' axes: 0): 90 → "90 %" (vi). */
export function formatPercent(value: number, lang: Lang, decimals = 0): string {
  const n = formatNumber(value, lang, decimals);
  return lang === 'vi' ? `${n}${NBSP}%` : `${n}%`;
}

/** Counts: 1234 → "1.234" (vi). */
export function formatCount(value: number | null | undefined, lang: Lang): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NO_VALUE;
  return new Intl.NumberFormat(LOCALE[lang], { maximumFractionDigits: 0 }).format(value);
}

type Instant = string | number | Date | null | undefined;

/** The instant a value names, or null (no value, or not a date). */
function toDate(value: Instant): Date | null {
  if (value === null || value === undefined) return null;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "05/11/2026" in the plan's zone (or `timeZone`). */
export function formatDate(value: Instant, lang: Lang, timeZone: string = DISPLAY_TIME_ZONE): string {
  const d = toDate(value);
  if (!d) return NO_VALUE;
  return new Intl.DateTimeFormat(LOCALE[lang], {
    timeZone,
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
  }).format(d);
}

/** "05/11/2026 09:30" in the plan's zone, or `timeZone` (24-hour clock in both languages). */
export function formatDateTime(value: Instant, lang: Lang, timeZone: string = DISPLAY_TIME_ZONE): string {
  const d = toDate(value);
  if (!d) return NO_VALUE;
  const time = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(d);
  return `${formatDate(d, lang, timeZone)} ${time}`;
}

/**
 * Folds Vietnamese for search: lower case, no tone marks or hats, đ → d, single spaces.
 * "Đạo Thạnh" and "dao thanh" fold to the same text.
 */
export function foldDiacritics(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Every word of the query appears in one of the texts, ignoring case and diacritics. */
export function matchesSearch(query: string, ...texts: (string | null | undefined)[]): boolean {
  const q = foldDiacritics(query);
  if (q === '') return true;
  const hay = foldDiacritics(texts.filter((x) => x).join(' '));
  return q.split(' ').every((word) => hay.includes(word));
}

/** Vietnamese collation for sorting names (Đ after D, tones ignored first). */
export function compareNames(a: string, b: string, lang: Lang): number {
  return a.localeCompare(b, LOCALE[lang], { sensitivity: 'base' });
}
