// Ranked horizontal bars, each split into its weighted components (KPI attainment, evaluation, data quality),
// so a leader sees *why* a commune ranks where it does (docs/kpis.md "Commune ranking"). Pure: rows + options → SVG.
import * as Plot from '@observablehq/plot';
import { chartNumber } from './format.ts';
import { SERIES_COLOURS } from './palette.ts';

export interface RankingBar {
  commune_code: string;
  label: string;
  rank: number;
  score: number;
  kpi_score: number;
  evaluation_score: number;
  data_quality_score: number;
}

export interface RankingBarsOptions {
  /** The plan's weights (plan.policy.ranking.weights), summing to 100. */
  weights: { kpi: number; evaluation: number; data_quality: number };
  labels: { title: string; kpi: string; evaluation: string; data_quality: string; score: string };
  /** A commune to emphasise (the signed-in commune officer's own). */
  highlight?: string | null;
  locale?: string;
  width?: number;
  document?: Document;
}

type Component = 'kpi' | 'evaluation' | 'data_quality';

export function rankingBarsChart(
  rows: RankingBar[],
  options: RankingBarsOptions,
): SVGSVGElement | HTMLElement {
  const locale = options.locale ?? 'vi-VN';
  const ordered = [...rows].sort((a, b) => a.rank - b.rank || a.label.localeCompare(b.label, locale));
  // The highlighted commune is marked in its label (Plot text marks take a constant font weight).
  const yLabel = (r: RankingBar) =>
    `${r.commune_code === options.highlight ? '▶ ' : ''}${r.rank}. ${r.label}`;
  const order: Component[] = ['kpi', 'evaluation', 'data_quality'];
  const componentLabel: Record<Component, string> = {
    kpi: options.labels.kpi,
    evaluation: options.labels.evaluation,
    data_quality: options.labels.data_quality,
  };
  const score: Record<Component, (r: RankingBar) => number> = {
    kpi: (r) => r.kpi_score,
    evaluation: (r) => r.evaluation_score,
    data_quality: (r) => r.data_quality_score,
  };
  // Each component contributes component score × weight / 100: the segments add up to the composite score.
  const segments = ordered.flatMap((r) =>
    order.map((c) => ({
      y: yLabel(r),
      component: componentLabel[c],
      raw: score[c](r),
      value: (score[c](r) * options.weights[c]) / 100,
    })),
  );
  const totals = ordered.map((r) => ({ y: yLabel(r), score: r.score, code: r.commune_code }));

  return Plot.plot({
    document: options.document,
    width: options.width ?? 760,
    height: Math.max(80, 36 + ordered.length * 22),
    marginLeft: 220,
    marginRight: 48,
    ariaLabel: options.labels.title,
    x: {
      domain: [0, 100],
      label: options.labels.score,
      tickFormat: (d: number) => chartNumber(d, locale, 0),
      grid: true,
    },
    y: { domain: totals.map((d) => d.y), label: null },
    color: {
      domain: order.map((c) => componentLabel[c]),
      range: order.map((c) => SERIES_COLOURS[c]),
      legend: true,
    },
    marks: [
      Plot.barX(segments, {
        x: 'value',
        y: 'y',
        fill: 'component',
        ariaDescription: options.labels.score,
        title: (d: (typeof segments)[number]) =>
          `${d.component}: ${chartNumber(d.raw, locale)} → ${chartNumber(d.value, locale)}`,
        order: order.map((c) => componentLabel[c]),
      }),
      Plot.text(totals, {
        x: 'score',
        y: 'y',
        text: (d: (typeof totals)[number]) => chartNumber(d.score, locale),
        textAnchor: 'start',
        dx: 4,
        ariaDescription: options.labels.score,
      }),
      Plot.ruleX([0]),
    ],
  });
}
