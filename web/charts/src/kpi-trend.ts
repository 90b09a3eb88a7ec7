// A KPI's trend: yearly values, the target of each phase as a dashed rule over that phase's years, and a
// dotted projection from the last value to the phase end. Pure: rows + options → SVG (pass `document` on the server).
import * as Plot from '@observablehq/plot';
import { chartPct } from './format.ts';
import { SERIES_COLOURS } from './palette.ts';

export interface TrendPoint {
  year: number;
  value_pct: number | null;
}

export interface PhaseTarget {
  phase: string;
  years: number[];
  target_pct: number;
}

export interface KpiTrendOptions {
  /** The x domain: every plan year, so an empty future reads as empty, not as a shorter plan. */
  years: number[];
  /** One entry per phase that has a target; a phase without a target draws no rule. */
  targets: PhaseTarget[];
  /** The projected value at the phase end, drawn from the last known value. */
  projection?: { year: number; value_pct: number } | null;
  labels: { title: string; value: string; target: string; projection: string };
  locale?: string;
  width?: number;
  height?: number;
  document?: Document;
}

export function kpiTrendChart(points: TrendPoint[], options: KpiTrendOptions): SVGSVGElement | HTMLElement {
  const locale = options.locale ?? 'vi-VN';
  const years = [...options.years].sort((a, b) => a - b);
  const first = years[0] ?? 0;
  const last = years[years.length - 1] ?? first;
  const known = points
    .filter(
      (p): p is { year: number; value_pct: number } => p.value_pct !== null && Number.isFinite(p.value_pct),
    )
    .sort((a, b) => a.year - b.year);
  const lastKnown = known[known.length - 1];
  const rules = options.targets.map((t) => ({
    phase: t.phase,
    y: t.target_pct,
    x1: Math.min(...t.years) - 0.4,
    x2: Math.max(...t.years) + 0.4,
  }));
  const projection =
    options.projection && lastKnown && options.projection.year > lastKnown.year
      ? [
          {
            x1: lastKnown.year,
            y1: lastKnown.value_pct,
            x2: options.projection.year,
            y2: options.projection.value_pct,
          },
        ]
      : [];

  return Plot.plot({
    document: options.document,
    width: options.width ?? 320,
    height: options.height ?? 160,
    marginLeft: 44,
    marginRight: 12,
    ariaLabel: options.labels.title,
    ariaDescription: `${options.labels.value}: ${known.map((p) => `${p.year} ${chartPct(p.value_pct, locale, 1)}`).join(', ')}`,
    x: { domain: [first - 0.5, last + 0.5], ticks: years, tickFormat: (d: number) => String(d), label: null },
    y: {
      domain: [0, 100],
      ticks: [0, 25, 50, 75, 100],
      tickFormat: (d: number) => chartPct(d, locale),
      label: null,
      grid: true,
    },
    marks: [
      Plot.ruleY(rules, {
        y: 'y',
        x1: 'x1',
        x2: 'x2',
        stroke: SERIES_COLOURS.target,
        strokeWidth: 1.5,
        strokeDasharray: '6,3',
        ariaDescription: options.labels.target,
        title: (d: { phase: string; y: number }) =>
          `${options.labels.target} ${d.phase}: ${chartPct(d.y, locale)}`,
      }),
      Plot.link(projection, {
        x1: 'x1',
        y1: 'y1',
        x2: 'x2',
        y2: 'y2',
        stroke: SERIES_COLOURS.projection,
        strokeDasharray: '2,3',
        strokeWidth: 1.5,
        ariaDescription: options.labels.projection,
      }),
      Plot.dot(
        projection.map((p) => ({ year: p.x2, value_pct: p.y2 })),
        {
          x: 'year',
          y: 'value_pct',
          stroke: SERIES_COLOURS.projection,
          fill: 'white',
          r: 3,
          ariaDescription: options.labels.projection,
        },
      ),
      Plot.lineY(known, {
        x: 'year',
        y: 'value_pct',
        stroke: SERIES_COLOURS.value,
        strokeWidth: 2,
        ariaDescription: options.labels.value,
      }),
      Plot.dot(known, {
        x: 'year',
        y: 'value_pct',
        fill: SERIES_COLOURS.value,
        r: 3,
        ariaDescription: options.labels.value,
        title: (d: TrendPoint) => `${d.year}: ${chartPct(d.value_pct as number, locale, 1)}`,
      }),
    ],
  });
}
