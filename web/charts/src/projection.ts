// The warning policy's projection (docs/kpis.md "Gap warnings", plan.policy.warnings.projection =
// least_squares_to_phase_end): a least-squares line through the yearly values up to and including the year
// (years without a value skipped; fewer than two values: the current value), evaluated at the phase's last
// year and clamped to 0–100. The server computes the same for unmet KPIs (`projected_pct`); the charts use it to
// draw the projection of any KPI.
export interface YearValue {
  year: number;
  value_pct: number | null;
}

export function projectToYear(points: YearValue[], upToYear: number, targetYear: number): number | null {
  const known = points.filter(
    (p) => p.year <= upToYear && p.value_pct !== null && Number.isFinite(p.value_pct),
  );
  if (known.length === 0) return null;
  const current = points.find((p) => p.year === upToYear)?.value_pct ?? null;
  if (known.length < 2) return current === null ? null : clamp(current);
  const n = known.length;
  const mx = known.reduce((s, p) => s + p.year, 0) / n;
  const my = known.reduce((s, p) => s + (p.value_pct as number), 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const p of known) {
    sxy += (p.year - mx) * ((p.value_pct as number) - my);
    sxx += (p.year - mx) ** 2;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return clamp(my + slope * (targetYear - mx));
}

function clamp(v: number): number {
  return Math.min(100, Math.max(0, v));
}
