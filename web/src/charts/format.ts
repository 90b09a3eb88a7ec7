// Number formatting inside charts. Charts import nothing of the dashboard (the exports render them on the
// server), so they carry their own small formatter: one decimal, vi-VN "90,5 %" with a non-breaking space.
export function chartPct(value: number, locale: string, decimals = 0): string {
  const n = new Intl.NumberFormat(locale, {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  }).format(value);
  return locale.startsWith('vi') ? `${n}\u00a0%` : `${n}%`;
}

export function chartNumber(value: number, locale: string, decimals = 1): string {
  return new Intl.NumberFormat(locale, {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  }).format(value);
}
